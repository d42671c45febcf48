// SPDX-License-Identifier: GPL-2.0
/*
 * Numbers as fdpctl's users write them: one parser of each kind, so that
 * every option and file that takes a number takes the same forms.
 */
#include <errno.h>
#include <stdlib.h>

#include "parse.h"

/* Leading blanks and signs are not numbers, though strtoul() takes them. */
static int parse_base(const char *s, int base, unsigned long max,
		      unsigned long *v)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	return errno || *end || *v > max ? -1 : 0;
}

int parse_uint(const char *s, unsigned long max, unsigned long *v)
{
	return parse_base(s, 0, max, v);
}

int parse_dec(const char *s, unsigned long max, unsigned long *v)
{
	return parse_base(s, 10, max, v);
}

int parse_double(const char *s, double min, double max, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	/* Written so that NaN fails too. */
	return errno || *end || end == s || !(*v >= min && *v <= max) ? -1 : 0;
}

/* A sector count (see parse_range()); *end_out: what follows it. */
static int parse_sectors(const char *s, const char **end_out, uint64_t *out)
{
	int shift = -1;
	char *end;
	uint64_t v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return -1;
	switch (*end) {
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	}
	if (shift >= 0) {
		end++;
		if (v > (UINT64_MAX >> shift))
			return -1;
		v <<= shift;
		if (v % 512)
			return -1;
		v /= 512;
	}
	*end_out = end;
	*out = v;
	return 0;
}

int parse_range(const char *s, uint64_t *start, uint64_t *nr_sectors)
{
	const char *end;

	if (parse_sectors(s, &end, start) || *end != '+' ||
	    parse_sectors(end + 1, &end, nr_sectors) || *end || !*nr_sectors)
		return -1;
	return 0;
}
