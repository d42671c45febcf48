// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl: discover NVMe Flexible Data Placement and drive fdpblk.
 *
 * This file holds main(), the command table and the option parsing every
 * command shares; the commands live in one file per group (cmd-*.c).
 * Each command parses its arguments, gathers its data through ctl.c (the
 * module's ioctls), nvme.c (io_uring passthrough), dev.c (sysfs) and
 * policy.c (policy files), and hands the result to the print table chosen
 * by -o. Errors are one line on stderr, "fdpctl: <what>: <why>", and a
 * non-zero exit: 1 for a failure, 2 for a usage error (err.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const struct print_ops *out = &print_normal;
const struct cmd *cur_cmd;

static int set_output(const char *arg)
{
	if (!strcmp(arg, "normal")) {
		out = &print_normal;
	} else if (!strcmp(arg, "json")) {
		out = &print_json;
	} else {
		fprintf(stderr, "fdpctl: -o %s: must be normal or json\n", arg);
		return -1;
	}
	return 0;
}

int parse_opts(int argc, char **argv, const struct opt_ctx *x)
{
	struct option opts[16];
	char shortopts[32] = "o:";
	unsigned int n = 0;
	int c;

	opts[n++] = (struct option){ "output-format", required_argument, NULL, 'o' };
	while (x && x->extra && x->extra[n - 1].name && n < 15) {
		opts[n] = x->extra[n - 1];
		n++;
	}
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	if (x && x->shortopts)
		strncat(shortopts, x->shortopts, sizeof(shortopts) - strlen(shortopts) - 1);

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		if (c == 'o') {
			if (set_output(optarg))
				return -1;
		} else if (c == '?' || c == ':' || !x || !x->fn) {
			if (optopt && optopt != '?')
				fprintf(stderr, "fdpctl: %s: -%c: unknown option or missing value\n",
					cur_cmd->name, optopt);
			else
				fprintf(stderr, "fdpctl: %s: %s: unknown option or missing value\n",
					cur_cmd->name, argv[optind - 1]);
			return -1;
		} else if (x->fn(c, optarg, x->data)) {
			return -1;
		}
	}
	return optind;
}

/* A command with only -o and exactly @nargs operands: their index, or -1. */
int simple_args(int argc, char **argv, int nargs)
{
	int idx = parse_opts(argc, argv, NULL);

	if (idx < 0 || argc - idx != nargs) {
		if (idx >= 0)
			usage_error();
		return -1;
	}
	return idx;
}

/* ---- the command table --------------------------------------------------- */

static const struct cmd cmds[] = {
	{ "list", "[-o normal|json]", cmd_list },
	{ "status", "NAMESPACE [-o normal|json]", cmd_status },
	{ "configs", "NAMESPACE [-o normal|json]", cmd_configs },
	{ "usage", "NAMESPACE [-o normal|json]", cmd_usage },
	{ "stats", "NAMESPACE [-o normal|json]", cmd_stats },
	{ "events", "NAMESPACE [--host] [-o normal|json]", cmd_events },
	{ "waf", "NAMESPACE [-o normal|json] [-- COMMAND...]", cmd_waf },
	{ "create", "NAMESPACE [--name NAME] [--streams V] [--passthrough]", cmd_create },
	{ "remove", "/dev/fdpblkN", cmd_remove },
	{ "revalidate", "/dev/fdpblkN", cmd_revalidate },
	{ "policy", "show|set|auto /dev/fdpblkN [FILE|-] [--dry-run] [--meta K] [-o normal|json]", cmd_policy },
	{ "rank", "set|clear|list /dev/fdpblkN [--range START+LEN | --cgroup PATH | --all] [RANK] [-o normal|json]", cmd_rank },
	{ "run", "--rank R /dev/fdpblkN -- COMMAND...", cmd_run },
	{ "top", "/dev/fdpblkN [--interval SECONDS] [--count N] [-o normal|json]", cmd_top },
	{ "features", "[-o normal|json]", cmd_features },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: fdpctl COMMAND [ARGS]\n\n"
		"A NAMESPACE is /dev/nvmeXnY, /dev/ngXnY, or an fdpblk device\n"
		"standing for the namespace under it. See fdpctl(8).\n\ncommands:\n");
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
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (!strcmp(argv[1], cmds[i].name)) {
			cur_cmd = &cmds[i];
			return cmds[i].fn(argc - 1, argv + 1);
		}
	}
	fprintf(stderr, "fdpctl: %s: unknown command (see fdpctl help)\n", argv[1]);
	return 2;
}
