// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl: discover NVMe Flexible Data Placement and drive fdpblk.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

static const struct cmd cmds[] = {
	{ "features", "[-o normal|json]", cmd_features },
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
