// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the module's resolution rules (kmod/fdpblk-rules.h, the
 * one copy the module compiles too) and fdpctl's offline classification
 * around them (classify.c), on the host: every precedence case of
 * DESIGN.md's per-write resolution (meta > stream > range > cgroup >
 * hint > default, the hint-as-stream of O_DIRECT, pools that are empty),
 * the metadata chunk hash pinned to the kernel's hash_64(x, 32) values,
 * a write split at a range boundary as the module splits a bio, a cgroup
 * rank inherited from an ancestor. Also the text trace (tracefile.c):
 * every field, comments, and each kind of bad line refused with its line.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "policy.h"
#include "test.h"

static const struct policy_limits lim = { .max_ph = 8, .nr_streams = 8 };

/* Data pool {3, 4}, metadata pool {7, 8}, default ph 1. */
static void policy(struct fdpblk_policy *p, bool pools)
{
	policy_default(&lim, p);
	p->default_ph = 1;
	if (pools) {
		p->data_pool_len = 2;
		p->data_pool[0] = 3;
		p->data_pool[1] = 4;
		p->meta_pool_len = 2;
		p->meta_pool[0] = 7;
		p->meta_pool[1] = 8;
	}
}

/* A range rank 5 on sectors [1000, 2000), a cgroup rank 6 on cgroup 10. */
static struct rank_entry entries[] = {
	{ .line = 1, .rank = 5, .start = 1000, .nr_sectors = 1000 },
	{ .line = 2, .cgroup = true, .rank = 6, .cgroup_id = 10 },
};
static const struct rank_file ranks = {
	.e = entries, .n = 2, .nr_ranges = 1, .nr_cgroups = 1,
};

/* cgroup 30 is in 20, which is in 10. */
static uint64_t parent(uint64_t id)
{
	return id == 30 ? 20 : id == 20 ? 10 : 0;
}

static void expect(struct classify *c, const char *what, struct trace_io io,
		   uint16_t ph, enum fdpblk_source src)
{
	enum fdpblk_source s = FDPBLK_NR_SOURCES;
	uint32_t nr;
	uint16_t got = classify_write(c, &io, &s, &nr);

	check(got == ph && s == src && nr == io.nr_sectors,
	      "%s: ph %u by %s (want ph %u by %s)", what, got,
	      classify_source_name(s), ph, classify_source_name(src));
}

static void test_hash(void)
{
	/* hash_64(x, 32) = x * GOLDEN_RATIO_64 >> 32, computed apart. */
	check(fdpblk_rules_meta_hash(0) == 0 &&
	      fdpblk_rules_meta_hash(1) == 1640531526U &&
	      fdpblk_rules_meta_hash(2) == 3281063053U &&
	      fdpblk_rules_meta_hash(1000) == 4148986726U &&
	      fdpblk_rules_meta_hash(0x123456789abcdefULL) == 4083963976U &&
	      fdpblk_rules_meta_hash(UINT64_MAX) == 2654435769U,
	      "the metadata chunk hash is the kernel's hash_64(chunk, 32)");
}

static void test_precedence(void)
{
	struct fdpblk_policy p;
	struct classify c;
	/* In range, in a ranked cgroup, hint 3, stream 7, metadata. */
	struct trace_io all = { .sector = 1500, .nr_sectors = 8, .hint = 3,
				.stream = 7, .meta = true, .cgroup = 10 };
	struct trace_io io;
	uint16_t meta_ph;

	policy(&p, true);
	check(!classify_init(&c, &p, 8, &ranks), "classify_init");
	/* 1500 >> 11 (1 MiB chunks) = 0: hash 0, meta_pool[0]. */
	meta_ph = p.meta_pool[fdpblk_rules_meta_hash(1500 >> 11) % 2];
	expect(&c, "meta over everything", all, meta_ph, FDPBLK_SRC_META);
	io = all;
	io.sector = 2ULL << 11;		/* chunk 2: hash odd, meta_pool[1] */
	io.cgroup = 0;
	expect(&c, "meta by the chunk's hash", io, 8, FDPBLK_SRC_META);
	io = all;
	io.meta = false;
	expect(&c, "an explicit stream over range, cgroup and hint", io, 7,
	       FDPBLK_SRC_STREAM);
	io.stream = 3;
	expect(&c, "stream == hint (O_DIRECT's hint as stream) is no stream",
	       io, 4, FDPBLK_SRC_RANGE);
	io.hint = 0;
	expect(&c, "stream 3 without hint follows hint 3's ph", io, 3,
	       FDPBLK_SRC_STREAM);
	io.stream = 9;
	expect(&c, "a stream beyond V is no stream", io, 4, FDPBLK_SRC_RANGE);
	io = all;
	io.meta = false;
	io.stream = 0;
	expect(&c, "range over cgroup and hint", io, 4, FDPBLK_SRC_RANGE);
	io.sector = 5000;
	expect(&c, "cgroup over hint", io, 3, FDPBLK_SRC_CGROUP);
	io.cgroup = 11;
	expect(&c, "an unranked cgroup: the hint", io, 3, FDPBLK_SRC_HINT);
	io.hint = 0;
	expect(&c, "nothing: the default", io, 1, FDPBLK_SRC_DEFAULT);
	io.hint = 6;
	expect(&c, "a hint beyond the map is no hint", io, 1,
	       FDPBLK_SRC_DEFAULT);
	classify_free(&c);

	policy(&p, false);
	check(!classify_init(&c, &p, 8, &ranks), "classify_init, no pools");
	io = all;
	io.stream = 0;
	expect(&c, "no metadata pool: metadata is not special; no data pool: ranks place nothing",
	       io, 3, FDPBLK_SRC_HINT);
	classify_free(&c);
}

static void test_split_and_ancestors(void)
{
	struct trace_io io = { .sector = 900, .nr_sectors = 200 };
	enum fdpblk_source s;
	struct fdpblk_policy p;
	struct classify c;
	uint32_t nr;
	uint16_t ph;

	policy(&p, true);
	classify_init(&c, &p, 8, &ranks);
	ph = classify_write(&c, &io, &s, &nr);
	check(ph == 1 && s == FDPBLK_SRC_DEFAULT && nr == 100,
	      "a write into a range is split at its start (%u sectors)", nr);
	io.sector += nr;
	io.nr_sectors -= nr;
	ph = classify_write(&c, &io, &s, &nr);
	check(ph == 4 && s == FDPBLK_SRC_RANGE && nr == 100,
	      "its rest is placed by the range");
	io = (struct trace_io){ .sector = 1900, .nr_sectors = 200 };
	ph = classify_write(&c, &io, &s, &nr);
	check(ph == 4 && s == FDPBLK_SRC_RANGE && nr == 100,
	      "a write out of a range is split at its end");
	io = (struct trace_io){ .sector = 9000, .nr_sectors = 8, .cgroup = 30 };
	ph = classify_write(&c, &io, &s, &nr);
	check(s == FDPBLK_SRC_DEFAULT,
	      "without a parent lookup, only the cgroup's own rank counts");
	classify_free(&c);
	classify_init(&c, &p, 8, &ranks);
	c.parent = parent;
	ph = classify_write(&c, &io, &s, &nr);
	check(ph == 3 && s == FDPBLK_SRC_CGROUP,
	      "a cgroup inherits its ancestor's rank");
	ph = classify_write(&c, &io, &s, &nr);
	check(ph == 3 && s == FDPBLK_SRC_CGROUP, "... also once remembered");
	classify_free(&c);
}

static int parse_all(const char *text, struct trace_io *io, unsigned int max,
		     char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct trace_reader r;
	unsigned int n = 0;
	int ret;

	err[0] = '\0';
	trace_open(&r, f, "t");
	while (n < max && (ret = trace_next(&r, &io[n], err)) > 0)
		n++;
	trace_close(&r);
	fclose(f);
	return ret < 0 ? -1 : (int)n;
}

static void test_trace(void)
{
	static const struct {
		const char *text, *err;
	} bad[] = {
		{ "x 1 8\n", "t:1: a line is w, d or c" },
		{ "c 5\n", "t:1: c: PARENT must be a cgroup id" },
		{ "c 0 1\n", "t:1: c: ID must be a cgroup id" },
		{ "c 5 0\n", "t:1: c: PARENT must be a cgroup id" },
		{ "c 5 6 hint=1\n", "t:1: c: ID PARENT, and nothing after them" },
		{ "c 5 5\n", "t:1: c: cgroup 5 is its own parent" },
		{ "c 5 6\nc 5 7\n", "t:2: c: cgroup 5 had parent 6 already" },
		{ "# c\nw 1 0\n", "t:2: SECTORS must be" },
		{ "w 1\n", "t:1: SECTORS must be" },
		{ "w 1 8 hint=6\n", "t:1: hint must be 0..5" },
		{ "w 1 8 ph=256\n", "t:1: ph must be 0..255" },
		{ "w 1 8 ph=1 ph=2\n", "t:1: ph given twice" },
		{ "d 1 8 ph=1\n", "t:1: unknown field \"ph=1\" (d takes none)" },
		{ "w 1 8 size=3\n", "t:1: unknown field" },
		{ "w 18446744073709551615 8\n", "t:1: SECTOR + SECTORS" },
		{ "w 1 8x\n", "t:1: SECTORS must be" },
	};
	struct trace_io io[4];
	char err[TRACEFILE_ERR_LEN], buf[256];
	unsigned int i;
	FILE *f;
	int n;

	n = parse_all("# a comment\n\nw 100 8 hint=2 stream=3 meta=1 cgroup=77 ph=4  # end\n"
		      "  d 8 16\nw 0 1\n", io, 4, err);
	check(n == 3 && !io[0].discard && io[0].sector == 100 &&
	      io[0].nr_sectors == 8 && io[0].hint == 2 && io[0].stream == 3 &&
	      io[0].meta && io[0].cgroup == 77 && io[0].has_ph &&
	      io[0].ph == 4 && io[1].discard && io[1].sector == 8 &&
	      io[1].nr_sectors == 16 && !io[2].has_ph && !io[2].meta,
	      "a trace with every field, comments and blank lines %s", err);
	f = fmemopen(buf, sizeof(buf), "w");
	trace_write(f, &io[0]);
	trace_write(f, &io[1]);
	fclose(f);
	check(!strcmp(buf, "w 100 8 hint=2 stream=3 meta=1 cgroup=77 ph=4\nd 8 16\n"),
	      "trace_write writes what trace_next reads");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = parse_all(bad[i].text, io, 4, err);
		check(n == -1 && !strncmp(err, bad[i].err, strlen(bad[i].err)),
		      "refused: %s -> %s", strtok(strdupa(bad[i].text), "\n"),
		      err);
	}
}

/* c lines: the parents they give, kept by the reader; a c line is no I/O. */
static void test_trace_cgroups(void)
{
	static const char text[] = "c 30 20\nc 7 3 # a comment\nw 1 8 cgroup=30\n"
				   "c 30 20\nc 20 10\nw 9 8\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	char err[TRACEFILE_ERR_LEN] = "", buf[64];
	struct trace_reader r;
	struct trace_io io[3];
	uint64_t p20 = 0, p30 = 0, p7 = 0, p10 = 0;
	unsigned int n = 0;
	int ret;

	trace_open(&r, f, "t");
	while (n < 3 && (ret = trace_next(&r, &io[n], err)) > 0)
		n++;
	check(ret == 0 && n == 2 && io[0].cgroup == 30 && io[1].sector == 9,
	      "c lines between writes are read as no I/O %s", err);
	check(trace_cgroup_parent(&r, 30, &p30) && p30 == 20 &&
	      trace_cgroup_parent(&r, 20, &p20) && p20 == 10 &&
	      trace_cgroup_parent(&r, 7, &p7) && p7 == 3 &&
	      !trace_cgroup_parent(&r, 10, &p10),
	      "the reader keeps each cgroup's parent (given twice alike: once)");
	trace_close(&r);
	fclose(f);
	trace_cgroup_line(30, 20, buf, sizeof(buf));
	check(!strcmp(buf, "c 30 20\n"), "trace_cgroup_line writes what is read");
}

int main(void)
{
	test_hash();
	test_precedence();
	test_split_and_ancestors();
	test_trace();
	test_trace_cgroups();
	return test_done();
}
