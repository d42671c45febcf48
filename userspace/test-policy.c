// SPDX-License-Identifier: GPL-2.0
/*
 * Description: policy files (policy.c) on the host: valid files set what
 * they name and keep the creation defaults elsewhere, what policy_write()
 * writes reads back as the same table, and each kind of invalid file is
 * refused with its line and the reason. Also policy_auto()'s bounds.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"
#include "policy.h"
#include "test.h"

static const struct policy_limits lim8 = { .max_ph = 8, .nr_streams = 8 };

/* Parse @text as file "f" for @lim: policy_parse()'s result. */
static int parse(const char *text, const struct policy_limits *lim,
		 struct fdpblk_policy *p, char *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -2;
	err[0] = '\0';
	ret = policy_parse(f, "f", lim, p, err);
	fclose(f);
	return ret;
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
	char err[POLICY_ERR_LEN], *buf = NULL;
	uint8_t ruht[8] = { 1, 1, 1, 1, 1, 1, 2, 2 };
	size_t len = 0;
	FILE *f;

	check(!policy_auto(&lim8, ruht, -1, &p, &why, err),
	      "policy_auto, 8 handles (%s)", err);
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	policy_write(f, &p, &lim8);
	fclose(f);
	check(!parse(buf, &lim8, &q, err) && same(&p, &q),
	      "policy_write output reads back as the same policy (%s)", err);
	free(buf);
}

static void test_invalid(void)
{
	static const struct {
		const char *text;
		const char *err;	/* the start of the message */
	} t[] = {
		{ "default = 9\n", "f:1: default = 9: ph 9 is beyond the device's 8 handles" },
		{ "default = x\n", "f:1: default = x: 'x' is not a placement handle (0..8)" },
		{ "default = 0x1\n", "f:1: default = 0x1: '0x1' is not a placement handle" },
		{ "default = -1\n", "f:1: default = -1: '-1' is not a placement handle" },
		{ "default =\n", "f:1: default = : '' is not a placement handle" },
		{ "\n# c\ndefault\n", "f:3: 'default': expected KEY = VALUE" },
		{ "bogus = 1\n", "f:1: bogus: unknown key" },
		{ "stream.9 = 1\n", "f:1: stream.9: the device has streams 1..8 only" },
		{ "hint.foo = 1\n", "f:1: hint.foo: hints are none, short, medium, long, extreme" },
		{ "hint.not_set = 1\n", "f:1: hint.not_set: hints are none" },
		{ "default = 1\ndefault = 2\n", "f:2: default: given twice" },
		{ "hint.short = 1\nhint.2 = 1\n", "f:2: hint.2: given twice" },
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
	char text[8192], err[POLICY_ERR_LEN];
	struct fdpblk_policy p;
	size_t off;
	int i;

	off = snprintf(text, sizeof(text), "# ");
	memset(text + off, 'x', 5000);
	strcpy(text + off + 5000, "\n");
	check(parse(text, &lim8, &p, err) == -1 && !strcmp(err, "f:1: line too long"),
	      "a line over 4 KiB is refused (%s)", err);

	off = snprintf(text, sizeof(text), "data_pool =");
	for (i = 0; i < FDPBLK_POOL_MAX; i++)
		off += snprintf(text + off, sizeof(text) - off, " %d", i % 8 + 1);
	snprintf(text + off, sizeof(text) - off, "\n");
	check(!parse(text, &lim8, &p, err) && p.data_pool_len == FDPBLK_POOL_MAX,
	      "a pool of %d entries (%s)", FDPBLK_POOL_MAX, err);
	snprintf(text + off, sizeof(text) - off, " 1\n");
	check(parse(text, &lim8, &p, err) == -1 && strstr(err, "more than 256 entries"),
	      "a pool of %d entries is refused (%s)", FDPBLK_POOL_MAX + 1, err);
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
	test_invalid();
	test_limits();
	test_check_auto();
	return test_done();
}
