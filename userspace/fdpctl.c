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
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

const struct print_ops *out = &print_normal;
const struct cmd *cur_cmd, *cur_sub;

static int set_output(const char *arg)
{
	if (!strcmp(arg, "normal")) {
		out = &print_normal;
	} else if (!strcmp(arg, "json")) {
		out = &print_json;
	} else {
		errorf(0, "-o %s: must be normal or json", arg);
		return -1;
	}
	return 0;
}

/* ---- option parsing, generated from the table ------------------------- */

/* What every command takes, and parse_opts() handles itself. */
const struct opt help_opt[] = {
	{ "help", 'h', 0, NULL, "show this help" },
	OPT_END,
};

/*
 * The option tables a command line of the current command may hold, @i
 * from 0 until this returns false: --help, the command's own, then each
 * of its sub-commands'. A sibling's option is then a usage error, not an
 * unknown one, as it was when the sub-commands shared one table.
 */
static bool opt_table(unsigned int i, const struct opt **t)
{
	unsigned int n;

	if (i < 2) {
		*t = i ? cur_cmd->opts : help_opt;
		return true;
	}
	for (n = 0; cur_cmd->subs && cur_cmd->subs[n].name; n++)
		if (n == i - 2) {
			*t = cur_cmd->subs[n].opts;
			return true;
		}
	return false;
}

static bool has_key(const struct opt *o, int key)
{
	for (; o && o->name; o++)
		if (o->key == key)
			return true;
	return false;
}

/* Whether @o takes -o for the output format, not for an -o of its own. */
static bool has_output_format(const struct opt *o)
{
	for (; o && o->name; o++)
		if (o->key == 'o' && !strcmp(o->name, "output-format"))
			return true;
	return false;
}

/*
 * getopt_long()'s tables for the current command, malloc'ed to the size
 * the command needs; -1 without memory.
 */
static int build_getopt(struct option **longopts, char **shortopts)
{
	const struct opt *t, *o;
	size_t n = 0, k = 0, c = 0;
	unsigned int i;

	for (i = 0; opt_table(i, &t); i++)
		for (o = t; o && o->name; o++)
			n++;
	*longopts = calloc(n + 1, sizeof(**longopts));
	/* ':' first: a missing value is told from an unknown option. */
	*shortopts = malloc(2 * n + 2);
	if (!*longopts || !*shortopts) {
		free(*longopts);
		free(*shortopts);
		return -1;
	}
	(*shortopts)[c++] = ':';
	for (i = 0; opt_table(i, &t); i++) {
		for (o = t; o && o->name; o++) {
			(*longopts)[k++] = (struct option){
				o->name, o->arg ? required_argument : no_argument,
				NULL, o->key,
			};
			if (o->flags & OPT_LONG_ONLY)
				continue;
			(*shortopts)[c++] = o->key;
			if (o->arg)
				(*shortopts)[c++] = ':';
		}
	}
	(*shortopts)[c] = '\0';
	return 0;
}

/*
 * An option getopt_long() refused, as the user wrote it: @arg, the
 * argument it was in ("--name", "--bogus=1", "-xi"). A long option is
 * named by its spelling, never by its key, which may be no short option.
 */
static void bad_opt(const char *arg, bool missing)
{
	const char *what = missing ? "missing value" : "unknown option";
	int len;

	if (!strncmp(arg, "--", 2)) {
		len = strcspn(arg, "=");
		errorf(0, "%s: %.*s: %s", cur_cmd->name, len,
			arg, what);
	} else {
		errorf(0, "%s: -%c: %s", cur_cmd->name,
			optopt, what);
	}
}

/* Whether -o is the output format, not a command's own (trace's file). */
static bool o_is_format(void)
{
	const struct opt *t, *o;
	unsigned int i;

	for (i = 0; opt_table(i, &t); i++)
		for (o = t; o && o->name; o++)
			if (o->key == 'o')
				return !strcmp(o->name, "output-format");
	return true;
}

int parse_opts(int argc, char **argv,
	       int (*fn)(int key, const char *arg, void *data), void *data)
{
	struct option *longopts;
	bool misplaced = false;
	char *shortopts;
	int c, ret = 0;

	if (build_getopt(&longopts, &shortopts)) {
		fail(cur_cmd->name, ENOMEM);
		return -1;
	}
	optind = 1;
	opterr = 0;
	while (!ret && (c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == 'h') {
			/* Help ends the command line: nothing else is done. */
			free(longopts);
			free(shortopts);
			help_cmd(stdout, cur_cmd, cur_sub);
			exit(0);
		} else if (c == 'o' && o_is_format()) {
			ret = set_output(optarg);
		} else if (c == '?' || c == ':') {
			bad_opt(argv[optind - 1], c == ':');
			ret = -1;
		} else {
			/* Read it anyway: a bad value is named before the misplacement. */
			misplaced |= !has_key(cur_cmd->opts, c) &&
				     !(cur_sub && has_key(cur_sub->opts, c));
			ret = fn ? fn(c, optarg, data) : 0;
		}
	}
	free(longopts);
	free(shortopts);
	if (ret)
		return -1;
	if (misplaced) {
		usage_error();
		return -1;
	}
	return optind;
}

int parse_args(int argc, char **argv, int nargs,
	       int (*fn)(int key, const char *arg, void *data), void *data)
{
	int idx = parse_opts(argc, argv, fn, data);

	if (idx < 0 || argc - idx != nargs) {
		if (idx >= 0)
			usage_error();
		return -1;
	}
	return idx;
}

/* ---- the command table --------------------------------------------------- */

static const struct opt output_opt[] = { OPT_OUTPUT, OPT_END };

/*
 * The options of each command: -o listed by those that take it, -h by
 * none (every command takes it, see help_opt).
 */
#define OPT_DRY_RUN \
	{ "dry-run", 'n', 0, NULL, "check and show the change, push nothing" }
#define OPT_RANGE \
	{ "range", 'r', OPT_LONG_ONLY, "START+LEN", \
	  "an LBA range: 512-byte sectors, or bytes with K, M, G, T (or KiB...)" }
#define OPT_CGROUP \
	{ "cgroup", 'c', OPT_LONG_ONLY, "PATH", \
	  "a cgroup v2 directory, absolute or below /sys/fs/cgroup" }
#define OPT_CGROUP_ID \
	{ "cgroup-id", 'I', OPT_LONG_ONLY, "ID", \
	  "a cgroup by its id (rank list shows it), also a removed one" }

static const struct opt events_opts[] = {
	/* nvme-cli's spelling; -H, --host kept for old scripts */
	{ "host-events", 'E', 0, NULL, "the host's events, not the controller's" },
	{ "host", 'H', 0, NULL, "the same as -E (the old spelling)" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt update_opts[] = {
	{ "ph", 'p', OPT_LONG_ONLY, "N[,N...]",
	  "handles to update: ph 1.. as status numbers them, or pid:N; repeatable" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt events_config_opts[] = {
	{ "ph", 'p', OPT_LONG_ONLY, "N", "the handle, 1.. as status numbers them" },
	{ "enable", 'e', OPT_LONG_ONLY, "TYPES",
	  "enable event types: all, or names or numbers separated by commas" },
	{ "disable", 'd', OPT_LONG_ONLY, "TYPES", "disable event types, as --enable" },
	OPT_OUTPUT,
	OPT_END,
};

/* lsblk's spellings */
static const struct opt list_opts[] = {
	{ "noheadings", 'n', 0, NULL, "print no header lines" },
	{ "raw", 'r', 0, NULL, "fields separated by single spaces, sizes in bytes" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt create_opts[] = {
	{ "name", 'n', OPT_LONG_ONLY, "NAME", "its name (default fdpblkN; see fdpctl(8))" },
	{ "streams", 's', OPT_LONG_ONLY, "V", "write streams, 1..255 (default 8)" },
	{ "passthrough", 'p', OPT_LONG_ONLY, NULL, "create it without FDP write streams" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt policy_set_opts[] = {
	OPT_DRY_RUN,
	{ "force", 'f', 0, NULL,
	  "push a file written for another namespace or handle layout" },
	OPT_END,
};

static const struct opt policy_auto_opts[] = {
	{ "meta", 'm', OPT_LONG_ONLY, "K",
	  "K handles for metadata (default 2 with 8 or more handles, 1 with 2 or more)" },
	{ "apply", 'a', OPT_LONG_ONLY, NULL,
	  "push the policy (without: show it and push nothing)" },
	OPT_END,
};

/* model's and policy advise's over-provisioning */
#define OPT_MODEL_OP \
	{ "op", 'p', OPT_LONG_ONLY, "PCT", \
	  "over-provisioning: NAND = capacity x (1 + PCT/100) (default 7)" }

static const struct opt policy_advise_opts[] = {
	{ "trace", 'T', OPT_LONG_ONLY, "FILE",
	  "the recorded trace (fdpctl trace) to model the candidates on" },
	{ "capacity", 'c', OPT_LONG_ONLY, "BYTES",
	  "the modelled capacity (default: the trace's extent)" },
	{ "ru-size", 'u', OPT_LONG_ONLY, "BYTES",
	  "the modelled reclaim unit size (default: the namespace's)" },
	OPT_MODEL_OP,
	OPT_END,
};

static const struct opt rank_set_opts[] = {
	OPT_RANGE,
	OPT_CGROUP,
	OPT_CGROUP_ID,
	OPT_END,
};

static const struct opt rank_clear_opts[] = {
	OPT_RANGE,
	OPT_CGROUP,
	OPT_CGROUP_ID,
	{ "all", 'a', OPT_LONG_ONLY, NULL, "every rank of the device" },
	OPT_END,
};

static const struct opt rank_load_opts[] = {
	{ "replace", 'R', OPT_LONG_ONLY, NULL,
	  "clear every rank first: the device ends with the file's only" },
	OPT_END,
};

static const struct opt run_opts[] = {
	{ "rank", 'r', OPT_LONG_ONLY, "R", "the rank, 0..4294967295" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt model_opts[] = {
	{ "policy", 'P', OPT_LONG_ONLY, "FILE",
	  "a policy file to model (again for more), onto the default policy" },
	{ "ranks", 'R', OPT_LONG_ONLY, "FILE", "a rank file for the policies" },
	{ "device", 'D', OPT_LONG_ONLY, "NS",
	  "capacity, RU size, handles and their types from a namespace" },
	{ "capacity", 'c', OPT_LONG_ONLY, "BYTES",
	  "what the host sees (default: the trace's extent)" },
	{ "ru-size", 'u', OPT_LONG_ONLY, "BYTES", "reclaim unit size (default 8 MiB)" },
	{ "handles", 'n', OPT_LONG_ONLY, "N", "placement handles, 1..255 (default 8)" },
	{ "ruh-type", 't', OPT_LONG_ONLY, "initially|persistently",
	  "isolation of every handle (default initially)" },
	OPT_MODEL_OP,
	{ "gc", 'g', OPT_LONG_ONLY, "greedy|fifo|cost-benefit",
	  "GC victim selection (default greedy)" },
	{ "warmup", 'w', OPT_LONG_ONLY, "BYTES",
	  "leave the first host bytes out of the figures" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt top_opts[] = {
	{ "interval", 'i', 0, "SECONDS", "between frames, 0.1..3600 (default 1)" },
	{ "count", 'n', 0, "N", "stop after N frames (default: at ^C)" },
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt trace_opts[] = {
	{ "output", 'o', 0, "FILE", "write the trace to FILE (default stdout)" },
	{ "text", 't', OPT_LONG_ONLY, NULL,
	  "the plain text trace (the default, and the only format)" },
	{ "buffer-kb", 'b', OPT_LONG_ONLY, "KIB",
	  "the trace buffer per CPU, KiB (default the kernel's)" },
	OPT_END,
};

#define OPT_CONFIG_DIR \
	{ "config-dir", 'D', OPT_LONG_ONLY, "DIR", \
	  "the configurations' directory (default $FDPBLK_CONFIG_DIR, else /etc/fdpblk)" }

static const struct opt apply_opts[] = {
	{ "all", 'a', OPT_LONG_ONLY, NULL, "every DIR/*.conf" },
	OPT_DRY_RUN,
	OPT_CONFIG_DIR,
	OPT_OUTPUT,
	OPT_END,
};

static const struct opt udev_lower_opts[] = {
	OPT_CONFIG_DIR,
	OPT_END,
};

/* For fdpctl.bash-completion: names, one a line, not in help. */
static const struct opt help_list_opts[] = {
	{ "list-commands", 'C', OPT_LONG_ONLY | OPT_HIDDEN, NULL,
	  "the commands, or COMMAND's sub-commands" },
	{ "list-options", 'O', OPT_LONG_ONLY | OPT_HIDDEN, NULL,
	  "every spelling of the options, with its value" },
	OPT_END,
};

/*
 * Every command: its name, a one-line summary, its usage (what follows
 * "fdpctl NAME" in help and in a usage error), its options, and its
 * handler or its sub-commands (whose usage follows "fdpctl NAME SUB").
 * Option parsing, help and completion read it.
 */
static const struct cmd policy_subs[] = {
	{ "show", "the device's policy, in the policy file format",
	  "/dev/fdpblkN [-o normal|json]", NULL, cmd_policy, NULL },
	{ "set", "change the keys a policy file (- for stdin) or KEY=VALUE arguments name",
	  "/dev/fdpblkN FILE|-|KEY=VALUE... [--dry-run] [--force] [-o normal|json]",
	  policy_set_opts, cmd_policy, NULL },
	{ "auto", "derive a policy from the namespace's handles; push it with --apply",
	  "/dev/fdpblkN [--meta K] [--apply] [-o normal|json]",
	  policy_auto_opts, cmd_policy, NULL },
	{ "advise", "model candidate policies on a recorded trace; print the best, push nothing",
	  "/dev/fdpblkN --trace FILE [--capacity BYTES] [--ru-size BYTES] [--op PCT] [-o normal|json]",
	  policy_advise_opts, cmd_policy, NULL },
	{ NULL },
};

static const struct cmd rank_subs[] = {
	{ "set", "give an LBA range or a cgroup a rank",
	  "/dev/fdpblkN (--range START+LEN | --cgroup PATH | --cgroup-id ID) RANK [-o normal|json]",
	  rank_set_opts, cmd_rank, NULL },
	{ "clear", "clear the rank of an LBA range or a cgroup, or every rank",
	  "/dev/fdpblkN (--range START+LEN | --cgroup PATH | --cgroup-id ID | --all) [-o normal|json]",
	  rank_clear_opts, cmd_rank, NULL },
	{ "list", "every range rank and cgroup rank of the device",
	  "/dev/fdpblkN [-o normal|json]", NULL, cmd_rank, NULL },
	{ "load", "set the ranks of a rank file (- for stdin), in one ioctl of each kind",
	  "/dev/fdpblkN FILE|- [--replace] [-o normal|json]",
	  rank_load_opts, cmd_rank_load, NULL },
	{ "save", "write every rank of the device as a rank file (- for stdout)",
	  "/dev/fdpblkN FILE|- [-o normal|json]", NULL, cmd_rank_save, NULL },
	{ NULL },
};

/* The reads of a namespace's FDP state: one usage, one option. */
#define NS_READ(name, summary, fn) \
	{ name, summary, "NAMESPACE [-o normal|json]", output_opt, fn, NULL }

const struct cmd cmds[] = {
	{ "list", "every NVMe namespace's FDP state, and every fdpblk device",
	  "[-n|--noheadings] [-r|--raw] [-o normal|json]", list_opts, cmd_list, NULL },
	NS_READ("status", "reclaim unit handle status of a namespace", cmd_status),
	NS_READ("configs", "FDP configurations (log page 20h)", cmd_configs),
	NS_READ("usage", "reclaim unit handle usage (log page 21h)", cmd_usage),
	NS_READ("stats", "FDP statistics and write amplification (log page 22h)",
		cmd_stats),
	{ "events", "FDP events (log page 23h)",
	  "NAMESPACE [-E|--host-events] [-o normal|json]", events_opts, cmd_events, NULL },
	{ "events-config", "which FDP events a handle logs; enable or disable them",
	  "NAMESPACE --ph N [--enable TYPES | --disable TYPES] [-o normal|json]",
	  events_config_opts, cmd_events_config, NULL },
	{ "update", "give handles new reclaim units (I/O Management Send, RUH Update)",
	  "NAMESPACE --ph N[,N...] [-o normal|json]", update_opts, cmd_update, NULL },
	{ "waf", "write amplification around a command, or since power-on",
	  "NAMESPACE [-o normal|json] [-- COMMAND...]", output_opt, cmd_waf, NULL },
	{ "create", "create an fdpblk device on a namespace",
	  "NAMESPACE [--name NAME] [--streams V] [--passthrough] [-o normal|json]",
	  create_opts, cmd_create, NULL },
	{ "remove", "remove an fdpblk device",
	  "/dev/fdpblkN [-o normal|json]", output_opt, cmd_remove, NULL },
	{ "revalidate", "make a device take its namespace's capacity and limits again",
	  "/dev/fdpblkN [-o normal|json]", output_opt, cmd_revalidate, NULL },
	{ "policy", "show, set or derive a device's placement policy",
	  "show|set|auto|advise /dev/fdpblkN [FILE|-|KEY=VALUE...] [--dry-run] [--force] [--meta K] [--apply] [--trace FILE] [-o normal|json]",
	  output_opt, NULL, policy_subs },
	{ "rank", "set, clear, list, load or save the ranks of LBA ranges and cgroups",
	  "set|clear|list|load|save /dev/fdpblkN [--range START+LEN | --cgroup PATH | --cgroup-id ID | --all] [RANK] [FILE|-] [--replace] [-o normal|json]",
	  output_opt, NULL, rank_subs },
	{ "run", "run a command in a cgroup of its own with a rank",
	  "--rank R /dev/fdpblkN [-o normal|json] -- COMMAND...", run_opts, cmd_run, NULL },
	{ "top", "per handle, the rates fdpblk placed and the device took, live",
	  "/dev/fdpblkN [--interval SECONDS] [--count N] [-o normal|json]",
	  top_opts, cmd_top, NULL },
	{ "trace", "record the writes, discards and write-zeroes of a device as a text trace",
	  "/dev/fdpblkN [-o FILE] [--text] [--buffer-kb KIB] [-- COMMAND...]",
	  trace_opts, cmd_trace, NULL },
	{ "model", "replay a trace on a model of an FDP SSD with GC: modelled WAF per policy",
	  "TRACE|- [--policy FILE]... [--ranks FILE] [--device NS] [--capacity BYTES] "
	  "[--ru-size BYTES] [--handles N] [--ruh-type initially|persistently] [--op PCT] "
	  "[--gc greedy|fifo|cost-benefit] [--warmup BYTES] [-o normal|json]",
	  model_opts, cmd_model, NULL },
	{ "apply", "make devices what their configuration files say; create what is missing",
	  "FILE|NAME...|--all [--dry-run] [--config-dir DIR] [-o normal|json]",
	  apply_opts, cmd_apply, NULL },
	{ "save", "write a device's configuration file (- or nothing: stdout)",
	  "/dev/fdpblkN [FILE|-]", NULL, cmd_save, NULL },
	{ "udev-lower", "for udev rules: whether a namespace is, or is to be, a lower",
	  "NAMESPACE [--config-dir DIR]", udev_lower_opts, cmd_udev_lower, NULL },
	{ "features", "the loaded module's ABI version, features and limits",
	  "[-o normal|json]", output_opt, cmd_features, NULL },
	{ "help", "this list, or a command's usage and options",
	  "[COMMAND [SUB-COMMAND]]", help_list_opts, cmd_help, NULL },
	{ "version", "fdpctl's version, and the fdpblk ABI it was built for",
	  "", NULL, cmd_version, NULL },
	{ NULL },
};

const struct cmd *find_cmd(const struct cmd *table, const char *name)
{
	for (; table && table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

/*
 * Run command @c; a command with sub-commands takes one first, before any
 * option (or --help), and its handler gets the command line from it on.
 */
static int run_cmd(const struct cmd *c, int argc, char **argv)
{
	cur_cmd = c;
	if (!c->subs)
		return c->fn(argc, argv);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		help_cmd(stdout, c, NULL);
		return 0;
	}
	cur_sub = argc >= 2 ? find_cmd(c->subs, argv[1]) : NULL;
	if (!cur_sub)
		return usage_error();
	return cur_sub->fn(argc - 1, argv + 1);
}

/*
 * At exit, as util-linux's close_stdout(): output that did not reach its
 * file (a full disk, a closed pipe) is a failure, not a silent success.
 */
static void close_stdout(void)
{
	bool failed = ferror(stdout);
	int err = 0;

	if (fclose(stdout)) {
		failed = true;
		err = errno;
	}
	if (!failed)
		return;
	if (err)
		fprintf(stderr, "fdpctl: write error: %s\n", strerror(err));
	else
		fprintf(stderr, "fdpctl: write error\n");
	_exit(1);
}

/*
 * -o json anywhere among fdpctl's own arguments (before "--") makes every
 * error a JSON document, also one found before getopt reaches the -o. The
 * value is checked (and an invalid one refused) by parse_opts() as usual.
 */
static void early_output(const struct cmd *c, int argc, char **argv)
{
	bool takes = c && has_output_format(c->opts);
	int i;

	for (i = 0; c && c->subs && c->subs[i].name; i++)
		takes |= has_output_format(c->subs[i].opts);
	/* A command without -o refuses it, in text. */
	if (!takes)
		return;
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output-format"))
			v = i + 1 < argc ? argv[i + 1] : NULL;
		else if (!strncmp(argv[i], "--output-format=", 16))
			v = argv[i] + 16;
		else if (!strncmp(argv[i], "-o", 2))
			v = argv[i] + 2;
		if (v && !strcmp(v, "json"))
			out = &print_json;
	}
}

int main(int argc, char **argv)
{
	const struct cmd *c;
	int ret;

	atexit(close_stdout);
	if (argc < 2) {
		help_all(stderr);
		return 2;
	}
	/* fdpctl --help [COMMAND] is fdpctl help [COMMAND]; -V as util-linux. */
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		argv[1] = "help";
	else if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version"))
		argv[1] = "version";
	c = find_cmd(cmds, argv[1]);
	early_output(c, argc, argv);
	if (c) {
		ret = run_cmd(c, argc - 1, argv + 1);
		if (ret)
			report_error();
		return ret;
	}
	errorf(0, "%s: unknown command (see fdpctl help)", argv[1]);
	return 2;
}
