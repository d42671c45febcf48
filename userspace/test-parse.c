// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the parsers of fdpctl's arguments, on the host: numbers
 * (parse.c), --range START+LEN and its sizes, and fdpblk device names
 * and arguments (dev.c). What is accepted, what is refused, and the values.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"
#include "parse.h"
#include "test.h"

static void test_uint(void)
{
	static const struct {
		const char *s;
		unsigned long max, v;
	} good[] = {
		{ "0", 10, 0 },
		{ "42", 255, 42 },
		{ "255", 255, 255 },
		{ "0x10", 255, 16 },
		{ "0XfF", 255, 255 },
		/* Decimal unless 0x is written: not strtoul()'s octal. */
		{ "010", 255, 10 },
		{ "08", 255, 8 },
		{ "00", 255, 0 },
		{ "18446744073709551615", ULONG_MAX, ULONG_MAX },
	};
	static const char *const bad[] = {
		"256", "", "-1", "+1", " 1", "1 ", "1x", "x", "18446744073709551616",
		"0x", "0x 1", "0x-1", "0x+1", "0x100", "0b1", "1e2",
	};
	unsigned long v;
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check(!parse_uint(good[i].s, good[i].max, &v) && v == good[i].v,
		      "parse_uint(\"%s\", %lu) = %lu", good[i].s, good[i].max,
		      good[i].v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(parse_uint(bad[i], 255, &v), "parse_uint(\"%s\", 255): refused",
		      bad[i]);
}

static void test_dec(void)
{
	unsigned long v = 0;

	check(!parse_dec("10", 100, &v) && v == 10, "parse_dec(\"10\") = 10");
	check(!parse_dec("010", 100, &v) && v == 10, "parse_dec(\"010\") = 10");
	check(parse_dec("0x10", 100, &v), "parse_dec(\"0x10\"): refused");
	check(!parse_dec("1048576", 1048576, &v) && v == 1048576,
	      "parse_dec(\"1048576\", 1048576) = 1048576");
	check(parse_dec("1048577", 1048576, &v),
	      "parse_dec(\"1048577\", 1048576): refused");
	check(parse_dec("", 100, &v), "parse_dec(\"\"): refused");
}

/* Seconds as top's --interval takes them: 0.1..3600. */
static void test_double(void)
{
	static const char *const good[] = { "1", "0.1", "0.25", "3600" };
	static const char *const bad[] = {
		"0", "0.05", "3601", "nan", "inf", "1s", "", "x",
	};
	unsigned int i;
	double v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check(!parse_double(good[i], 0.1, 3600, &v) &&
		      fabs(v - atof(good[i])) < 1e-9,
		      "parse_double(\"%s\", 0.1..3600) = %s", good[i], good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(parse_double(bad[i], 0.1, 3600, &v),
		      "parse_double(\"%s\", 0.1..3600): refused", bad[i]);
}

static void test_range(void)
{
	static const struct {
		const char *s;
		uint64_t start, len;
	} good[] = {
		{ "0+8", 0, 8 },
		{ "8704+1024", 8704, 1024 },
		{ "0x10+0x8", 16, 8 },
		{ "1M+1M", 2048, 2048 },
		{ "20M+256K", 40960, 512 },
		{ "1G+1G", 2097152, 2097152 },
		{ "100+1K", 100, 2 },
		/* A plain number is sectors, decimal unless 0x is written. */
		{ "010+010", 10, 10 },
		/* K, M, G, T with or without iB: powers of 1024 both. */
		{ "1MiB+1MiB", 2048, 2048 },
		{ "4KiB+512K", 8, 1024 },
		{ "1GiB+1T", 2097152, 2147483648ULL },
		{ "0+1TiB", 0, 2147483648ULL },
		{ "0x1M+0x2K", 2048, 4 },
	};
	static const char *const bad[] = {
		"5", "0+0", "0+0K", "1+", "+1", "1x+1", "1+1x", "0+-1",
		"0+1+1", "0+17179869184G", "18446744073709551616+1", "",
		"0+1Ki", "0+1KB", "0+1kB", "0+1k", "0+1P", "0+1iB", "0+1KiBx",
		"0+0x", "0+1 K", "0+256B", "0+1K1", "0+16777216T",
	};
	uint64_t start, len;
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check(!parse_range(good[i].s, &start, &len) &&
		      start == good[i].start && len == good[i].len,
		      "--range %s: sectors %llu+%llu", good[i].s,
		      (unsigned long long)good[i].start,
		      (unsigned long long)good[i].len);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(parse_range(bad[i], &start, &len), "--range %s: refused",
		      bad[i]);
}

static void test_bytes(void)
{
	static const struct {
		const char *s;
		uint64_t v;
	} good[] = {
		{ "0", 0 }, { "4096", 4096 }, { "010", 10 }, { "0x10", 16 },
		{ "513", 513 }, { "1K", 1024 }, { "1KiB", 1024 },
		{ "8M", 8ULL << 20 }, { "8MiB", 8ULL << 20 }, { "1G", 1ULL << 30 },
		{ "1TiB", 1ULL << 40 }, { "0x1M", 1ULL << 20 },
		{ "18446744073709551615", UINT64_MAX },
	};
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "1.5G", "1KB", "1k", "1P", "1iB",
		"1Ki", "1KiBx", "0x", "16777216T", "18446744073709551616", "1B",
	};
	unsigned int i;
	uint64_t v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check(!parse_bytes(good[i].s, &v) && v == good[i].v,
		      "bytes %s: %llu", good[i].s, (unsigned long long)good[i].v);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(parse_bytes(bad[i], &v), "bytes %s: refused", bad[i]);
}

static void test_disk_id(void)
{
	static const struct {
		const char *name;
		int id;
	} t[] = {
		{ "fdpblk0", 0 },
		{ "fdpblk12", 12 },
		{ "fdpblk1048576", 1048576 },
		{ "fdpblk1048577", -1 },
		{ "fdpblk", -1 },
		{ "fdpblk1x", -1 },
		{ "fdpblk1p1", -1 },
		{ "fdpblk-1", -1 },
		{ "fdpblk+1", -1 },
		{ "fdpblk 1", -1 },
		{ "fdpblk01", -1 },
		{ "fdpblk00", -1 },
		{ "fdpblk0x1", -1 },
		{ "fdpblk1 ", -1 },
		{ "fdpblk99999999999", -1 },
		{ "nvme0n1", -1 },
		{ "", -1 },
	};
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		check(fdpblk_disk_id(t[i].name) == t[i].id,
		      "fdpblk_disk_id(\"%s\") = %d", t[i].name, t[i].id);
}

/* Only what needs no fdpblk device: names are looked up in sysfs. */
static void test_resolve(void)
{
	check(fdpblk_resolve("/dev/fdpblk3") == 3, "resolve /dev/fdpblk3: 3");
	check(fdpblk_resolve("fdpblk3") == 3, "resolve fdpblk3: 3");
	check(fdpblk_resolve("") == -EINVAL, "resolve \"\": -EINVAL");
	check(fdpblk_resolve("/dev/null") == -EINVAL, "resolve /dev/null: -EINVAL");
	check(fdpblk_resolve("/nonexistent/fdpblk0") == -EINVAL,
	      "resolve /nonexistent/fdpblk0: -EINVAL");
	/* Never a device by a spelling the kernel does not use. */
	check(fdpblk_resolve("fdpblk 1") == -EINVAL, "resolve \"fdpblk 1\": -EINVAL");
	check(fdpblk_resolve("fdpblk+1") == -EINVAL, "resolve fdpblk+1: -EINVAL");
	check(fdpblk_resolve("fdpblk01") == -EINVAL, "resolve fdpblk01: -EINVAL");
	check(fdpblk_resolve("/dev/fdpblk01") == -EINVAL,
	      "resolve /dev/fdpblk01: -EINVAL");
	check(fdpblk_resolve("/dev/fdpblk 1") == -EINVAL,
	      "resolve \"/dev/fdpblk 1\": -EINVAL");
	/* Resolved: a path to something else is refused whatever its name. */
	check(fdpblk_resolve("/dev/null/../fdpblk3") == -EINVAL,
	      "resolve /dev/null/../fdpblk3: -EINVAL");
}

static void test_valid_name(void)
{
	static const char *const good[] = {
		"db", "db-log.1", "0", "fdpblk", "fdpblkx", "fdpblk1a",
		"a234567890123456789012345678901",
	};
	static const char *const bad[] = {
		"", "-db", ".db", "db log", "db/1", "fdpblk1", "fdpblk01",
		"a2345678901234567890123456789012",
	};
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		check(fdpblk_valid_name(good[i]), "name \"%s\": taken", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(!fdpblk_valid_name(bad[i]), "name \"%s\": refused", bad[i]);
}

int main(void)
{
	test_uint();
	test_dec();
	test_double();
	test_range();
	test_bytes();
	test_disk_id();
	test_resolve();
	test_valid_name();
	return test_done();
}
