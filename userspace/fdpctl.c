// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl: discover NVMe Flexible Data Placement and drive fdpblk.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <json-c/json.h>

#include "ctl.h"

enum output_format { OUT_NORMAL, OUT_JSON };

struct cmd {
	const char *name;
	const char *usage;
	int (*fn)(int argc, char **argv);
};

static enum output_format out_fmt = OUT_NORMAL;

static int fail(const char *what, int err)
{
	fprintf(stderr, "fdpctl: %s: %s\n", what, strerror(err));
	return 1;
}

static int parse_output(const char *arg)
{
	if (!strcmp(arg, "normal"))
		out_fmt = OUT_NORMAL;
	else if (!strcmp(arg, "json"))
		out_fmt = OUT_JSON;
	else
		return -1;
	return 0;
}

/* Common options of the read commands: -o normal|json. */
static int parse_read_opts(int argc, char **argv, int *optind_out)
{
	static const struct option opts[] = {
		{ "output-format", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (parse_output(optarg)) {
				fprintf(stderr, "fdpctl: -o %s: must be normal or json\n",
					optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	*optind_out = optind;
	return 0;
}

static int open_control(int *ctl)
{
	*ctl = fdpblk_ctl_open();
	if (*ctl == -ENOENT) {
		fprintf(stderr, "fdpctl: %s: not found: is fdpblk.ko loaded?\n",
			FDPBLK_CONTROL_PATH);
		return 1;
	}
	if (*ctl < 0)
		return fail(FDPBLK_CONTROL_PATH, -*ctl);
	return 0;
}

static int cmd_features(int argc, char **argv)
{
	struct fdpblk_features f;
	int ctl, ret, idx;

	if (parse_read_opts(argc, argv, &idx) || idx != argc) {
		fprintf(stderr, "usage: fdpctl features [-o normal|json]\n");
		return 2;
	}
	ret = open_control(&ctl);
	if (ret)
		return ret;
	ret = fdpblk_get_features(ctl, &f);
	close(ctl);
	if (ret)
		return fail("GET_FEATURES", -ret);

	if (out_fmt == OUT_JSON) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "abi_version",
				       json_object_new_int(f.abi_version));
		json_object_object_add(o, "features",
				       json_object_new_uint64(f.features));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		printf("abi version: %u\nfeatures:    0x%llx\n", f.abi_version,
		       (unsigned long long)f.features);
	}
	return 0;
}

/* N of an fdpblk device given as /dev/fdpblkN or fdpblkN. */
static int dev_arg(const char *dev, unsigned int *id)
{
	int ret = fdpblk_dev_id(dev);

	if (ret < 0) {
		fprintf(stderr, "fdpctl: %s: not an fdpblk device (/dev/fdpblkN)\n",
			dev);
		return 1;
	}
	*id = ret;
	return 0;
}

static int explain_create(const char *lower, int err)
{
	switch (err) {
	case ENOENT:
		fprintf(stderr, "fdpctl: %s: no such device\n", lower);
		break;
	case EOPNOTSUPP:
		fprintf(stderr, "fdpctl: %s: no FDP write streams (or zoned): use --passthrough to create anyway (see dmesg)\n",
			lower);
		break;
	case EBUSY:
		fprintf(stderr, "fdpctl: %s: in use (mounted or claimed by another driver)\n",
			lower);
		break;
	case ENOTBLK:
		fprintf(stderr, "fdpctl: %s: not a block device\n", lower);
		break;
	default:
		return fail(lower, err);
	}
	return 1;
}

static int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streams", required_argument, NULL, 's' },
		{ "passthrough", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int streams = 0, id;
	uint32_t flags = 0;
	char *end;
	int c, ctl, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			errno = 0;
			streams = strtoul(optarg, &end, 10);
			if (errno || *end || !streams || streams > FDPBLK_MAX_STREAMS) {
				fprintf(stderr, "fdpctl: --streams %s: must be 1..%d\n",
					optarg, FDPBLK_MAX_STREAMS);
				return 2;
			}
			break;
		case 'p':
			flags |= FDPBLK_CREATE_F_PASSTHROUGH;
			break;
		default:
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: fdpctl create NAMESPACE [--streams V] [--passthrough]\n");
		return 2;
	}
	ret = open_control(&ctl);
	if (ret)
		return ret;
	ret = fdpblk_create(ctl, argv[optind], streams, flags, &id);
	close(ctl);
	if (ret)
		return explain_create(argv[optind], -ret);
	printf("/dev/fdpblk%u\n", id);
	return 0;
}

static int cmd_remove(int argc, char **argv)
{
	unsigned int id;
	int ctl, ret;

	if (argc != 2) {
		fprintf(stderr, "usage: fdpctl remove /dev/fdpblkN\n");
		return 2;
	}
	if (dev_arg(argv[1], &id))
		return 1;
	ret = open_control(&ctl);
	if (ret)
		return ret;
	ret = fdpblk_remove(ctl, id);
	close(ctl);
	if (ret == -EBUSY) {
		fprintf(stderr, "fdpctl: %s: in use (open or mounted)\n", argv[1]);
		return 1;
	}
	if (ret == -ENODEV) {
		fprintf(stderr, "fdpctl: %s: no such fdpblk device\n", argv[1]);
		return 1;
	}
	return ret ? fail(argv[1], -ret) : 0;
}

static struct json_object *json_u16s(const uint16_t *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(v[i]));
	return a;
}

static int cmd_policy(int argc, char **argv)
{
	struct fdpblk_policy p;
	unsigned int id, i;
	int ctl, ret, idx;

	if (argc < 2 || strcmp(argv[1], "show")) {
		fprintf(stderr, "usage: fdpctl policy show /dev/fdpblkN [-o normal|json]\n");
		return 2;
	}
	if (parse_read_opts(argc - 1, argv + 1, &idx) || idx != argc - 2) {
		fprintf(stderr, "usage: fdpctl policy show /dev/fdpblkN [-o normal|json]\n");
		return 2;
	}
	if (dev_arg(argv[argc - 1], &id))
		return 1;
	ret = open_control(&ctl);
	if (ret)
		return ret;
	ret = fdpblk_get_policy(ctl, id, &p);
	close(ctl);
	if (ret == -ENODEV) {
		fprintf(stderr, "fdpctl: %s: no such fdpblk device\n", argv[argc - 1]);
		return 1;
	}
	if (ret)
		return fail("GET_POLICY", -ret);

	if (out_fmt == OUT_JSON) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "version", json_object_new_uint64(p.version));
		json_object_object_add(o, "default_ph", json_object_new_int(p.default_ph));
		json_object_object_add(o, "hint_map", json_u16s(p.hint_map, 6));
		json_object_object_add(o, "stream_map", json_u16s(p.stream_map, FDPBLK_MAX_STREAMS + 1));
		json_object_object_add(o, "data_pool", json_u16s(p.data_pool, p.data_pool_len));
		json_object_object_add(o, "meta_pool", json_u16s(p.meta_pool, p.meta_pool_len));
		json_object_object_add(o, "meta_chunk_kib", json_object_new_int(p.meta_chunk_kib));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
		return 0;
	}
	printf("version:        %" PRIu64 "\n", (uint64_t)p.version);
	printf("default_ph:     %u\n", p.default_ph);
	printf("hint_map:      ");
	for (i = 0; i < 6; i++)
		printf(" %u", p.hint_map[i]);
	printf("\ndata_pool:     ");
	for (i = 0; i < p.data_pool_len; i++)
		printf(" %u", p.data_pool[i]);
	printf("\nmeta_pool:     ");
	for (i = 0; i < p.meta_pool_len; i++)
		printf(" %u", p.meta_pool[i]);
	printf("\nmeta_chunk_kib: %u\n", p.meta_chunk_kib);
	return 0;
}

/*
 * A sector count: a plain number is in 512-byte sectors; with a K, M or G
 * suffix it is bytes, which must be whole sectors.
 */
static int parse_sectors(const char *s, const char **end_out, __u64 *out)
{
	char *end;
	uint64_t v;
	int shift = -1;

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

static int parse_range(const char *arg, struct fdpblk_range_rank *r)
{
	const char *end;

	if (parse_sectors(arg, &end, &r->start) || *end != '+' ||
	    parse_sectors(end + 1, &end, &r->nr_sectors) || *end ||
	    !r->nr_sectors) {
		fprintf(stderr, "fdpctl: --range %s: must be START+LEN (sectors, or bytes with K/M/G), LEN > 0\n",
			arg);
		return -1;
	}
	return 0;
}

static int parse_cgroup(const char *arg, __u64 *id)
{
	char path[4096];
	struct stat st;

	if (arg[0] == '/')
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", arg);
	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fdpctl: --cgroup %s: not a cgroup directory\n", arg);
		return -1;
	}
	/* In cgroup2 a cgroup's id is its directory's inode number. */
	*id = st.st_ino;
	return 0;
}

static int parse_rank(const char *arg, __u32 *rank)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 0);
	if (errno || *end || end == arg || v > UINT32_MAX) {
		fprintf(stderr, "fdpctl: rank %s: must be 0..4294967295\n", arg);
		return -1;
	}
	*rank = v;
	return 0;
}

static int explain_rank(const char *dev, int err)
{
	switch (err) {
	case ENODEV:
		fprintf(stderr, "fdpctl: %s: no such fdpblk device\n", dev);
		return 1;
	case ENOSPC:
		fprintf(stderr, "fdpctl: %s: too many ranks\n", dev);
		return 1;
	case ENOENT:
		fprintf(stderr, "fdpctl: %s: no such cgroup or rank\n", dev);
		return 1;
	case EINVAL:
		fprintf(stderr, "fdpctl: %s: range beyond the device or bad rank\n", dev);
		return 1;
	}
	return fail(dev, err);
}

static int rank_list(int ctl, unsigned int id, const char *dev)
{
	struct fdpblk_range_rank *r = NULL;
	struct fdpblk_cgroup_rank *c = NULL;
	unsigned int nr = 0, nc = 0, i;
	struct json_object *o, *a;
	int ret;

	ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_LIST_RANGE_RANKS, id, 0, NULL, &nr);
	if (!ret && nr) {
		r = calloc(nr, sizeof(*r));
		ret = r ? fdpblk_range_ranks(ctl, FDPBLK_IOC_LIST_RANGE_RANKS, id, 0, r, &nr) : -ENOMEM;
	}
	if (!ret)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_LIST_CGROUP_RANKS, id, 0, NULL, &nc);
	if (!ret && nc) {
		c = calloc(nc, sizeof(*c));
		ret = c ? fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_LIST_CGROUP_RANKS, id, 0, c, &nc) : -ENOMEM;
	}
	if (ret) {
		free(r);
		free(c);
		return explain_rank(dev, -ret);
	}
	if (out_fmt == OUT_JSON) {
		o = json_object_new_object();
		a = json_object_new_array();
		for (i = 0; i < nr; i++) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "start", json_object_new_uint64(r[i].start));
			json_object_object_add(e, "nr_sectors", json_object_new_uint64(r[i].nr_sectors));
			json_object_object_add(e, "rank", json_object_new_uint64(r[i].rank));
			json_object_array_add(a, e);
		}
		json_object_object_add(o, "ranges", a);
		a = json_object_new_array();
		for (i = 0; i < nc; i++) {
			struct json_object *e = json_object_new_object();

			json_object_object_add(e, "cgroup_id", json_object_new_uint64(c[i].cgroup_id));
			json_object_object_add(e, "rank", json_object_new_uint64(c[i].rank));
			json_object_array_add(a, e);
		}
		json_object_object_add(o, "cgroups", a);
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		for (i = 0; i < nr; i++)
			printf("range %" PRIu64 "+%" PRIu64 " rank %u\n",
			       (uint64_t)r[i].start, (uint64_t)r[i].nr_sectors, r[i].rank);
		for (i = 0; i < nc; i++)
			printf("cgroup %" PRIu64 " rank %u\n",
			       (uint64_t)c[i].cgroup_id, c[i].rank);
	}
	free(r);
	free(c);
	return 0;
}

static int cmd_rank(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "range", required_argument, NULL, 'r' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ "output-format", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage_line =
		"usage: fdpctl rank set|clear|list /dev/fdpblkN (--range START+LEN | --cgroup PATH | --all) [RANK]\n";
	struct fdpblk_range_rank r = { 0 };
	struct fdpblk_cgroup_rank cg = { 0 };
	int have_range = 0, have_cgroup = 0, all = 0;
	unsigned int id, one = 1;
	const char *op;
	int c, ctl, ret, set;

	if (argc < 2) {
		fputs(usage_line, stderr);
		return 2;
	}
	op = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (parse_range(optarg, &r))
				return 2;
			have_range = 1;
			break;
		case 'c':
			if (parse_cgroup(optarg, &cg.cgroup_id))
				return 2;
			have_cgroup = 1;
			break;
		case 'a':
			all = 1;
			break;
		case 'o':
			if (parse_output(optarg)) {
				fprintf(stderr, "fdpctl: -o %s: must be normal or json\n", optarg);
				return 2;
			}
			break;
		default:
			fputs(usage_line, stderr);
			return 2;
		}
	}
	set = !strcmp(op, "set");
	if (!set && strcmp(op, "clear") && strcmp(op, "list")) {
		fputs(usage_line, stderr);
		return 2;
	}
	if (optind >= argc || (set && optind != argc - 2) || (!set && optind != argc - 1) ||
	    (!strcmp(op, "list") ? have_range + have_cgroup + all != 0 :
	     have_range + have_cgroup + all != 1) || (set && all)) {
		fputs(usage_line, stderr);
		return 2;
	}
	if (dev_arg(argv[optind], &id))
		return 1;
	if (set) {
		if (parse_rank(argv[optind + 1], have_range ? &r.rank : &cg.rank))
			return 2;
	}
	ret = open_control(&ctl);
	if (ret)
		return ret;
	if (!strcmp(op, "list")) {
		ret = rank_list(ctl, id, argv[optind]);
		close(ctl);
		return ret;
	}
	if (all) {
		unsigned int zero = 0;

		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_CLEAR_RANGE_RANKS, id,
					 FDPBLK_RANKS_F_ALL, NULL, &zero);
		if (!ret)
			ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS, id,
						  FDPBLK_RANKS_F_ALL, NULL, &zero);
	} else if (have_range) {
		ret = fdpblk_range_ranks(ctl, set ? FDPBLK_IOC_SET_RANGE_RANKS :
					 FDPBLK_IOC_CLEAR_RANGE_RANKS, id, 0, &r, &one);
	} else {
		ret = fdpblk_cgroup_ranks(ctl, set ? FDPBLK_IOC_SET_CGROUP_RANKS :
					  FDPBLK_IOC_CLEAR_CGROUP_RANKS, id, 0, &cg, &one);
	}
	close(ctl);
	return ret ? explain_rank(argv[optind], -ret) : 0;
}

static const struct cmd cmds[] = {
	{ "features", "[-o normal|json]", cmd_features },
	{ "create", "NAMESPACE [--streams V] [--passthrough]", cmd_create },
	{ "remove", "/dev/fdpblkN", cmd_remove },
	{ "policy", "show /dev/fdpblkN [-o normal|json]", cmd_policy },
	{ "rank", "set|clear|list /dev/fdpblkN (--range START+LEN | --cgroup PATH | --all) [RANK]", cmd_rank },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: fdpctl COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s %s\n", cmds[i].name, cmds[i].usage);
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "fdpctl: %s: unknown command (see fdpctl help)\n", argv[1]);
	return 2;
}
