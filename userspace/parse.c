// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers as fdpctl's users write them: one parser of each kind, so that
 * every option and file that takes a number takes the same forms.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

/*
 * The digits of a number at @s in @base, up to *@end: leading blanks and
 * signs are not numbers, though strtoull() takes them.
 */
static int parse_digits(const char *s, int base, char **end, uint64_t *v)
{
	if (!isxdigit((unsigned char)*s) || (base == 10 && !isdigit((unsigned char)*s)))
		return -1;
	errno = 0;
	*v = strtoull(s, end, base);
	return errno ? -1 : 0;
}

/*
 * A number at @s, up to *@end: decimal, or hexadecimal after 0x. A leading
 * 0 is a decimal digit (010 is 10), not strtoul()'s octal.
 */
static int parse_num(const char *s, bool hex, char **end, uint64_t *v)
{
	if (hex && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return parse_digits(s + 2, 16, end, v);
	return parse_digits(s, 10, end, v);
}

static int parse_whole(const char *s, bool hex, unsigned long max,
		       unsigned long *v)
{
	uint64_t n;
	char *end;

	if (parse_num(s, hex, &end, &n) || *end || n > max)
		return -1;
	*v = n;
	return 0;
}

int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	return parse_whole(s, true, max, v);
}

int parse_dec(const char *s, unsigned long max, unsigned long *v)
{
	return parse_whole(s, false, max, v);
}

int parse_double(const char *s, double min, double max, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	/* Written so that NaN fails too. */
	return errno || *end || end == s || !(*v >= min && *v <= max) ? -1 : 0;
}

/*
 * A size suffix at @s, K, M, G or T with or without iB (all powers of
 * 1024): its shift, and in *@len its length; 0 without one, -1 for
 * anything else.
 */
static int parse_suffix(const char *s, size_t *len)
{
	static const char units[] = "KMGT";
	const char *u;

	*len = 0;
	if (!*s || *s == '+')
		return 0;
	u = strchr(units, *s);
	if (!u)
		return -1;
	*len = strncmp(s + 1, "iB", 2) ? 1 : 3;
	return 10 * (int)(u - units + 1);
}

/* A sector count (see parse_range()); *end_out: what follows it. */
static int parse_sectors_at(const char *s, const char **end_out, uint64_t *out)
{
	size_t len;
	int shift;
	char *end;
	uint64_t v;

	if (parse_num(s, true, &end, &v))
		return -1;
	shift = parse_suffix(end, &len);
	if (shift < 0)
		return -1;
	if (shift) {
		if (v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
		if (v % 512)
			return -1;
		v /= 512;
	}
	*end_out = end + len;
	*out = v;
	return 0;
}

int parse_range(const char *s, uint64_t *start, uint64_t *nr_sectors)
{
	const char *end;

	if (parse_sectors_at(s, &end, start) || *end != '+' ||
	    parse_sectors_at(end + 1, &end, nr_sectors) || *end || !*nr_sectors)
		return -1;
	return 0;
}

int parse_sectors(const char *s, uint64_t *nr_sectors)
{
	const char *end;

	if (parse_sectors_at(s, &end, nr_sectors) || *end)
		return -1;
	return 0;
}

int parse_bytes(const char *s, uint64_t *bytes)
{
	uint64_t v;
	char *end;

	if (parse_num(s, true, &end, &v))
		return -1;
	if (*end) {
		if (parse_sectors(s, &v))
			return -1;
		v *= 512;	/* no overflow: it was bytes, whole sectors */
	}
	*bytes = v;
	return 0;
}

char *str_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}
