// SPDX-License-Identifier: GPL-2.0
/*
 * Description: configuration files (conf.c) on the host: a good file gives
 * its device keys, its policy onto the defaults (pid:P too) and its ranks;
 * the name is the file's; a kernel name (nvme0n1) as lower is refused, and
 * so are duplicate keys and sections, unknown keys and sections, header
 * keys that have no place in a configuration, cgroup ids, and a
 * pass-through device with a policy; each error names the file and line;
 * what save writes reads back as the same.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "test.h"

static char err[CONF_ERR_LEN];

static int parse(const char *path, const char *text, struct fdpblk_conf *c)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	if (!f)
		return -2;
	err[0] = '\0';
	ret = conf_parse(f, path, c, err);
	fclose(f);
	return ret;
}

/* @text is refused with exactly @msg, and leaves nothing parsed. */
static void refused(const char *text, const char *msg, const char *what)
{
	struct fdpblk_conf c;
	int ret = parse("/etc/fdpblk/data.conf", text, &c);

	check(ret == -1 && !strcmp(err, msg) && !c.policy && !c.ranks.n &&
	      !c.lower[0], "%s: \"%s\" (got \"%s\")", what, msg, err);
}

static const struct policy_handle handles[4] = {
	{ .pid = 0 }, { .pid = 1 }, { .pid = 2 }, { .pid = 3 },
};
static const struct policy_limits lim4 = {
	.max_ph = 4, .nr_streams = 8, .handles = handles,
};

static void test_good(void)
{
	struct fdpblk_policy p, def;
	struct fdpblk_conf c;
	int ret;

	ret = parse("/tmp/x/data.conf",
		    "# the data disk\n"
		    "lower = eui.0011223344556677  # its wwid\n"
		    "streams = 6\n"
		    "passthrough = no\n"
		    "\n"
		    "[policy]\n"
		    "default = 3\n"
		    "hint.short = pid:2\n"
		    "placement_ids = 0 1 2 3\n"
		    "data_pool = 1,2\n"
		    "[ranks]\n"
		    "range 2048 4096 7\n"
		    "cgroup fdpctl-test 4   # by path\n", &c);
	check(ret == 0, "a good file parses (%s)", err);
	if (ret)
		return;
	check(!strcmp(c.name, "data"), "the name is the file's (%s)", c.name);
	check(!strcmp(c.lower, "eui.0011223344556677"), "lower (%s)", c.lower);
	check(c.streams == 6 && conf_streams(&c) == 6 && !c.passthrough,
	      "streams and passthrough");
	check(c.ranks.n == 2 && c.ranks.nr_ranges == 1 && c.ranks.nr_cgroups == 1,
	      "two ranks");
	check(c.ranks.e[0].line == 12 && c.ranks.e[0].start == 2048 &&
	      c.ranks.e[0].nr_sectors == 4096 && c.ranks.e[0].rank == 7,
	      "the range, with the file's line");
	check(c.ranks.e[1].line == 13 && c.ranks.e[1].path &&
	      !strcmp(c.ranks.e[1].path, "fdpctl-test") && c.ranks.e[1].rank == 4,
	      "the cgroup, by path");
	ret = conf_policy(&c, "/tmp/x/data.conf", &lim4, &p, err);
	check(ret == 0, "the policy fits 4 handles (%s)", err);
	policy_default(&lim4, &def);
	check(p.default_ph == 3 && p.hint_map[2] == 3 && p.data_pool_len == 2 &&
	      p.data_pool[0] == 1 && p.data_pool[1] == 2,
	      "policy entries, pid:2 is ph 3");
	check(p.hint_map[3] == def.hint_map[3] && p.meta_pool_len == def.meta_pool_len &&
	      p.meta_chunk_kib == def.meta_chunk_kib,
	      "keys not given are the defaults");
	conf_free(&c);

	ret = parse("a/b.c-1.conf", "lower = /dev/disk/by-id/nvme-eui.01\n", &c);
	check(ret == 0 && !strcmp(c.name, "b.c-1") && !c.policy && !c.ranks.n &&
	      conf_streams(&c) == FDPBLK_DEFAULT_STREAMS,
	      "a by-id link, no sections: default streams (%s)", err);
	if (!ret) {
		ret = conf_policy(&c, "b", &lim4, &p, err);
		check(ret == 0 && !memcmp(&p, &def, sizeof(p)),
		      "no [policy]: the defaults");
	}
	conf_free(&c);

	ret = parse("p.conf", "lower = uuid.5b4c\npassthrough = yes\n", &c);
	check(ret == 0 && c.passthrough, "a pass-through device (%s)", err);
	conf_free(&c);
}

static void test_policy_errors(void)
{
	struct fdpblk_policy p;
	struct fdpblk_conf c;
	int ret;

	ret = parse("/c/d.conf", "lower = eui.01\n[policy]\ndefault = 1\n\ndefault = 2\n", &c);
	check(ret == 0, "policy entries are checked later (%s)", err);
	ret = conf_policy(&c, "/c/d.conf", &lim4, &p, err);
	check(ret == -1 && !strcmp(err, "/c/d.conf:5: default: duplicate entry, first on line 3"),
	      "a duplicate policy key: the file's line (%s)", err);
	conf_free(&c);

	parse("/c/d.conf", "lower = eui.01\n[policy]\nhint.long = 9\n", &c);
	ret = conf_policy(&c, "/c/d.conf", &lim4, &p, err);
	check(ret == -1 && !strcmp(err, "/c/d.conf:3: hint.long = 9: ph 9 is beyond the device's 4 handles (0..4, 0 = no directive)"),
	      "a ph beyond the device (%s)", err);
	conf_free(&c);

	parse("/c/d.conf", "lower = eui.01\n[policy]\nplacement_ids = 0 1 2 4\n", &c);
	ret = conf_policy(&c, "/c/d.conf", &lim4, &p, err);
	check(ret == -1 && strstr(err, "/c/d.conf: written for placement IDs 0 1 2 4"),
	      "placement_ids not the device's (%s)", err);
	conf_free(&c);
}

static void test_refused(void)
{
	struct fdpblk_conf c;

	refused("lower = nvme0n1\n",
		"/etc/fdpblk/data.conf:1: lower = nvme0n1: kernel names change between boots: name the namespace by its wwid (cat /sys/block/nvmeXnY/wwid) or a /dev/disk/by-id/ link",
		"nvmeXnY refused");
	refused("# x\nlower = /dev/nvme1n2\n",
		"/etc/fdpblk/data.conf:2: lower = /dev/nvme1n2: kernel names change between boots: name the namespace by its wwid (cat /sys/block/nvmeXnY/wwid) or a /dev/disk/by-id/ link",
		"/dev/nvmeXnY refused");
	refused("lower = nvme0c1n1\n",
		"/etc/fdpblk/data.conf:1: lower = nvme0c1n1: kernel names change between boots: name the namespace by its wwid (cat /sys/block/nvmeXnY/wwid) or a /dev/disk/by-id/ link",
		"a path device refused");
	refused("lower = /dev/sda\n",
		"/etc/fdpblk/data.conf:1: lower = /dev/sda: a path must be a link in /dev/disk/by-id/",
		"a path outside by-id");
	refused("lower = WDC-123\n",
		"/etc/fdpblk/data.conf:1: lower = WDC-123: not a wwid (eui., uuid., nvme., as /sys/block/nvmeXnY/wwid shows it) or a /dev/disk/by-id/ link",
		"not a wwid");
	refused("lower = eui.01\nstreams = 4\nlower = eui.02\n",
		"/etc/fdpblk/data.conf:3: lower: duplicate key, first on line 1",
		"a duplicate key");
	refused("lower = eui.01\nstreams = 0\n",
		"/etc/fdpblk/data.conf:2: streams = 0: must be 1..255", "streams 0");
	refused("lower = eui.01\npassthrough = maybe\n",
		"/etc/fdpblk/data.conf:2: passthrough = maybe: must be yes or no",
		"passthrough not a yes or no");
	refused("lower = eui.01\ndefault = 1\n",
		"/etc/fdpblk/data.conf:2: default: unknown key (lower, streams, passthrough; policy entries go under [policy])",
		"a policy key before [policy]");
	refused("lower = eui.01\nstreams\n",
		"/etc/fdpblk/data.conf:2: 'streams': expected KEY = VALUE", "no =");
	refused("lower = eui.01\n[policy]\n[ranks]\n[policy]\n",
		"/etc/fdpblk/data.conf:4: [policy]: duplicate section, first on line 2",
		"a duplicate section");
	refused("lower = eui.01\n[rank]\n",
		"/etc/fdpblk/data.conf:2: [rank]: unknown section ([policy] or [ranks])",
		"an unknown section");
	refused("lower = eui.01\n[policy]\nversion = 3\n",
		"/etc/fdpblk/data.conf:3: version: a configuration holds no policy version (apply pushes only what differs)",
		"version");
	refused("[policy]\nlower = eui.01\n",
		"/etc/fdpblk/data.conf:2: lower: goes before [policy], with the device's keys",
		"lower in [policy]");
	refused("streams = 4\n",
		"/etc/fdpblk/data.conf: no lower = (the namespace's wwid or a /dev/disk/by-id/ link)",
		"no lower");
	refused("lower = eui.01\n[ranks]\nrange 0 8 1\nrange 4 8 2\n",
		"/etc/fdpblk/data.conf:4: range 4+8 overlaps range 0+8 of line 3",
		"overlapping ranges: the file's lines");
	refused("lower = eui.01\n[ranks]\nrange 0 8\n",
		"/etc/fdpblk/data.conf:3: expected range START LEN RANK", "a bad rank line");
	refused("lower = eui.01\n[ranks]\ncgroup id:12 3\n",
		"/etc/fdpblk/data.conf:3: cgroup ids do not survive a reboot: name the cgroup by its path",
		"a cgroup by id");
	refused("lower = eui.01\npassthrough = yes\n\n[policy]\ndefault = 1\n",
		"/etc/fdpblk/data.conf:4: a pass-through device places nothing: it takes no [policy]",
		"pass-through with a policy");
	check(parse("/etc/fdpblk/data", "lower = eui.01\n", &c) == -1 &&
	      !strcmp(err, "/etc/fdpblk/data: not NAME.conf (the device's name is the file's)"),
	      "no .conf suffix (%s)", err);
	check(parse("/etc/fdpblk/fdpblk3.conf", "lower = eui.01\n", &c) == -1 &&
	      strstr(err, "fdpblk3: not a device name"),
	      "fdpblkN is no configured name (%s)", err);
}

static void test_lower_is(void)
{
	check(conf_lower_is("eui.00AB", "nvme0n1", "eui.00ab"), "a wwid, any case");
	check(!conf_lower_is("eui.00ab", "nvme0n1", "eui.00ac"), "another wwid");
	check(!conf_lower_is("eui.00ab", "nvme0n1", NULL), "no wwid known");
	check(conf_lower_is("/dev/disk/by-id/nvme-eui.00ab", "nvme0n1", "eui.00ab"),
	      "nvme-WWID by its name, before udev made it");
	check(!conf_lower_is("/dev/disk/by-id/nvme-eui.00ab-part1", "nvme0n1", "eui.00ab"),
	      "not a partition's link");
}

/* What save writes (device part, then the policy's entries) reads back. */
static void test_round_trip(void)
{
	struct fdpblk_policy p, q;
	struct fdpblk_conf c;
	char *buf = NULL, err2[CONF_ERR_LEN];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	policy_default(&lim4, &p);
	p.default_ph = 4;
	p.meta_pool[0] = 4;
	p.meta_pool_len = 1;
	conf_write_device(f, "uuid.1234", 8, false);
	fprintf(f, "\n[policy]\n");
	policy_write_entries(f, &p, &lim4);
	fprintf(f, "\n[ranks]\nrange 0 8 1\n");
	fclose(f);
	ret = parse("/x/y.conf", buf, &c);
	check(ret == 0, "save's output parses (%s)", err);
	if (!ret) {
		ret = conf_policy(&c, "/x/y.conf", &lim4, &q, err2);
		check(ret == 0 && !memcmp(&p, &q, sizeof(p)) && c.streams == 8 &&
		      c.ranks.n == 1, "and reads back as the same (%s)", err2);
	}
	conf_free(&c);
	free(buf);
}

int main(void)
{
	test_good();
	test_policy_errors();
	test_refused();
	test_lower_is();
	test_round_trip();
	return test_done();
}
