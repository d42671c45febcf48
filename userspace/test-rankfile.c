// SPDX-License-Identifier: GPL-2.0
/*
 * Description: rank files (rankfile.c) on the host: a good file gives its
 * ranges and cgroups (by path and by id) with their lines; START and LEN
 * take --range's forms; what rank save writes reads back as the same; a
 * bad line is refused with its file and line and leaves nothing parsed;
 * overlapping ranges are refused naming both lines; two lines naming one
 * cgroup are refused.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rankfile.h"
#include "test.h"

static char err[RANKFILE_ERR_LEN];

static int parse(const char *text, struct rank_file *rf)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -2;
	err[0] = '\0';
	ret = rankfile_parse(f, "f", rf, err);
	fclose(f);
	return ret;
}

/* @text is refused with exactly @msg. */
static void refused(const char *text, const char *msg, const char *what)
{
	struct rank_file rf;
	int ret = parse(text, &rf);

	check(ret == -1 && !strcmp(err, msg) && !rf.n && !rf.e,
	      "%s: \"%s\" (got \"%s\")", what, msg, err);
}

static void test_good(void)
{
	struct rank_file rf;
	const struct rank_entry *e;
	int ret;

	ret = parse("# saved\n"
		    "range 2048 4096 7\n"
		    "\n"
		    "  range 8M 1MiB 3   # bytes\n"
		    "cgroup fdpctl-test 4\n"
		    "cgroup id:0x10 0\n"
		    "cgroup /sys/fs/cgroup/a/b 4294967295\n"
		    "range 0 8 1", &rf);
	check(ret == 0, "a good file parses (%s)", err);
	if (ret)
		return;
	e = rf.e;
	check(rf.n == 6 && rf.nr_ranges == 3 && rf.nr_cgroups == 3,
	      "6 entries: 3 ranges, 3 cgroups");
	check(!e[0].cgroup && e[0].start == 2048 && e[0].nr_sectors == 4096 &&
	      e[0].rank == 7 && e[0].line == 2, "range in sectors, line 2");
	check(e[1].start == 16384 && e[1].nr_sectors == 2048 && e[1].rank == 3 &&
	      e[1].line == 4, "range in bytes (8M 1MiB), comment after it");
	check(e[2].cgroup && !strcmp(e[2].path, "fdpctl-test") &&
	      !e[2].cgroup_id && e[2].rank == 4, "cgroup by relative path");
	check(e[3].cgroup && !e[3].path && e[3].cgroup_id == 16 && e[3].rank == 0,
	      "cgroup by id:0x10");
	check(!strcmp(e[4].path, "/sys/fs/cgroup/a/b") && e[4].rank == 4294967295U,
	      "cgroup by absolute path, the largest rank");
	check(e[5].start == 0 && e[5].line == 8, "last line without a newline");
	rankfile_free(&rf);
	check(parse("# nothing\n\n", &rf) == 0 && rf.n == 0,
	      "a file of comments: no entry");
	rankfile_free(&rf);
	/* Adjacent ranges touch, and do not overlap. */
	check(parse("range 8 8 1\nrange 0 8 2\nrange 16 8 3\n", &rf) == 0,
	      "adjacent ranges, in any order (%s)", err);
	rankfile_free(&rf);
}

static void test_bad(void)
{
	refused("range 0 8 1\nrange 0 8\n",
		"f:2: expected range START LEN RANK", "a range without a rank");
	refused("range 0+8 1\n", "f:1: expected range START LEN RANK",
		"rank set's START+LEN is not the file's form");
	refused("range 0 1KB 1\n",
		"f:1: range length 1KB: must be sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB, more than 0",
		"a bad length");
	refused("range 0 0 1\n",
		"f:1: range length 0: must be sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB, more than 0",
		"an empty range");
	refused("range x 8 1\n",
		"f:1: range start x: must be sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB",
		"a bad start");
	refused("range 18446744073709551615 8 1\n",
		"f:1: range 18446744073709551615 8: ends past 2^64 sectors",
		"a range past 2^64");
	refused("range 0 8 4294967296\n", "f:1: rank 4294967296: must be 0..4294967295",
		"a rank too large");
	refused("cgroup a\n", "f:1: expected cgroup PATH RANK or cgroup id:ID RANK",
		"a cgroup without a rank");
	refused("cgroup a b 1\n", "f:1: expected cgroup PATH RANK or cgroup id:ID RANK",
		"a cgroup path of two words");
	refused("cgroup id:0 1\n", "f:1: cgroup id:0: the id must be 1 or more",
		"cgroup id 0");
	refused("cgroup id:x 1\n", "f:1: cgroup id:x: the id must be 1 or more",
		"a bad cgroup id");
	refused("range 0 8 1\nstream 1 2\n", "f:2: stream: unknown entry (range or cgroup)",
		"an unknown entry, after a good one");
	refused("range 0 8 1 2 3 4\n", "f:1: expected range START LEN RANK",
		"too many words");
}

static void test_overlap(void)
{
	refused("range 0 16 1\nrange 32 8 2\nrange 8 8 3\n",
		"f:3: range 8+8 overlaps range 0+16 of line 1",
		"overlap: both lines named, the later one first");
	refused("range 8 8 3\nrange 0 16 1\n",
		"f:2: range 0+16 overlaps range 8+8 of line 1",
		"overlap: the earlier line is the later range");
	refused("range 0 100 1\nrange 10 5 2\nrange 50 5 3\n",
		"f:2: range 10+5 overlaps range 0+100 of line 1",
		"overlap: one range inside another");
	refused("range 0 100 1\nrange 200 8 2\nrange 99 1 3\n",
		"f:3: range 99+1 overlaps range 0+100 of line 1",
		"overlap: at the last sector");
	refused("range 1M 1M 1\nrange 4095 8 2\n",
		"f:2: range 4095+8 overlaps range 2048+2048 of line 1",
		"overlap of bytes and sectors, shown in sectors");
}

static void test_ids(void)
{
	struct rank_file rf;

	if (parse("cgroup a 1\ncgroup b 2\ncgroup id:7 3\n", &rf)) {
		check(0, "ids: parse (%s)", err);
		return;
	}
	rf.e[0].cgroup_id = 5;
	rf.e[1].cgroup_id = 6;
	check(!rankfile_check_ids(&rf, "f", err), "three cgroups, three ids");
	rf.e[1].cgroup_id = 7;
	check(rankfile_check_ids(&rf, "f", err) == -1 &&
	      !strcmp(err, "f:3: cgroup id 7: named by line 2 too"),
	      "a path and an id of the same cgroup (%s)", err);
	rankfile_free(&rf);
}

/* What rank save writes reads back as the same. */
static void test_write(void)
{
	struct fdpblk_range_rank r = { .start = 2048, .nr_sectors = 4096, .rank = 7 };
	struct rank_file rf;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		check(0, "open_memstream");
		return;
	}
	rankfile_write_range(f, &r);
	rankfile_write_cgroup(f, "/sys/fs/cgroup/a/b", 10, 4);
	rankfile_write_cgroup(f, "/sys/fs/cgroup", 1, 5);
	rankfile_write_cgroup(f, NULL, 12, 6);
	rankfile_write_cgroup(f, "/sys/fs/cgroup/with space", 13, 8);
	rankfile_write_cgroup(f, "/sys/fs/cgroup/hash#tag", 14, 9);
	fclose(f);
	check(!strcmp(buf, "range 2048 4096 7\n"
			   "cgroup a/b 4\n"
			   "cgroup /sys/fs/cgroup 5\n"
			   "cgroup id:12 6\n"
			   "cgroup id:13 8\n"
			   "cgroup id:14 9\n"),
	      "written: relative paths, the root absolute, by id when gone or not one word");
	check(parse(buf, &rf) == 0 && rf.n == 6 && rf.e[0].start == 2048 &&
	      rf.e[0].nr_sectors == 4096 && rf.e[0].rank == 7 &&
	      !strcmp(rf.e[1].path, "a/b") && rf.e[3].cgroup_id == 12,
	      "what is written reads back (%s)", err);
	rankfile_free(&rf);
	free(buf);
}

int main(void)
{
	test_good();
	test_bad();
	test_overlap();
	test_ids();
	test_write();
	return test_done();
}
