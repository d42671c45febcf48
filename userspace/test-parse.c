// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the parsers of fdpctl's arguments, on the host: numbers
 * (parse.c), --range START+LEN and its sizes, and fdpblk device names
 * (dev.c). What is accepted, what is refused, and the values.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "dev.h"
#include "parse.h"
#include "test.h"

static void test_uint(void)
{
	static const struct {
		const char *s;
		unsigned long max;
		int ret;
		unsigned long v;
	} t[] = {
		{ "0", 10, 0, 0 },
		{ "42", 255, 0, 42 },
		{ "255", 255, 0, 255 },
		{ "256", 255, -1, 0 },
		{ "0x10", 255, 0, 16 },
		{ "", 255, -1, 0 },
		{ "-1", ULONG_MAX, -1, 0 },
		{ "+1", 255, -1, 0 },
		{ " 1", 255, -1, 0 },
		{ "1 ", 255, -1, 0 },
		{ "1x", 255, -1, 0 },
		{ "x", 255, -1, 0 },
		{ "18446744073709551615", ULONG_MAX, 0, ULONG_MAX },
		{ "18446744073709551616", ULONG_MAX, -1, 0 },
	};
	unsigned long v;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 0;
		ret = parse_uint(t[i].s, t[i].max, &v);
		check(ret == t[i].ret && (ret || v == t[i].v),
		      "parse_uint(\"%s\", %lu): %s %lu", t[i].s, t[i].max,
		      t[i].ret ? "refused" : "=", t[i].v);
	}
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

static void test_double(void)
{
	static const struct {
		const char *s;
		int ret;
		double v;
	} t[] = {
		{ "1", 0, 1 },
		{ "0.1", 0, 0.1 },
		{ "0.25", 0, 0.25 },
		{ "3600", 0, 3600 },
		{ "0", -1, 0 },
		{ "0.05", -1, 0 },
		{ "3601", -1, 0 },
		{ "nan", -1, 0 },
		{ "inf", -1, 0 },
		{ "1s", -1, 0 },
		{ "", -1, 0 },
		{ "x", -1, 0 },
	};
	unsigned int i;
	double v;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		v = 0;
		ret = parse_double(t[i].s, 0.1, 3600, &v);
		check(ret == t[i].ret && (ret || fabs(v - t[i].v) < 1e-9),
		      "parse_double(\"%s\", 0.1..3600): %s %g", t[i].s,
		      t[i].ret ? "refused" : "=", t[i].v);
	}
}

static void test_range(void)
{
	static const struct {
		const char *s;
		int ret;
		uint64_t start, len;
	} t[] = {
		{ "0+8", 0, 0, 8 },
		{ "8704+1024", 0, 8704, 1024 },
		{ "0x10+0x8", 0, 16, 8 },
		{ "1M+1M", 0, 2048, 2048 },
		{ "20M+256K", 0, 40960, 512 },
		{ "1G+1G", 0, 2097152, 2097152 },
		{ "100+1K", 0, 100, 2 },
		{ "5", -1, 0, 0 },
		{ "0+0", -1, 0, 0 },
		{ "0+0K", -1, 0, 0 },
		{ "1+", -1, 0, 0 },
		{ "+1", -1, 0, 0 },
		{ "1x+1", -1, 0, 0 },
		{ "1+1x", -1, 0, 0 },
		{ "0+1T", -1, 0, 0 },
		{ "0+-1", -1, 0, 0 },
		{ "0+1+1", -1, 0, 0 },
		{ "0+17179869184G", -1, 0, 0 },
		{ "18446744073709551616+1", -1, 0, 0 },
		{ "", -1, 0, 0 },
	};
	uint64_t start, len;
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		start = len = 0;
		ret = parse_range(t[i].s, &start, &len);
		if (t[i].ret)
			check(ret, "--range %s: refused", t[i].s);
		else
			check(!ret && start == t[i].start && len == t[i].len,
			      "--range %s: sectors %llu+%llu", t[i].s,
			      (unsigned long long)t[i].start,
			      (unsigned long long)t[i].len);
	}
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
}

int main(void)
{
	test_uint();
	test_dec();
	test_double();
	test_range();
	test_disk_id();
	test_resolve();
	return test_done();
}
