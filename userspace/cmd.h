/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What fdpctl's commands share: the command being run, the output table
 * chosen by -o, errors, opening what an argument names, child processes.
 *
 * Unlike ctl.c, nvme.c and dev.c, these print: a failure is one line on
 * stderr, "fdpctl: <what>: <why>", and the functions that report one
 * return the exit status (1 for a failure, 2 for a usage error).
 */
#ifndef FDPCTL_CMD_H
#define FDPCTL_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "dev.h"
#include "nvme.h"
#include "print.h"

/*
 * An option of a command, in the command table (fdpctl.c): getopt_long()'s
 * tables and the short options string are generated from these.
 */
struct opt {
	const char *name;	/* the long option, without "--" */
	int key;		/* what the command's callback gets; -key too,
				 * unless OPT_LONG_ONLY ('o', 'h': the parser's) */
	unsigned int flags;
	const char *arg;	/* its value's name; NULL: it takes none */
	const char *help;	/* one line */
};

#define OPT_LONG_ONLY	(1U << 0)	/* no short option */
#define OPT_HIDDEN	(1U << 1)	/* for scripts: not in help */

#define OPT_OUTPUT \
	{ "output-format", 'o', 0, "normal|json", "output format (default normal)" }
#define OPT_END		{ NULL, 0, 0, NULL, NULL }

/*
 * A command, or a sub-command of one (policy show|set|auto, rank
 * set|clear|list|load|save). A command with sub-commands has no handler; its
 * options (-o) are its sub-commands' too.
 */
struct cmd {
	const char *name;
	const char *summary;	/* one line */
	const char *usage;	/* what follows "fdpctl NAME" */
	const struct opt *opts;	/* up to an entry without a name; or NULL */
	int (*fn)(int argc, char **argv);	/* argv[0]: its own name */
	const struct cmd *subs;	/* up to an entry without a name; or NULL */
};

/*
 * The command being run (for messages: a sub-command's are its
 * command's), its sub-command if any, and the output table -o chose.
 */
extern const struct cmd *cur_cmd, *cur_sub;
extern const struct print_ops *out;

/* The command table, and --help, which every command takes. */
extern const struct cmd cmds[];
extern const struct opt help_opt[];
/* The command of that name in @table (cmds, or sub-commands), or NULL. */
const struct cmd *find_cmd(const struct cmd *table, const char *name);

/* help.c: generated from the table. */
/* Every command with its summary. */
void help_all(FILE *f);
/* The usage, summary, sub-commands and options of @c (@sub of it). */
void help_cmd(FILE *f, const struct cmd *c, const struct cmd *sub);
int cmd_help(int argc, char **argv);
int cmd_version(int argc, char **argv);

/*
 * Parse the current command's options from argv[1..]: -o here, the rest
 * through @fn (may be NULL when -o is all there is), which gets each
 * option's key and value and returns 0 or -1 after a message. Returns
 * the index of the first operand, or -1 after a message (a usage error).
 */
int parse_opts(int argc, char **argv,
	       int (*fn)(int key, const char *arg, void *data), void *data);
/* parse_opts(), then exactly @nargs operands: their index, or -1 likewise. */
int parse_args(int argc, char **argv, int nargs,
	       int (*fn)(int key, const char *arg, void *data), void *data);

/* The commands, one file per group. */
int cmd_list(int argc, char **argv);		/* cmd-ns.c */
int cmd_status(int argc, char **argv);
int cmd_configs(int argc, char **argv);
int cmd_usage(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_events_config(int argc, char **argv);
int cmd_features(int argc, char **argv);	/* cmd-dev.c */
int cmd_create(int argc, char **argv);
int cmd_remove(int argc, char **argv);
int cmd_revalidate(int argc, char **argv);
int cmd_policy(int argc, char **argv);		/* cmd-policy.c */
int cmd_rank(int argc, char **argv);		/* cmd-rank.c */
int cmd_rank_load(int argc, char **argv);
int cmd_rank_save(int argc, char **argv);
int cmd_waf(int argc, char **argv);		/* cmd-run.c */
int cmd_run(int argc, char **argv);
int cmd_top(int argc, char **argv);		/* cmd-top.c */
int cmd_trace(int argc, char **argv);		/* cmd-trace.c */
int cmd_model(int argc, char **argv);		/* cmd-model.c */

int cmd_apply(int argc, char **argv);		/* cmd-conf.c */
int cmd_save(int argc, char **argv);
int cmd_udev_lower(int argc, char **argv);
/*
 * A synthetic change uevent on namespace @ns, which became or stopped
 * being a lower, so that the udev rules hide it or show it again.
 */
void lower_changed(const char *ns);

/* cmd-model.c, for policy advise too */
struct classify;
struct model_cfg;
struct model_run;
/*
 * --OPT BYTES (parse_bytes()); 0 only if @zero. 0, or -1 after a message
 * naming the option.
 */
int model_parse_size(const char *opt, const char *arg, bool zero, uint64_t *v);
/* 100% utilisation: the capacity a trace touching sectors below @end fills. */
uint64_t model_capacity_of(uint64_t end);
/* --op PCT: 0..1000; 0, or -1 after a message. */
int model_parse_op(const char *arg, double *op);
/* The trace file *@name (- : stdin, kept in a temporary file); or NULL. */
FILE *model_open_trace(const char **name);
/* The trace checked whole, its extent and counts: 0, or 1 after a message. */
int model_scan(FILE *f, const char *name, const struct model_cfg *cfg,
	       uint64_t *end, uint64_t *writes, uint64_t *discards);
/*
 * One replay of the trace on the model: every write on ph 1 (@c NULL,
 * !@recorded), on the trace's ph (@recorded), or classified by @c.
 */
int model_replay(FILE *f, const char *name, const struct model_cfg *cfg,
		 struct classify *c, bool recorded, struct model_run *run,
		 uint64_t *pages);
/* A cgroup's parent on this host (classify.parent). */
uint64_t model_cgroup_parent(uint64_t id);
extern const char *const model_assumptions[];

/* cmd-policy.c */
/*
 * A stable identity of @d's lower namespace, what a policy file's "lower"
 * names: its wwid (eui., nguid., nvme....), else its name.
 */
void lower_id(const struct fdpblk_info *d, char *buf, size_t len);
/*
 * The placement ID, RUH id and type of each ph of @d, from the RUH status
 * of its lower, into @tab, and @d->lim.handles pointed at it. Quietly
 * (@quiet) for the commands that do without: 0, or the error, and the
 * handles stay unknown. Otherwise a failure is explained (@arg names the
 * device): 1. @info, if not NULL, gets the namespace's FDP facts.
 */
int read_handles(struct fdpblk_info *d, const char *arg, bool quiet,
		 struct policy_handle *tab, struct fdp_info *info);

/* cmd-rank.c */
/* Every rank of a device, and each cgroup's path (NULL: none found). */
struct rank_set {
	struct fdpblk_range_rank *r;
	struct fdpblk_cgroup_rank *c;
	char **paths;
	unsigned int nr, nc;
};
/* LIST_RANGE_RANKS and LIST_CGROUP_RANKS: 0, or 1 after a message. */
int get_ranks(int ctl, const struct fdpblk_info *d, const char *arg,
	      struct rank_set *s);
void rank_set_free(struct rank_set *s);
struct rank_file;
/*
 * Each entry of @rf on the device: ranges on it and aligned, cgroups by
 * id. An id whose cgroup is gone is skipped (the module could not rank
 * it again): counted in *skipped, with a warning. 0, or 1 after a message.
 */
int rank_resolve(struct rank_file *rf, const char *name,
		 const struct fdpblk_info *d, unsigned int *skipped);

/* A rank argument, 0..UINT32_MAX: 0, or -1 after a message. */
int parse_rank(const char *arg, __u32 *rank);

/* err.c */
/*
 * Every error: "fdpctl: MESSAGE" on stderr, MESSAGE from @fmt (no newline);
 * @err is its errno, 0 without one. The first is kept for report_error().
 */
__attribute__((format(printf, 2, 3)))
void errorf(int err, const char *fmt, ...);
/* A failed command's first error to the output back end (a JSON document). */
void report_error(void);
/* "fdpctl: @what: strerror(@err)"; 1. */
int fail(const char *what, int err);

/* What an errno means where it comes from: a line of a table of them. */
struct err_msg {
	int err;
	const char *msg;
};
/*
 * If @err is in @msgs (up to an entry with err 0): "fdpctl: @what: MSG"
 * and 1; else 0, and the caller explains it some other way.
 */
int explain_errno(const char *what, int err, const struct err_msg *msgs);
/* "fdpctl: CMD: wrong arguments (usage: ...)"; 2. */
int usage_error(void);
/* An error of an ioctl @what on fdpblk device @dev; 1. */
int explain_ioctl(const char *dev, const char *what, int err);
/* The cause of a failed NVMe passthrough step on @what (see nvme.h); 1. */
int explain_nvme(const char *what, int ret);
/* An error of the rank ioctls on @dev; 1. */
int explain_rank(const char *dev, int err);

/* open.c */
/* The control device (kept open until exit), or -1 after a message. */
int open_control(void);
/*
 * An fdpblk device given as /dev/fdpblkN, fdpblkN, a link to one or its
 * name, with its sysfs facts: 0, or 1 after a message.
 */
int dev_arg(const char *arg, struct fdpblk_info *d);

#define NS_DEVICE	(1U << 0)	/* @arg may be an fdpblk device: its lower */
#define NS_FDP		(1U << 1)	/* FDP must be enabled */
#define NS_QUIET	(1U << 2)	/* say nothing (for names sysfs gave) */
/*
 * Open the NVMe namespace @arg names and read its FDP facts; with @c,
 * fill it in for the print table. Returns 0, or 1 after a message; with
 * NS_QUIET the negative errno or NVMe status instead (-EOPNOTSUPP for no
 * FDP). A device named with NS_DEVICE is always explained.
 */
int open_ns(const char *arg, unsigned int flags, struct fdp_ns *ns,
	    struct fdp_info *info, struct ns_ctx *c);

/* child.c */
/*
 * Commands that run another command take it after "--": the number of
 * arguments before it (all of them without one), and in *cmd what follows
 * (NULL without a "--", or with nothing after it).
 */
int split_command(int argc, char **argv, char ***cmd);
/*
 * Run CMD... to completion, @in_child(@arg) first in the child (0, or an
 * errno that fails it: "fdpctl: @what: strerror"). *@status gets the exit
 * status as timeout(1) gives it: the command's, 128 + N when signal N
 * killed it, 126 when it was found but could not be run, 127 when it was
 * not found, 125 when fdpctl failed. Returns 0 when the command ran, -1
 * after a message when it did not. Under -o json its stdout is fdpctl's
 * stderr, so that fdpctl's stdout is one document.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT to fdpctl meanwhile go on to the
 * child (but those the terminal sent its process group: it has them), and
 * fdpctl stays to clean up; they are held from child_signals_hold(), or
 * from the start, until the child runs, and again after it is gone.
 */
int run_child(char **cmd, int (*in_child)(void *), void *arg,
	      const char *what, int *status);
/* Hold the signals run_child() forwards from now on (before a setup). */
void child_signals_hold(void);

/* The exit status of run and waf around a command when fdpctl fails. */
#define EXIT_CHILD_FDPCTL	125

/*
 * A command that may run another after "--" (waf, trace): @fn, its own
 * part, gets the arguments before "--" (@nopt of them) and the command
 * (NULL without one), runs it with run_child() if given, and returns 0
 * or its failure (1, 2) after a message. The exit status: the command's
 * (*@status), else @fn's failure, which around a command is
 * EXIT_CHILD_FDPCTL.
 */
int around_command(int argc, char **argv,
		   int (*fn)(int argc, char **argv, int nopt, char **cmd,
			     int *status));

#endif /* FDPCTL_CMD_H */
