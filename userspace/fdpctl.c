// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl: discover NVMe Flexible Data Placement and drive fdpblk.
 *
 * Each command parses its arguments, gathers its data through ctl.c (the
 * module's ioctls), nvme.c (io_uring passthrough), dev.c (sysfs) and
 * policy.c (policy files), and hands the result to the print table chosen
 * by -o. Errors are one line on stderr, "fdpctl: <what>: <why>", and a
 * non-zero exit: 1 for a failure, 2 for a usage error.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "cmd.h"
#include "ctl.h"
#include "dev.h"
#include "nvme.h"
#include "parse.h"
#include "policy.h"
#include "print.h"

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

/*
 * Options shared by many commands. @extra lists the command's own, handled
 * by @fn; returns the index of the first operand, or -1 after a message.
 */
struct opt_ctx {
	const struct option *extra;
	const char *shortopts;
	int (*fn)(int c, const char *arg, void *data);
	void *data;
};

static int parse_opts(int argc, char **argv, const struct opt_ctx *x)
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
static int simple_args(int argc, char **argv, int nargs)
{
	int idx = parse_opts(argc, argv, NULL);

	if (idx < 0 || argc - idx != nargs) {
		if (idx >= 0)
			usage_error();
		return -1;
	}
	return idx;
}

/* ---- the control device ---------------------------------------------- */

static int cmd_features(int argc, char **argv)
{
	struct fdpblk_features f;
	int ctl, ret;

	if (simple_args(argc, argv, 0) < 0)
		return 2;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = fdpblk_get_features(ctl, &f);
	if (ret)
		return fail("GET_FEATURES", -ret);
	out->features(&f);
	return 0;
}

/* Whether the block device at @path is zoned, by its queue/zoned. */
static bool is_zoned(const char *path)
{
	char real[PATH_MAX], attr[PATH_MAX + 64], buf[32];
	const char *name;

	if (!realpath(path, real))
		return false;
	name = strrchr(real, '/');
	snprintf(attr, sizeof(attr), "/sys/class/block/%s/queue/zoned",
		 name ? name + 1 : real);
	return !sysfs_read(attr, buf, sizeof(buf)) && strcmp(buf, "none");
}

static int explain_create(const char *lower, const char *name, int err)
{
	switch (err) {
	case EEXIST:
		fprintf(stderr, "fdpctl: --name %s: an fdpblk device of that name exists\n",
			name);
		return 1;
	case ENOENT:
		fprintf(stderr, "fdpctl: %s: no such device\n", lower);
		return 1;
	case EOPNOTSUPP:
		if (is_zoned(lower))
			fprintf(stderr, "fdpctl: %s: a zoned device: fdpblk does not stack on zoned devices\n",
				lower);
		else
			fprintf(stderr, "fdpctl: %s: no FDP write streams: use --passthrough to create anyway (see dmesg)\n",
				lower);
		return 1;
	case EBUSY:
		fprintf(stderr, "fdpctl: %s: in use (mounted or claimed by another driver)\n",
			lower);
		return 1;
	case ENOTBLK:
		fprintf(stderr, "fdpctl: %s: not a block device\n", lower);
		return 1;
	}
	return explain_ioctl(lower, "create", err);
}

struct create_opts {
	unsigned int streams;
	uint32_t flags;
	const char *name;
};

/* What the module takes as a name (see struct fdpblk_create). */
static bool valid_name(const char *name)
{
	size_t len = strlen(name), i;

	if (!len || len >= FDPBLK_NAME_LEN || !isalnum((unsigned char)name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return false;
	return !(len > 6 && !strncmp(name, "fdpblk", 6) &&
		 strspn(name + 6, "0123456789") == len - 6);
}

static int create_opt(int c, const char *arg, void *data)
{
	struct create_opts *o = data;
	unsigned long v;

	if (c == 'p') {
		o->flags |= FDPBLK_CREATE_F_PASSTHROUGH;
		return 0;
	}
	if (c == 'n') {
		if (!valid_name(arg)) {
			fprintf(stderr, "fdpctl: --name %s: 1..%d characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, not fdpblk<digits>\n",
				arg, FDPBLK_NAME_LEN - 1);
			return -1;
		}
		o->name = arg;
		return 0;
	}
	if (parse_uint(arg, FDPBLK_MAX_STREAMS, &v) || !v) {
		fprintf(stderr, "fdpctl: --streams %s: must be 1..%d\n", arg,
			FDPBLK_MAX_STREAMS);
		return -1;
	}
	o->streams = v;
	return 0;
}

static int cmd_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "streams", required_argument, NULL, 's' },
		{ "passthrough", no_argument, NULL, 'p' },
		{ "name", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct create_opts o = { 0 };
	struct opt_ctx x = { opts, NULL, create_opt, &o };
	unsigned int id;
	int ctl, ret, idx;

	idx = parse_opts(argc, argv, &x);
	if (idx < 0)
		return 2;
	if (argc - idx != 1)
		return usage_error();
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = fdpblk_create(ctl, argv[idx], o.name, o.streams, o.flags, &id);
	if (ret)
		return explain_create(argv[idx], o.name, -ret);
	printf("/dev/fdpblk%u\n", id);
	return 0;
}

/* A command that takes one device and makes one ioctl on it. */
struct dev_op {
	const char *what;
	int (*fn)(int ctl, unsigned int dev_id);
	int err;		/* an errno with a message of its own */
	const char *err_msg;
};

static int run_dev_op(int argc, char **argv, const struct dev_op *op)
{
	struct fdpblk_info d;
	int ctl, ret, idx;

	idx = simple_args(argc, argv, 1);
	if (idx < 0)
		return 2;
	if (dev_arg(argv[idx], &d))
		return 1;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = op->fn(ctl, d.id);
	if (ret == -op->err) {
		fprintf(stderr, "fdpctl: %s: %s\n", argv[idx], op->err_msg);
		return 1;
	}
	return ret ? explain_ioctl(argv[idx], op->what, -ret) : 0;
}

static int cmd_remove(int argc, char **argv)
{
	static const struct dev_op op = {
		"remove", fdpblk_remove, EBUSY, "in use (open or mounted)",
	};

	return run_dev_op(argc, argv, &op);
}

static int cmd_revalidate(int argc, char **argv)
{
	static const struct dev_op op = {
		"revalidate", fdpblk_revalidate, ENODEV,
		"the lower device is gone",
	};

	return run_dev_op(argc, argv, &op);
}

/* ---- namespaces ------------------------------------------------------ */

static int cmd_list(int argc, char **argv)
{
	char (*names)[DEV_NAME_LEN] = NULL;
	struct fdpblk_info *devs = NULL;
	unsigned int nr_ns, nr_devs, i;
	struct list_ns *ns;
	int ret;

	if (simple_args(argc, argv, 0) < 0)
		return 2;
	ret = ns_list(&names, &nr_ns);
	if (ret)
		return fail("/sys/block", -ret);
	ret = fdpblk_list(&devs, &nr_devs);
	if (ret) {
		free(names);
		return fail("/sys/block", -ret);
	}
	ns = calloc(nr_ns ? nr_ns : 1, sizeof(*ns));
	if (!ns) {
		free(names);
		free(devs);
		return fail("list", ENOMEM);
	}
	for (i = 0; i < nr_ns; i++) {
		struct list_ns *l = &ns[i];
		struct fdp_ruhs_desc *d;

		ns_queue_info(names[i], &l->q);
		l->err = open_ns(names[i], NS_QUIET, &l->ns, &l->info, NULL);
		if (!l->err && l->info.enabled &&
		    !fdp_ruh_status(&l->ns, &d, &l->nr_ruhs))
			free(d);
		/* Keep the name even when the namespace could not be opened. */
		if (!l->ns.name[0]) {
			snprintf(l->ns.name, sizeof(l->ns.name), "%s", names[i]);
			snprintf(l->ns.blk, sizeof(l->ns.blk), "/dev/%s", names[i]);
		}
	}
	/* Without root nothing can be read: say so once, list anyway. */
	for (i = 0; i < nr_ns; i++) {
		if (ns[i].err == -EACCES || ns[i].err == -EPERM) {
			fprintf(stderr, "fdpctl: list: FDP state needs root (NVMe passthrough)\n");
			break;
		}
	}
	out->list(ns, nr_ns, devs, nr_devs);
	free(ns);
	free(names);
	free(devs);
	return 0;
}

/*
 * The read commands on one FDP namespace: parse, open, then @show fetches
 * and prints (0, or what explain_nvme() explains).
 */
static int ns_cmd(int argc, char **argv, const struct opt_ctx *x,
		  int (*show)(const struct ns_ctx *c, const void *arg),
		  const void *arg)
{
	struct fdp_info info;
	struct fdp_ns ns;
	struct ns_ctx c;
	int ret, idx;

	idx = parse_opts(argc, argv, x);
	if (idx < 0)
		return 2;
	if (argc - idx != 1)
		return usage_error();
	ret = open_ns(argv[idx], NS_DEVICE | NS_FDP, &ns, &info, &c);
	if (ret)
		return ret;
	ret = show(&c, arg);
	return ret ? explain_nvme(argv[idx], ret) : 0;
}

static int show_status(const struct ns_ctx *c, const void *arg)
{
	struct fdp_ruhs_desc *d;
	unsigned int n;
	int ret;

	(void)arg;
	ret = fdp_ruh_status(c->ns, &d, &n);
	if (!ret) {
		out->status(c, d, n);
		free(d);
	}
	return ret;
}

static int show_configs(const struct ns_ctx *c, const void *arg)
{
	struct fdp_conf *conf;
	unsigned int n;
	int ret;

	(void)arg;
	ret = fdp_configs(c->ns, c->info->endgid, &conf, &n);
	if (!ret) {
		out->configs(c, conf, n);
		free(conf);
	}
	return ret;
}

static int show_usage(const struct ns_ctx *c, const void *arg)
{
	unsigned int n;
	uint8_t *ruha;
	int ret;

	(void)arg;
	ret = fdp_ruh_usage(c->ns, c->info->endgid, &ruha, &n);
	if (!ret) {
		out->usage(c, ruha, n);
		free(ruha);
	}
	return ret;
}

static int show_stats(const struct ns_ctx *c, const void *arg)
{
	struct fdp_stats st;
	int ret;

	(void)arg;
	ret = fdp_stats(c->ns, c->info->endgid, &st);
	if (!ret)
		out->stats(c, &st);
	return ret;
}

static int show_events(const struct ns_ctx *c, const void *arg)
{
	bool host = *(const bool *)arg;
	struct fdp_event *ev;
	unsigned int n;
	int ret;

	ret = fdp_events(c->ns, c->info->endgid, host, &ev, &n);
	if (!ret) {
		out->events(c, host, ev, n);
		free(ev);
	}
	return ret;
}

static int cmd_status(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_status, NULL);
}

static int cmd_configs(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_configs, NULL);
}

static int cmd_usage(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_usage, NULL);
}

static int cmd_stats(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_stats, NULL);
}

static int events_opt(int c, const char *arg, void *data)
{
	(void)c;
	(void)arg;
	*(bool *)data = true;
	return 0;
}

static int cmd_events(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	bool host = false;
	struct opt_ctx x = { opts, "H", events_opt, &host };

	return ns_cmd(argc, argv, &x, show_events, &host);
}

/* ---- commands around a child process ---------------------------------- */

static int cmd_waf(int argc, char **argv)
{
	struct waf_report w = { .cmd_status = -1 };
	struct fdp_info info;
	struct fdp_ns ns;
	struct ns_ctx c;
	char **cmd;
	int ret, idx, nopt;

	nopt = split_command(argc, argv, &cmd);
	idx = parse_opts(nopt, argv, NULL);
	if (idx < 0)
		return 2;
	if (nopt - idx != 1 || (nopt < argc && !cmd))
		return usage_error();
	ret = open_ns(argv[idx], NS_DEVICE | NS_FDP, &ns, &info, &c);
	if (ret)
		return ret;
	w.ctx = &c;
	if (cmd) {
		ret = fdp_stats(&ns, info.endgid, &w.before);
		if (ret)
			return explain_nvme(argv[idx], ret);
		w.interval = true;
		w.cmd_status = run_child(cmd, NULL, NULL);
		if (w.cmd_status < 0)
			return 1;
		/* What the command left in the page cache belongs to it too. */
		sync();
	}
	ret = fdp_stats(&ns, info.endgid, &w.after);
	if (ret)
		return explain_nvme(argv[idx], ret);
	out->waf(&w);
	if (w.cmd_status > 0) {
		fprintf(stderr, "fdpctl: %s: exited with status %d\n", cmd[0],
			w.cmd_status);
		return 1;
	}
	return 0;
}

/* ---- policies ---------------------------------------------------------- */

static int get_policy(const struct fdpblk_info *d, const char *arg,
		      struct fdpblk_policy *p)
{
	int ctl, ret;

	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = fdpblk_get_policy(ctl, d->id, p);
	return ret ? explain_ioctl(arg, "GET_POLICY", -ret) : 0;
}

/*
 * Push @new unless @dry_run, if the device still has @old's version, and
 * report the change.
 */
static int push_policy(const struct fdpblk_info *d, const char *arg,
		       const struct fdpblk_policy *old,
		       struct fdpblk_policy *new,
		       const struct policy_reasons *why, bool dry_run)
{
	int ctl, ret;

	new->dev_id = d->id;
	new->version = old->version;
	if (dry_run) {
		out->policy_change(d, old, new, why, false);
		return 0;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;
	new->flags = FDPBLK_POLICY_F_IF_VERSION;
	ret = fdpblk_set_policy(ctl, new);
	if (ret == -ESTALE) {
		fprintf(stderr, "fdpctl: %s: the policy changed meanwhile (it is no longer version %" PRIu64 "): nothing pushed, try again\n",
			arg, (uint64_t)old->version);
		return 1;
	}
	if (ret == -EINVAL) {
		fprintf(stderr, "fdpctl: %s: the module refused the policy (does the device still have %u handles?)\n",
			arg, d->lim.max_ph);
		return 1;
	}
	if (ret)
		return explain_ioctl(arg, "SET_POLICY", -ret);
	out->policy_change(d, old, new, why, true);
	return 0;
}

struct policy_opts {
	bool dry_run;
	int meta;
};

static int policy_opt(int c, const char *arg, void *data)
{
	struct policy_opts *o = data;
	unsigned long v;

	if (c == 'n') {
		o->dry_run = true;
		return 0;
	}
	if (parse_uint(arg, FDPBLK_MAX_PH, &v)) {
		fprintf(stderr, "fdpctl: --meta %s: must be a number of handles\n", arg);
		return -1;
	}
	o->meta = v;
	return 0;
}

static int policy_set(const struct fdpblk_info *d, const char *arg,
		      const char *file, bool dry_run)
{
	struct fdpblk_policy old, new;
	char err[POLICY_ERR_LEN];
	FILE *f;
	int ret;

	if (d->passthrough) {
		fprintf(stderr, "fdpctl: %s: a pass-through device places nothing: it takes no policy\n",
			arg);
		return 1;
	}
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f)
		return fail(file, errno);
	ret = policy_parse(f, strcmp(file, "-") ? file : "<stdin>", &d->lim,
			   &new, err);
	if (f != stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "fdpctl: %s\n", err);
		return 1;
	}
	ret = get_policy(d, arg, &old);
	return ret ? ret : push_policy(d, arg, &old, &new, NULL, dry_run);
}

static int policy_auto_cmd(const struct fdpblk_info *d, const char *arg,
			   const struct policy_opts *o)
{
	uint8_t ruht[FDPBLK_MAX_PH] = { 0 };
	struct policy_reasons why = { 0 };
	struct fdpblk_policy old, new;
	char err[POLICY_ERR_LEN], sz[32];
	struct fdp_ruhs_desc *rs;
	struct fdp_info info;
	struct fdp_ns ns;
	unsigned int n, i, persist = 0;
	int ret;

	if (d->passthrough) {
		fprintf(stderr, "fdpctl: %s: a pass-through device places nothing: it takes no policy\n",
			arg);
		return 1;
	}
	ret = open_ns(d->lower, NS_DEVICE | NS_FDP, &ns, &info, NULL);
	if (ret)
		return ret;
	ret = fdp_ruh_status(&ns, &rs, &n);
	if (ret)
		return explain_nvme(d->lower, ret);
	if (n < d->lim.max_ph) {
		free(rs);
		fprintf(stderr, "fdpctl: %s: %s reports %u handles, the device uses %u\n",
			arg, d->lower, n, d->lim.max_ph);
		return 1;
	}
	for (i = 0; i < d->lim.max_ph; i++) {
		if (rs[i].ruhid < info.conf.nruh)
			ruht[i] = info.conf.ruht[rs[i].ruhid];
		persist += ruht[i] == FDP_RUHT_PERSISTENTLY_ISOLATED;
	}
	free(rs);
	snprintf(why.line[why.n++], POLICY_ERR_LEN,
		 "RUH status of %s: %u handles, %u persistently isolated, %s reclaim units",
		 d->lower, d->lim.max_ph, persist, size_str(info.conf.runs, sz));
	if (policy_auto(&d->lim, ruht, o->meta, &new, &why, err)) {
		fprintf(stderr, "fdpctl: %s: %s\n", arg, err);
		return 1;
	}
	ret = get_policy(d, arg, &old);
	return ret ? ret : push_policy(d, arg, &old, &new, &why, o->dry_run);
}

static int cmd_policy(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "meta", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct policy_opts o = { .meta = -1 };
	struct opt_ctx x = { opts, "n", policy_opt, &o };
	struct fdpblk_policy p;
	struct fdpblk_info d;
	const char *op;
	int idx, ret, nargs;

	if (argc < 2)
		return usage_error();
	op = argv[1];
	nargs = !strcmp(op, "set") ? 2 : 1;
	if (strcmp(op, "show") && strcmp(op, "set") && strcmp(op, "auto"))
		return usage_error();
	idx = parse_opts(argc - 1, argv + 1, &x);
	if (idx < 0)
		return 2;
	idx++;
	if (argc - idx != nargs || (!strcmp(op, "show") && (o.dry_run || o.meta >= 0)) ||
	    (!strcmp(op, "set") && o.meta >= 0))
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	if (!strcmp(op, "set"))
		return policy_set(&d, argv[idx], argv[idx + 1], o.dry_run);
	if (!strcmp(op, "auto"))
		return policy_auto_cmd(&d, argv[idx], &o);
	ret = get_policy(&d, argv[idx], &p);
	if (!ret)
		out->policy(&d, &p);
	return ret;
}

/* ---- ranks ------------------------------------------------------------- */

static int parse_range_opt(const char *arg, struct fdpblk_range_rank *r)
{
	uint64_t start, len;

	if (parse_range(arg, &start, &len)) {
		fprintf(stderr, "fdpctl: --range %s: must be START+LEN (sectors, or bytes with K/M/G), LEN > 0\n",
			arg);
		return -1;
	}
	r->start = start;
	r->nr_sectors = len;
	return 0;
}

/* A range must lie on the device and between its logical blocks. */
static int check_range(const struct fdpblk_info *d, const char *arg,
		       const struct fdpblk_range_rank *r)
{
	struct ns_queue_info q;
	uint64_t sectors, lbs;

	if (ns_queue_info(d->name, &q))
		return 0;	/* the module checks anyway */
	sectors = q.bytes / 512;
	lbs = q.lbsize / 512;
	if (r->start >= sectors || r->nr_sectors > sectors - r->start) {
		fprintf(stderr, "fdpctl: %s: range %" PRIu64 "+%" PRIu64 " runs past the end of the device (%" PRIu64 " sectors)\n",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, sectors);
		return 1;
	}
	if (lbs > 1 && ((r->start | r->nr_sectors) & (lbs - 1))) {
		fprintf(stderr, "fdpctl: %s: range %" PRIu64 "+%" PRIu64 " does not fall on the device's %u-byte logical blocks\n",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, q.lbsize);
		return 1;
	}
	return 0;
}

static int rank_list(int ctl, const struct fdpblk_info *d, const char *arg)
{
	struct fdpblk_range_rank *r = NULL;
	struct fdpblk_cgroup_rank *c = NULL;
	unsigned int nr = 0, nc = 0, i, room;
	char **paths = NULL;
	int ret;

	/* Ask for the count, then for that many; retry if ranks grew. */
	do {
		room = nr;
		free(r);
		r = room ? calloc(room, sizeof(*r)) : NULL;
		ret = room && !r ? -ENOMEM :
		      fdpblk_range_ranks(ctl, FDPBLK_IOC_LIST_RANGE_RANKS, d->id, 0,
					 r, &nr);
	} while (!ret && nr > room);
	do {
		room = nc;
		free(c);
		c = room ? calloc(room, sizeof(*c)) : NULL;
		ret = ret ? ret : room && !c ? -ENOMEM :
		      fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_LIST_CGROUP_RANKS, d->id,
					  0, c, &nc);
	} while (!ret && nc > room);
	if (!ret) {
		paths = calloc(nc ? nc : 1, sizeof(*paths));
		if (!paths)
			ret = -ENOMEM;
	}
	if (ret) {
		free(r);
		free(c);
		return explain_rank(arg, -ret);
	}
	for (i = 0; i < nc; i++)
		paths[i] = cgroup_id_path(c[i].cgroup_id);
	out->ranks(d, r, nr, c, paths, nc);
	for (i = 0; i < nc; i++)
		free(paths[i]);
	free(paths);
	free(r);
	free(c);
	return 0;
}

struct rank_opts {
	struct fdpblk_range_rank r;
	struct fdpblk_cgroup_rank cg;
	int have_range, have_cgroup, all;
};

static int rank_opt(int c, const char *arg, void *data)
{
	struct rank_opts *o = data;
	char path[4096];

	switch (c) {
	case 'r':
		o->have_range++;
		return parse_range_opt(arg, &o->r);
	case 'c':
		o->have_cgroup++;
		cgroup_path(arg, path, sizeof(path));
		if (cgroup_id(path, &o->cg.cgroup_id)) {
			fprintf(stderr, "fdpctl: --cgroup %s: not a cgroup v2 directory\n",
				arg);
			return -1;
		}
		return 0;
	default:
		o->all = 1;
		return 0;
	}
}

static int parse_rank(const char *arg, __u32 *rank)
{
	unsigned long v;

	if (parse_uint(arg, UINT32_MAX, &v)) {
		fprintf(stderr, "fdpctl: rank %s: must be 0..4294967295\n", arg);
		return -1;
	}
	*rank = v;
	return 0;
}

static int cmd_rank(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "range", required_argument, NULL, 'r' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	struct rank_opts o = { 0 };
	struct opt_ctx x = { opts, NULL, rank_opt, &o };
	unsigned int one = 1, zero = 0, pid;
	int ctl, ret, idx, set, list, nsel;
	uint64_t pstart, psize;
	struct fdpblk_info d;
	char whole[32] = "";
	const char *op;

	if (argc < 2)
		return usage_error();
	op = argv[1];
	set = !strcmp(op, "set");
	list = !strcmp(op, "list");
	if (!set && !list && strcmp(op, "clear"))
		return usage_error();
	idx = parse_opts(argc - 1, argv + 1, &x);
	if (idx < 0)
		return 2;
	idx++;
	nsel = o.have_range + o.have_cgroup + o.all;
	if (argc - idx != 1 + set || (list ? nsel != 0 : nsel != 1) || (set && o.all))
		return usage_error();
	if (set && parse_rank(argv[idx + 1], o.have_range ? &o.r.rank : &o.cg.rank))
		return 2;
	/*
	 * A partition: its range is relative to the partition, and must lie
	 * in it; ranks are the whole device's, so nothing else goes there.
	 */
	if (!fdpblk_partition(argv[idx], &pid, &pstart, &psize)) {
		if (!o.have_range) {
			fprintf(stderr, "fdpctl: %s: a partition takes --range only: cgroup ranks and lists are the whole device's\n",
				argv[idx]);
			return 2;
		}
		if (o.r.start >= psize || o.r.nr_sectors > psize - o.r.start) {
			fprintf(stderr, "fdpctl: %s: range %" PRIu64 "+%" PRIu64 " runs past the end of the partition (%" PRIu64 " sectors)\n",
				argv[idx], (uint64_t)o.r.start,
				(uint64_t)o.r.nr_sectors, psize);
			return 1;
		}
		o.r.start += pstart;
		snprintf(whole, sizeof(whole), "fdpblk%u", pid);
	}
	if (dev_arg(whole[0] ? whole : argv[idx], &d))
		return 1;
	if (o.have_range && check_range(&d, argv[idx], &o.r))
		return 1;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	if (list)
		return rank_list(ctl, &d, argv[idx]);
	if (o.all) {
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_CLEAR_RANGE_RANKS, d.id,
					 FDPBLK_RANKS_F_ALL, NULL, &zero);
		if (!ret)
			ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS,
						  d.id, FDPBLK_RANKS_F_ALL, NULL, &zero);
	} else if (o.have_range) {
		ret = fdpblk_range_ranks(ctl, set ? FDPBLK_IOC_SET_RANGE_RANKS :
					 FDPBLK_IOC_CLEAR_RANGE_RANKS, d.id, 0,
					 &o.r, &one);
	} else {
		ret = fdpblk_cgroup_ranks(ctl, set ? FDPBLK_IOC_SET_CGROUP_RANKS :
					  FDPBLK_IOC_CLEAR_CGROUP_RANKS, d.id, 0,
					  &o.cg, &one);
	}
	return ret ? explain_rank(argv[idx], -ret) : 0;
}

/* ---- run: an unmodified command in a ranked cgroup ---------------------- */

/* In the child, before exec: join the cgroup. */
static void join_cgroup(void *dir)
{
	char pid[16];
	int ret;

	snprintf(pid, sizeof(pid), "%d", getpid());
	ret = cgroup_write(dir, "cgroup.procs", pid);
	if (ret) {
		fprintf(stderr, "fdpctl: %s: cannot join: %s\n", (char *)dir,
			strerror(-ret));
		_exit(127);
	}
}

struct run_opts {
	bool have_rank;
	__u32 rank;
};

static int run_opt(int c, const char *arg, void *data)
{
	struct run_opts *o = data;

	(void)c;
	o->have_rank = true;
	return parse_rank(arg, &o->rank);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rank", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts o = { 0 };
	struct opt_ctx x = { opts, NULL, run_opt, &o };
	struct fdpblk_cgroup_rank cg = { 0 };
	unsigned int one = 1;
	struct fdpblk_info d;
	char dir[256], **cmd;
	int ctl, ret, idx, status, nopt;

	nopt = split_command(argc, argv, &cmd);
	idx = parse_opts(nopt, argv, &x);
	if (idx < 0)
		return 2;
	if (!o.have_rank || nopt - idx != 1 || !cmd)
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	if (!cgroup_has_controller("io")) {
		fprintf(stderr, "fdpctl: %s: the io controller is not available: is cgroup v2 mounted there?\n",
			CGROUP_ROOT);
		return 1;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;

	/*
	 * A cgroup of our own below the root, with io (and memory, which
	 * writeback needs to know whose dirty pages it writes) enabled.
	 */
	ret = cgroup_write(CGROUP_ROOT, "cgroup.subtree_control",
			   cgroup_has_controller("memory") ? "+io +memory" : "+io");
	if (ret)
		return fail(CGROUP_ROOT "/cgroup.subtree_control", -ret);
	if (!cgroup_has_controller("memory"))
		fprintf(stderr, "fdpctl: warning: no memory controller: buffered writes will not carry the rank\n");
	snprintf(dir, sizeof(dir), CGROUP_ROOT "/fdpctl-run-%d", getpid());
	if (mkdir(dir, 0755))
		return fail(dir, errno);
	ret = cgroup_id(dir, &cg.cgroup_id) ? -ENOENT : 0;
	cg.rank = o.rank;
	if (!ret)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_SET_CGROUP_RANKS, d.id, 0,
					  &cg, &one);
	if (ret) {
		rmdir(dir);
		return explain_rank(argv[idx], -ret);
	}

	status = run_child(cmd, join_cgroup, dir);
	/* Write back what the command left dirty while its rank still holds. */
	sync();
	cg.rank = 0;
	ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS, d.id, 0,
				  &cg, &one);
	if (ret && ret != -ENODEV)
		explain_rank(argv[idx], -ret);
	if (rmdir(dir))
		fprintf(stderr, "fdpctl: %s: cannot remove: %s\n", dir, strerror(errno));
	return status < 0 ? 127 : status;
}

/* ---- top ----------------------------------------------------------------- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct top_opts {
	double interval;
	unsigned long count;
};

static int top_opt(int c, const char *arg, void *data)
{
	struct top_opts *o = data;

	if (c == 'n') {
		if (parse_uint(arg, 1UL << 30, &o->count) || !o->count) {
			fprintf(stderr, "fdpctl: --count %s: must be a positive number\n", arg);
			return -1;
		}
		return 0;
	}
	if (parse_double(arg, 0.1, 3600, &o->interval)) {
		fprintf(stderr, "fdpctl: --interval %s: must be 0.1..3600 seconds\n", arg);
		return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* RUAMW of every handle, or -1 when the device cannot tell (no FDP). */
static int top_ruamw(const struct fdp_ns *ns, bool have_ns, uint64_t *ruamw,
		     uint16_t *pid, unsigned int max_ph)
{
	struct fdp_ruhs_desc *d;
	unsigned int n, i;

	if (!have_ns || fdp_ruh_status(ns, &d, &n))
		return -1;
	for (i = 0; i < max_ph && i < n; i++) {
		ruamw[i + 1] = d[i].ruamw;
		pid[i + 1] = d[i].pid;
	}
	free(d);
	return n >= max_ph ? 0 : -1;
}

static int cmd_top(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct top_opts o = { .interval = 1.0 };
	struct opt_ctx x = { opts, "i:n:", top_opt, &o };
	uint64_t bytes[2][FDPBLK_MAX_PH + 1], ruamw[2][FDPBLK_MAX_PH + 1];
	uint16_t pid[FDPBLK_MAX_PH + 1] = { 0 };
	struct top_row rows[FDPBLK_MAX_PH + 1];
	struct sigaction sa = { .sa_handler = on_signal };
	struct ns_queue_info q = { 0 };
	struct fdp_info info = { 0 };
	struct fdpblk_info d;
	struct fdp_ns ns;
	unsigned int nb, i, cur = 0, frames = 0;
	uint64_t ru_blocks = 0;
	bool have_ns, have_dev;
	double t0, t1;
	int idx, ret;

	idx = parse_opts(argc, argv, &x);
	if (idx < 0)
		return 2;
	if (argc - idx != 1)
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	/* The device side is optional: a pass-through device has none. */
	have_ns = !d.passthrough &&
		  !open_ns(d.lower, NS_QUIET | NS_FDP, &ns, &info, NULL) &&
		  !ns_queue_info(ns.name, &q) && q.lbsize;
	if (have_ns)
		ru_blocks = info.conf.runs / q.lbsize;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = fdpblk_stat(d.id, "ph_bytes", bytes[cur], d.lim.max_ph + 1, &nb);
	if (ret)
		return explain_ioctl(argv[idx], "ph_bytes", -ret);
	have_dev = !top_ruamw(&ns, have_ns, ruamw[cur], pid, d.lim.max_ph);
	t0 = now();
	while (!stop) {
		struct timespec ts = {
			.tv_sec = (time_t)o.interval,
			.tv_nsec = (long)((o.interval - floor(o.interval)) * 1e9),
		};
		struct top_frame f = { .dev = &d, .rows = rows };
		double dt;

		if (nanosleep(&ts, NULL) && stop)
			break;
		cur ^= 1;
		ret = fdpblk_stat(d.id, "ph_bytes", bytes[cur], d.lim.max_ph + 1, &nb);
		if (ret == -ENODEV) {
			fprintf(stderr, "fdpctl: %s: the device went away\n", argv[idx]);
			return 1;
		}
		if (ret)
			return explain_ioctl(argv[idx], "ph_bytes", -ret);
		have_dev = !top_ruamw(&ns, have_ns && have_dev, ruamw[cur], pid,
				      d.lim.max_ph) && have_dev;
		t1 = now();
		dt = t1 - t0;
		t0 = t1;
		for (i = 0; i < nb; i++) {
			struct top_row *r = &rows[i];

			r->ph = i;
			/* Counters reset meanwhile start again from 0. */
			r->host_rate = (bytes[cur][i] >= bytes[!cur][i] ?
					bytes[cur][i] - bytes[!cur][i] :
					bytes[cur][i]) / dt;
			r->have_dev = have_dev && i;
			if (r->have_dev) {
				/* A filled reclaim unit is replaced: count modulo its size. */
				uint64_t drop = (ruamw[!cur][i] - ruamw[cur][i] +
						 ru_blocks) % ru_blocks;

				r->pid = pid[i];
				r->ruamw = ruamw[cur][i];
				r->dev_rate = drop * q.lbsize / dt;
			}
		}
		f.interval = dt;
		f.nr = nb;
		out->top(&f);
		if (o.count && ++frames >= o.count)
			break;
	}
	return 0;
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
