// SPDX-License-Identifier: GPL-2.0
/*
 * Description: policy files (policy.c) on the host: valid files set what
 * they name and keep the policy they are parsed onto elsewhere, what
 * policy_write() writes reads back as the same table and header, and each
 * kind of invalid file is refused with its line and the reason: a key
 * given twice, ph 0 or a ph twice in a pool, an unknown pid:P. key=value
 * arguments parse as lines, and a header is checked against a device.
 * Also policy_auto()'s bounds.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"
#include "policy.h"
#include "test.h"

/* A fake RUH status: ph k has placement ID 10 + k - 1, RUH id 7 - (k - 1). */
static const struct policy_handle handles8[8] = {
	{ 10, 7, 1 }, { 11, 6, 1 }, { 12, 5, 1 }, { 13, 4, 1 },
	{ 14, 3, 1 }, { 15, 2, 1 }, { 16, 1, 2 }, { 17, 0, 2 },
};
static const struct policy_limits lim8 = {
	.max_ph = 8, .nr_streams = 8, .handles = handles8,
};

/* Parse @text as file "f" for @lim onto @p, header to @h. */
static int parse_onto(const char *text, const struct policy_limits *lim,
		      struct fdpblk_policy *p, struct policy_header *h,
		      char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -2;
	err[0] = '\0';
	ret = policy_parse(f, "f", lim, p, h, err);
	fclose(f);
	return ret;
}

/* Parse @text onto the creation default: policy_parse()'s result. */
static int parse(const char *text, const struct policy_limits *lim,
		 struct fdpblk_policy *p, char *err)
{
	struct policy_header h;

	policy_default(lim, p);
	return parse_onto(text, lim, p, &h, err);
}

static bool same(const struct fdpblk_policy *a, const struct fdpblk_policy *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static void test_valid(void)
{
	struct fdpblk_policy p, def;
	char err[POLICY_ERR_LEN];

	policy_default(&lim8, &def);
	check(!parse("", &lim8, &p, err) && same(&p, &def),
	      "an empty file is the creation default");
	check(!parse("# nothing\n\n   \t\n", &lim8, &p, err) && same(&p, &def),
	      "comments and blank lines only: the creation default");
	check(def.hint_map[2] == 2 && def.stream_map[1] == FDPBLK_PH_FOLLOW_HINT &&
	      def.stream_map[6] == 6 && def.meta_chunk_kib == POLICY_META_CHUNK_DEFAULT,
	      "default: hint h on ph h, streams 1..5 follow hints, 6.. their ph");

	check(!parse("default = 1\n"
		     "hint.short = 2   # trailing comment\n"
		     "hint.3=3\n"
		     "stream.1 = hint\n"
		     "stream.6 = 4\n"
		     "data_pool = 5, 6 7\n"
		     "meta_pool = 8\n"
		     "meta_chunk_kib = 64\n", &lim8, &p, err),
	      "a file with every kind of key parses (%s)", err);
	check(p.default_ph == 1 && p.hint_map[2] == 2 && p.hint_map[3] == 3 &&
	      p.stream_map[1] == FDPBLK_PH_FOLLOW_HINT && p.stream_map[6] == 4,
	      "default, hint.NAME, hint.N, stream.S take their values");
	check(p.data_pool_len == 3 && p.data_pool[0] == 5 && p.data_pool[2] == 7 &&
	      p.meta_pool_len == 1 && p.meta_pool[0] == 8 && p.meta_chunk_kib == 64,
	      "pools (blank or comma separated) and meta_chunk_kib");
	check(p.hint_map[4] == def.hint_map[4] && p.stream_map[7] == def.stream_map[7],
	      "keys left out keep the creation default");
	check(!parse("data_pool =\n", &lim8, &p, err) && p.data_pool_len == 0,
	      "an empty pool");
	check(!parse("default = 0\n", &lim8, &p, err) && p.default_ph == 0,
	      "ph 0 (no directive)");
}

/* What policy_write() writes is read back as the same table. */
static void test_round_trip(void)
{
	struct policy_reasons why = { 0 };
	struct fdpblk_policy p, q;
	struct policy_header h;
	char err[POLICY_ERR_LEN], *buf = NULL;
	uint8_t ruht[8] = { 1, 1, 1, 1, 1, 1, 2, 2 };
	size_t len = 0;
	FILE *f;

	check(!policy_auto(&lim8, ruht, -1, &p, &why, err),
	      "policy_auto, 8 handles (%s)", err);
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	p.version = 42;
	policy_write(f, &p, &lim8, "nvme.1b36-abc");
	fclose(f);
	policy_default(&lim8, &q);
	check(!parse_onto(buf, &lim8, &q, &h, err) &&
	      (q.version = h.version, same(&p, &q)),
	      "policy_write output reads back as the same policy (%s)", err);
	check(!strcmp(h.lower, "nvme.1b36-abc") && h.nr_pids == 8 &&
	      h.pid[0] == 10 && h.pid[7] == 17 && h.has_version &&
	      h.version == 42,
	      "and its header: lower, placement_ids, version");
	check(!policy_header_check(&h, "nvme.1b36-abc", &lim8, err),
	      "a header read back matches its device (%s)", err);
	free(buf);
}

/* A file or argument list changes only the keys it names. */
static void test_partial(void)
{
	struct fdpblk_policy base, p;
	struct policy_header h;
	char err[POLICY_ERR_LEN];
	char *args[] = { "hint.short=6", "data_pool = 3,4", "# nothing" };

	policy_default(&lim8, &base);
	base.default_ph = 5;
	base.hint_map[4] = 1;
	base.meta_pool[0] = 8;
	base.meta_pool_len = 1;
	base.stream_map[7] = 2;
	base.meta_chunk_kib = 64;

	memcpy(&p, &base, sizeof(p));
	check(!parse_onto("hint.short = 6\n", &lim8, &p, &h, err),
	      "a one-key file parses onto a base (%s)", err);
	p.hint_map[2] = base.hint_map[2];
	check(same(&p, &base), "a one-key file changes that key only");
	check(!h.lower[0] && h.nr_pids == -1 && !h.has_version,
	      "a file without a header has none");

	memcpy(&p, &base, sizeof(p));
	check(!policy_parse_args(args, 3, 2, &lim8, &p, &h, err),
	      "key=value arguments parse (%s)", err);
	check(p.hint_map[2] == 6 && p.data_pool_len == 2 && p.data_pool[0] == 3 &&
	      p.data_pool[1] == 4, "each argument sets its key");
	p.hint_map[2] = base.hint_map[2];
	p.data_pool_len = 0;
	memset(p.data_pool, 0, sizeof(p.data_pool));
	check(same(&p, &base), "and nothing else");

	/* A base pool an older fdpctl allowed: named, and fixable. */
	base.data_pool[0] = base.data_pool[1] = 3;
	base.data_pool_len = 2;
	memcpy(&p, &base, sizeof(p));
	check(parse_onto("default = 1\n", &lim8, &p, &h, err) == -1 &&
	      !strcmp(err, "f: the device's data_pool = 3 3: '3': ph 3 is in the pool twice; set it too"),
	      "a bad entry the file leaves out is named: %s", err);
	memcpy(&p, &base, sizeof(p));
	check(!parse_onto("default = 1\ndata_pool = 3\n", &lim8, &p, &h, err),
	      "and a file that sets it too is taken (%s)", err);
}

static void test_args(void)
{
	static const struct {
		char *args[3];
		unsigned int n;
		const char *err;
	} t[] = {
		{ { "hint.short=9" }, 1, "argument 2: hint.short = 9: ph 9 is beyond" },
		{ { "default=1", "default=2" }, 2,
		  "argument 3: default: duplicate entry, first in argument 2" },
		{ { "default=1", "bogus=2" }, 2, "argument 3: bogus: unknown key" },
		{ { "default=1", "data_pool" }, 2,
		  "argument 3: 'data_pool': expected KEY = VALUE" },
		{ { "meta_pool=0" }, 1, "argument 2: meta_pool = 0: '0': ph 0" },
	};
	struct fdpblk_policy p;
	struct policy_header h;
	char err[POLICY_ERR_LEN];
	char *v[] = { "version=7", "default=pid:12" };
	unsigned int i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		policy_default(&lim8, &p);
		check(policy_parse_args(t[i].args, t[i].n, 2, &lim8, &p, &h,
					err) == -1 &&
		      !strncmp(err, t[i].err, strlen(t[i].err)),
		      "argument refused: %s", err);
	}
	policy_default(&lim8, &p);
	check(!policy_parse_args(v, 2, 2, &lim8, &p, &h, err) &&
	      h.has_version && h.version == 7 && p.default_ph == 3,
	      "version=V and pid:P as arguments (%s)", err);
}

/* pid:P is the ph whose RUH status descriptor has placement ID P. */
static void test_pid(void)
{
	const struct policy_limits nolim = { .max_ph = 8, .nr_streams = 8 };
	struct fdpblk_policy p;
	char err[POLICY_ERR_LEN];

	check(!parse("default = pid:10\nhint.short = pid:17\n"
		     "data_pool = pid:12, pid:13 5\nstream.6 = pid:16\n",
		     &lim8, &p, err),
	      "pid:P anywhere a ph goes (%s)", err);
	check(p.default_ph == 1 && p.hint_map[2] == 8 && p.data_pool_len == 3 &&
	      p.data_pool[0] == 3 && p.data_pool[1] == 4 && p.data_pool[2] == 5 &&
	      p.stream_map[6] == 7, "pid:P maps to its ph");
	check(parse("default = pid:18\n", &lim8, &p, err) == -1 &&
	      strstr(err, "pid:18: no handle of the device has placement ID 18"),
	      "an unknown placement ID is named (%s)", err);
	check(parse("default = pid:10\n", &nolim, &p, err) == -1 &&
	      strstr(err, "the device's placement IDs are unknown"),
	      "pid:P without the device's RUH status is refused (%s)", err);
	check(!parse("default = 1\n", &nolim, &p, err),
	      "a plain ph without the device's RUH status is fine (%s)", err);
}

/* A header from another namespace or handle layout is told apart. */
static void test_header(void)
{
	const struct policy_limits nolim = { .max_ph = 8, .nr_streams = 8 };
	struct policy_header h;
	struct fdpblk_policy p;
	char err[POLICY_ERR_LEN];

	policy_default(&lim8, &p);
	check(!parse_onto("lower = eui.01\nplacement_ids = 10 11 12 13 14 15 16 17\n",
			  &lim8, &p, &h, err) &&
	      !policy_header_check(&h, "eui.01", &lim8, err),
	      "the device's own header (%s)", err);
	check(policy_header_check(&h, "eui.02", &lim8, err) == -1 &&
	      !strcmp(err, "written for namespace eui.01, the device is on eui.02"),
	      "another namespace: %s", err);
	check(policy_header_check(&h, "eui.01", &nolim, err) == -1 &&
	      strstr(err, "the device's cannot be read"),
	      "placement IDs that cannot be checked: %s", err);
	check(!parse_onto("placement_ids = 0 1 2 3 4 5 6 7\n", &lim8, &p, &h, err) &&
	      policy_header_check(&h, "eui.01", &lim8, err) == -1 &&
	      !strcmp(err, "written for placement IDs 0 1 2 3 4 5 6 7 (ph 1..8), the device's are 10 11 12 13 14 15 16 17"),
	      "another handle layout: %s", err);
	check(!parse_onto("placement_ids = 10 11 12 13\n", &lim8, &p, &h, err) &&
	      policy_header_check(&h, "eui.01", &lim8, err) == -1,
	      "fewer handles: %s", err);
	check(!parse_onto("version = 3\n", &lim8, &p, &h, err) &&
	      !policy_header_check(&h, "eui.01", &nolim, err) &&
	      h.has_version && h.version == 3,
	      "no lower, no placement IDs: nothing to refuse (%s)", err);
}

static void test_invalid(void)
{
	static const struct {
		const char *text;
		const char *err;	/* the start of the message */
	} t[] = {
		{ "default = 9\n", "f:1: default = 9: ph 9 is beyond the device's 8 handles" },
		{ "default = x\n", "f:1: default = x: 'x' is not a placement handle (0..8 or pid:P)" },
		{ "default = 0x1\n", "f:1: default = 0x1: '0x1' is not a placement handle" },
		{ "default = -1\n", "f:1: default = -1: '-1' is not a placement handle" },
		{ "default =\n", "f:1: default = : '' is not a placement handle" },
		{ "\n# c\ndefault\n", "f:3: 'default': expected KEY = VALUE" },
		{ "bogus = 1\n", "f:1: bogus: unknown key" },
		{ "stream.9 = 1\n", "f:1: stream.9: the device has streams 1..8 only" },
		{ "hint.foo = 1\n", "f:1: hint.foo: hints are none, short, medium, long, extreme" },
		{ "hint.not_set = 1\n", "f:1: hint.not_set: hints are none" },
		{ "default = 1\ndefault = 2\n", "f:2: default: duplicate entry, first on line 1" },
		{ "hint.short = 1\n#\nhint.2 = 1\n", "f:3: hint.2: duplicate entry, first on line 1" },
		{ "version = 1\nversion = 1\n", "f:2: version: duplicate entry, first on line 1" },
		{ "data_pool = 0\n", "f:1: data_pool = 0: '0': ph 0 (no directive) is no handle to place on" },
		{ "meta_pool = 3 0 4\n", "f:1: meta_pool = 3 0 4: '0': ph 0 (no directive)" },
		{ "data_pool = 3, 4, 3\n", "f:1: data_pool = 3, 4, 3: '3': ph 3 is in the pool twice" },
		{ "data_pool = 1 pid:10\n", "f:1: data_pool = 1 pid:10: 'pid:10': ph 1 is in the pool twice" },
		{ "default = pid:9\n", "f:1: default = pid:9: pid:9: no handle of the device has placement ID 9" },
		{ "default = pid:x\n", "f:1: default = pid:x: 'pid:x' is not a placement ID" },
		{ "default = pid:65536\n", "f:1: default = pid:65536: 'pid:65536' is not a placement ID" },
		{ "placement_ids = 1 x\n", "f:1: placement_ids = 1 x: 'x' is not a placement ID" },
		{ "version = -1\n", "f:1: version = -1: '-1' is not a policy version" },
		{ "lower =\n", "f:1: lower = : not a namespace's identity" },
		{ "stream.6 = hint\n", "f:1: stream.6 = hint: only streams 1..5 can follow a hint" },
		{ "meta_chunk_kib = 3\n", "f:1: meta_chunk_kib = 3: '3' is not a power of two from 4 to 1048576" },
		{ "meta_chunk_kib = 12\n", "f:1: meta_chunk_kib = 12: '12' is not a power of two" },
		{ "meta_chunk_kib = 2097152\n", "f:1: meta_chunk_kib = 2097152: '2097152' is not a power of two" },
		{ "data_pool = 1 2 x\n", "f:1: data_pool = 1 2 x: 'x' is not a placement handle" },
		{ "meta_pool = 1,9\n", "f:1: meta_pool = 1,9: ph 9 is beyond" },
	};
	struct fdpblk_policy p;
	char err[POLICY_ERR_LEN];
	unsigned int i;
	int ret;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ret = parse(t[i].text, &lim8, &p, err);
		check(ret == -1 && !strncmp(err, t[i].err, strlen(t[i].err)),
		      "refused: %s", err);
	}
}

/* Limits of the format: long lines, long pools. */
static void test_limits(void)
{
	const struct policy_limits lim255 = { .max_ph = 255, .nr_streams = 8 };
	char text[8192], err[POLICY_ERR_LEN];
	struct fdpblk_policy p;
	size_t off;
	int i;

	off = snprintf(text, sizeof(text), "# ");
	memset(text + off, 'x', 5000);
	strcpy(text + off + 5000, "\n");
	check(parse(text, &lim8, &p, err) == -1 && !strcmp(err, "f:1: line too long"),
	      "a line over 4 KiB is refused (%s)", err);

	/* No ph twice: a pool holds every handle at most. */
	off = snprintf(text, sizeof(text), "data_pool =");
	for (i = 1; i <= FDPBLK_MAX_PH; i++)
		off += snprintf(text + off, sizeof(text) - off, " %d", i);
	snprintf(text + off, sizeof(text) - off, "\n");
	check(!parse(text, &lim255, &p, err) && p.data_pool_len == FDPBLK_MAX_PH,
	      "a pool of all %d handles (%s)", FDPBLK_MAX_PH, err);
	snprintf(text + off, sizeof(text) - off, " 1\n");
	check(parse(text, &lim255, &p, err) == -1 &&
	      strstr(err, "'1': ph 1 is in the pool twice"),
	      "a pool of %d entries repeats one (%s)", FDPBLK_MAX_PH + 1, err);
}

static void test_check_auto(void)
{
	const struct policy_limits lim1 = { .max_ph = 1, .nr_streams = 8 };
	const struct policy_limits lim0 = { .max_ph = 0, .nr_streams = 8 };
	struct policy_reasons why = { 0 };
	uint8_t ruht[8] = { 0 };
	struct fdpblk_policy p;
	char err[POLICY_ERR_LEN];

	policy_default(&lim8, &p);
	p.hint_map[0] = 1;
	check(policy_check(&lim8, &p, err) == -1 && !strcmp(err, "hint.not_set must be 0"),
	      "policy_check: hint.not_set must be 0");
	policy_default(&lim8, &p);
	p.stream_map[9] = 1;
	check(policy_check(&lim8, &p, err) == -1 &&
	      !strcmp(err, "stream.9: the device has streams 1..8 only"),
	      "policy_check: a stream past the device's");

	check(!policy_auto(&lim8, ruht, -1, &p, &why, err) && p.meta_pool_len == 2 &&
	      p.meta_pool[0] == 7 && p.meta_pool[1] == 8,
	      "auto, 8 handles: metadata on the top two (%s)", err);
	ruht[2] = FDP_RUHT_PERSISTENTLY_ISOLATED;
	why.n = 0;
	check(!policy_auto(&lim8, ruht, 1, &p, &why, err) && p.meta_pool_len == 1 &&
	      p.meta_pool[0] == 3,
	      "auto --meta 1: a persistently isolated handle first (%s)", err);
	why.n = 0;
	check(policy_auto(&lim8, ruht, 8, &p, &why, err) == -1 &&
	      !strcmp(err, "8 metadata handles leave none of the 8 for data"),
	      "auto --meta 8 of 8: refused");
	why.n = 0;
	check(!policy_auto(&lim1, ruht, -1, &p, &why, err) && !p.meta_pool_len &&
	      p.default_ph == 1, "auto, 1 handle: no metadata pool (%s)", err);
	why.n = 0;
	check(policy_auto(&lim0, ruht, -1, &p, &why, err) == -1,
	      "auto, no handles: refused");
}

int main(void)
{
	test_valid();
	test_round_trip();
	test_partial();
	test_args();
	test_pid();
	test_header();
	test_invalid();
	test_limits();
	test_check_auto();
	return test_done();
}
