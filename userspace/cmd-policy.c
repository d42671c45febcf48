// SPDX-License-Identifier: GPL-2.0
/*
 * policy show|set|auto|advise: the device's placement policy as a file to
 * edit, checked against the device before it is pushed, derived from the
 * namespace's reclaim unit handles, or chosen among candidates by the
 * write amplification each gives a recorded trace on the FDP SSD model.
 *
 * What show prints binds itself to the device: the lower's identity, the
 * placement ID of each ph, and the policy's version. set refuses a file
 * written for another namespace or handle layout (unless --force), and
 * one whose version is no longer the device's (compare-and-swap in the
 * kernel), so that two people editing the same policy notice each other.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "cmd.h"
#include "ctl.h"
#include "model.h"
#include "parse.h"
#include "policy.h"
#include "print.h"
#include "rankfile.h"

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

void lower_id(const struct fdpblk_info *d, char *buf, size_t len)
{
	char path[DEV_NAME_LEN + 32], *s;

	snprintf(path, sizeof(path), "/sys/block/%s/wwid", d->lower);
	if (sysfs_read(path, buf, len)) {
		snprintf(buf, len, "%s", d->lower);
		return;
	}
	/* As the parser reads it back: no blanks around it. */
	s = str_trim(buf);
	memmove(buf, s, strlen(s) + 1);
	if (!*buf)
		snprintf(buf, len, "%s", d->lower);
}

int read_handles(struct fdpblk_info *d, const char *arg, bool quiet,
		 struct policy_handle *tab, struct fdp_info *info)
{
	struct fdp_ruhs_desc *rs;
	struct fdp_info fi;
	struct fdp_ns ns;
	unsigned int n, i;
	int ret;

	if (!info)
		info = &fi;
	ret = open_ns(d->lower, quiet ? NS_QUIET | NS_FDP : NS_DEVICE | NS_FDP,
		      &ns, info, NULL);
	if (ret)
		return ret;
	ret = fdp_ruh_status(&ns, &rs, &n);
	if (ret)
		return quiet ? ret : explain_nvme(d->lower, ret);
	if (n < d->lim.max_ph) {
		free(rs);
		if (quiet)
			return -ERANGE;
		errorf(0, "%s: %s reports %u handles, the device uses %u",
			arg, d->lower, n, d->lim.max_ph);
		return 1;
	}
	for (i = 0; i < d->lim.max_ph; i++) {
		tab[i].pid = rs[i].pid;
		tab[i].ruhid = rs[i].ruhid;
		tab[i].ruht = fdp_ruht(&info->conf, rs[i].ruhid);
	}
	free(rs);
	d->lim.handles = tab;
	return 0;
}

/* The policy is no longer version @expected: say what it is now; 1. */
static int stale(const struct fdpblk_info *d, const char *arg,
		 uint64_t expected)
{
	struct fdpblk_policy cur;
	char now[32] = "a newer one";
	int ctl = open_control();

	if (ctl >= 0 && !fdpblk_get_policy(ctl, d->id, &cur))
		snprintf(now, sizeof(now), "%" PRIu64, (uint64_t)cur.version);
	errorf(0, "%s: the policy changed since it was shown (version %" PRIu64 " -> %s): nothing pushed; show it again and redo the change",
		arg, expected, now);
	return 1;
}

/*
 * Push @new unless @how says not to, if the device's policy is still
 * version @expected, and report the change from @old.
 */
static int push_policy(const struct fdpblk_info *d, const char *arg,
		       const struct fdpblk_policy *old,
		       struct fdpblk_policy *new, uint64_t expected,
		       const struct policy_reasons *why, const char *lower,
		       enum policy_push how)
{
	int ctl, ret;

	new->dev_id = d->id;
	new->version = expected;
	if (how != POLICY_PUSHED) {
		out->policy_change(d, old, new, why, lower, how);
		return 0;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;
	new->flags = FDPBLK_POLICY_F_IF_VERSION;
	ret = fdpblk_set_policy(ctl, new);
	if (ret == -ESTALE)
		return stale(d, arg, expected);
	if (ret == -EINVAL) {
		errorf(0, "%s: the module refused the policy (does the device still have %u handles?)",
			arg, d->lim.max_ph);
		return 1;
	}
	if (ret)
		return explain_ioctl(arg, "SET_POLICY", -ret);
	out->policy_change(d, old, new, why, lower, how);
	return 0;
}

struct policy_opts {
	bool dry_run;	/* set */
	bool force;	/* set */
	bool apply;	/* auto */
	int meta;	/* auto */
	const char *trace;	/* advise */
	uint64_t capacity;	/* advise; 0: the trace's extent */
	uint64_t ru_size;	/* advise; 0: the namespace's */
	double op;		/* advise */
};

static int policy_opt(int c, const char *arg, void *data)
{
	struct policy_opts *o = data;
	unsigned long v;

	switch (c) {
	case 'n':
		o->dry_run = true;
		return 0;
	case 'f':
		o->force = true;
		return 0;
	case 'a':
		o->apply = true;
		return 0;
	case 'T':
		o->trace = arg;
		return 0;
	case 'c':
		return model_parse_size("capacity", arg, false, &o->capacity);
	case 'u':
		return model_parse_size("ru-size", arg, false, &o->ru_size);
	case 'p':
		return model_parse_op(arg, &o->op);
	}
	if (parse_uint(arg, FDPBLK_MAX_PH, &v)) {
		errorf(0, "--meta %s: must be a number of handles", arg);
		return -1;
	}
	o->meta = v;
	return 0;
}

static int no_passthrough(const struct fdpblk_info *d, const char *arg)
{
	if (!d->passthrough)
		return 0;
	errorf(0, "%s: a pass-through device places nothing: it takes no policy",
		arg);
	return 1;
}

/*
 * What follows set's device: one FILE (or -), or KEY=VALUE entries, an
 * argument with '=' being an entry. 0, or 2 after a message.
 */
static int file_or_entries(char **args, unsigned int n)
{
	unsigned int i;

	if (n == 1 && !strchr(args[0], '='))
		return 0;
	for (i = 0; i < n; i++) {
		if (strchr(args[i], '='))
			continue;
		/* Operand 1 is the device. */
		errorf(0, "policy set: argument %u: '%s': expected KEY=VALUE (a FILE comes alone)",
			i + 2, args[i]);
		return 2;
	}
	return 0;
}

/*
 * Parse the FILE or entries (file_or_entries() checked them) onto @p.
 * @name gets what the header is reported under. 0, or 1 after a message.
 */
static int read_policy(char **args, unsigned int n,
		       const struct policy_limits *lim,
		       struct fdpblk_policy *p, struct policy_header *h,
		       const char **name)
{
	char err[POLICY_ERR_LEN];
	FILE *f;
	int ret;

	if (n == 1 && !strchr(args[0], '=')) {
		*name = strcmp(args[0], "-") ? args[0] : "<stdin>";
		f = strcmp(args[0], "-") ? fopen(args[0], "r") : stdin;
		if (!f)
			return fail(args[0], errno);
		ret = policy_parse(f, *name, lim, p, h, err);
		if (f != stdin)
			fclose(f);
	} else {
		*name = "arguments";
		ret = policy_parse_args(args, n, 2, lim, p, h, err);
	}
	if (ret) {
		errorf(0, "%s", err);
		return 1;
	}
	return 0;
}

/*
 * policy set: the file or entries onto the device's current policy,
 * refused when written for another device (unless forced) or another
 * version of its policy.
 */
static int policy_set(struct fdpblk_info *d, const char *arg, char **args,
		      unsigned int n, const struct policy_opts *o,
		      struct policy_handle *tab)
{
	char err[POLICY_ERR_LEN], lower[POLICY_LOWER_LEN];
	struct fdpblk_policy old, new;
	struct policy_header h;
	const char *name;
	uint64_t expected;
	int ret;

	if (no_passthrough(d, arg))
		return 1;
	ret = get_policy(d, arg, &old);
	if (ret)
		return ret;
	/* Quietly: without RUH status only pid:P and placement_ids fail. */
	read_handles(d, arg, true, tab, NULL);
	memcpy(&new, &old, sizeof(new));
	ret = read_policy(args, n, &d->lim, &new, &h, &name);
	if (ret)
		return ret;
	lower_id(d, lower, sizeof(lower));
	if (!o->force && policy_header_check(&h, lower, &d->lim, err)) {
		errorf(0, "%s: %s: refused (--force pushes it anyway)", name, err);
		return 1;
	}
	expected = h.has_version ? h.version : old.version;
	if (expected != old.version)
		return stale(d, arg, expected);
	return push_policy(d, arg, &old, &new, expected, NULL, lower,
			   o->dry_run ? POLICY_DRY_RUN : POLICY_PUSHED);
}

static int policy_auto_cmd(struct fdpblk_info *d, const char *arg,
			   const struct policy_opts *o,
			   struct policy_handle *tab)
{
	uint8_t ruht[FDPBLK_MAX_PH] = { 0 };
	struct policy_reasons why = { 0 };
	char err[POLICY_ERR_LEN], sz[32], lower[POLICY_LOWER_LEN];
	struct fdpblk_policy old, new;
	struct fdp_info info;
	unsigned int i, persist = 0;
	int ret;

	if (no_passthrough(d, arg))
		return 1;
	ret = read_handles(d, arg, false, tab, &info);
	if (ret)
		return ret;
	for (i = 0; i < d->lim.max_ph; i++) {
		ruht[i] = tab[i].ruht;
		persist += ruht[i] == FDP_RUHT_PERSISTENTLY_ISOLATED;
	}
	snprintf(why.line[why.n++], POLICY_ERR_LEN,
		 "RUH status of %s: %u handles, %u persistently isolated, %s reclaim units",
		 d->lower, d->lim.max_ph, persist, size_str(info.conf.runs, sz));
	if (policy_auto(&d->lim, ruht, o->meta, &new, &why, err)) {
		errorf(0, "%s: %s", arg, err);
		return 1;
	}
	ret = get_policy(d, arg, &old);
	if (ret)
		return ret;
	lower_id(d, lower, sizeof(lower));
	return push_policy(d, arg, &old, &new, old.version, &why, lower,
			   o->apply ? POLICY_PUSHED : POLICY_PREVIEW);
}

/* A policy advise candidate, and what the model made of it. */
struct candidate {
	char name[48];
	struct fdpblk_policy p;
	struct model_run run;
	double waf;
};

#define ADVISE_MAX	8

static void count_diff(void *arg, const char *key, const char *old,
		       const char *new)
{
	(void)key;
	(void)old;
	(void)new;
	(*(unsigned int *)arg)++;
}

/* Add @p as @name unless a candidate already is that policy. */
static void add_candidate(struct candidate *c, unsigned int *n,
			  const struct policy_limits *lim, const char *name,
			  const struct fdpblk_policy *p)
{
	unsigned int i, diff;

	for (i = 0; i < *n; i++) {
		diff = 0;
		policy_diff(&c[i].p, p, lim, count_diff, &diff);
		if (!diff)
			return;
	}
	if (*n == ADVISE_MAX)
		return;
	snprintf(c[*n].name, sizeof(c[*n].name), "%s", name);
	c[*n].p = *p;
	(*n)++;
}

/* The device's ranks as a rank file, for the classification. */
static int ranks_of(const struct fdpblk_info *d, const char *arg,
		    struct rank_file *rf)
{
	struct rank_set s;
	unsigned int i;
	int ctl;

	ctl = open_control();
	if (ctl < 0 || get_ranks(ctl, d, arg, &s))
		return 1;
	rf->e = calloc(s.nr + s.nc + 1, sizeof(*rf->e));
	if (!rf->e) {
		rank_set_free(&s);
		return fail(arg, ENOMEM);
	}
	for (i = 0; i < s.nr; i++)
		rf->e[rf->n++] = (struct rank_entry){
			.rank = s.r[i].rank, .start = s.r[i].start,
			.nr_sectors = s.r[i].nr_sectors,
		};
	for (i = 0; i < s.nc; i++)
		rf->e[rf->n++] = (struct rank_entry){
			.cgroup = true, .rank = s.c[i].rank,
			.cgroup_id = s.c[i].cgroup_id,
		};
	rf->nr_ranges = s.nr;
	rf->nr_cgroups = s.nc;
	rank_set_free(&s);
	return 0;
}

/*
 * policy advise: the current policy, auto's, and variations of their pools
 * and hint maps, each replayed with the device's ranks on the model of
 * the lower namespace (its RU size, handles and their types) over the
 * trace; the one of the lowest modelled WAF is printed as a policy file,
 * the others in its comments. Nothing is pushed.
 */
static int policy_advise(struct fdpblk_info *d, const char *arg,
			 const struct policy_opts *o,
			 struct policy_handle *tab)
{
	uint8_t ruht[FDPBLK_MAX_PH] = { 0 };
	struct policy_reasons why = { 0 }, scratch;
	struct candidate *c;
	char err[POLICY_ERR_LEN], lower[POLICY_LOWER_LEN], name[48], sz[32];
	struct fdpblk_policy cur, a, v;
	struct rank_file rf = { 0 };
	struct model_cfg cfg = { 0 };
	struct model_geom g;
	struct fdp_info info;
	const char *trace = o->trace;
	uint64_t end, writes, discards, pages = 0;
	unsigned int i, n = 0, best = 0;
	int ret, k;
	FILE *f;

	if (!trace) {
		errorf(0, "advise: --trace FILE is required (record one with fdpctl trace)");
		return 2;
	}
	if (no_passthrough(d, arg))
		return 1;
	ret = read_handles(d, arg, false, tab, &info);
	if (ret)
		return ret;
	ret = get_policy(d, arg, &cur);
	if (ret)
		return ret;
	cfg.ru_size = o->ru_size ? o->ru_size : info.conf.runs;
	cfg.nr_handles = d->lim.max_ph;
	for (i = 0; i < d->lim.max_ph; i++) {
		ruht[i] = tab[i].ruht;
		cfg.persistent[i + 1] = ruht[i] == FDP_RUHT_PERSISTENTLY_ISOLATED;
	}
	cfg.op = o->op;
	cfg.gc = MODEL_GC_GREEDY;
	cfg.capacity = o->capacity;
	f = model_open_trace(&trace);
	if (!f)
		return 1;
	c = calloc(ADVISE_MAX, sizeof(*c));
	if (!c) {
		fclose(f);
		return fail(arg, ENOMEM);
	}
	ret = model_scan(f, trace, &cfg, &end, &writes, &discards);
	if (ret)
		goto out;
	if (!cfg.capacity)
		cfg.capacity = model_capacity_of(end);
	if (model_geom(&cfg, &g, err)) {
		errorf(0, "advise: %s (a larger --op or --capacity helps)", err);
		ret = 1;
		goto out;
	}
	ret = ranks_of(d, arg, &rf);
	if (ret)
		goto out;

	add_candidate(c, &n, &d->lim, "current", &cur);
	scratch.n = 0;
	if (!policy_auto(&d->lim, ruht, -1, &a, &scratch, err)) {
		add_candidate(c, &n, &d->lim, "auto", &a);
		v = cur;
		memcpy(v.hint_map, a.hint_map, sizeof(v.hint_map));
		add_candidate(c, &n, &d->lim, "current, auto's hint map", &v);
		v = cur;
		v.data_pool_len = a.data_pool_len;
		memcpy(v.data_pool, a.data_pool, sizeof(v.data_pool));
		v.meta_pool_len = a.meta_pool_len;
		memcpy(v.meta_pool, a.meta_pool, sizeof(v.meta_pool));
		add_candidate(c, &n, &d->lim, "current, auto's pools", &v);
	}
	/* auto's own metadata count among them is "auto" again: dropped. */
	for (k = 0; k <= 3; k++) {
		scratch.n = 0;
		if (policy_auto(&d->lim, ruht, k, &v, &scratch, err))
			continue;
		snprintf(name, sizeof(name), "auto --meta %d", k);
		add_candidate(c, &n, &d->lim, name, &v);
	}

	for (i = 0; !ret && i < n; i++) {
		struct classify cl;

		if (classify_init(&cl, &c[i].p, d->lim.nr_streams, &rf)) {
			ret = fail(arg, ENOMEM);
			break;
		}
		cl.parent = model_cgroup_parent;
		ret = model_replay(f, trace, &cfg, &cl, false, &c[i].run, &pages);
		classify_free(&cl);
		c[i].waf = model_waf(&c[i].run.r.total);
		/* The first of the lowest: the current policy wins a tie. */
		if (c[i].waf < c[best].waf)
			best = i;
	}
	if (ret)
		goto out;

	snprintf(why.line[why.n++], POLICY_ERR_LEN,
		 "MODELLED write amplification (a model of an FDP SSD, not a measurement): trace %s, %llu writes, %llu discards",
		 trace, (unsigned long long)writes, (unsigned long long)discards);
	snprintf(why.line[why.n++], POLICY_ERR_LEN,
		 "model: %s of capacity, RUs of %s, %u handles, %.2f%% over-provisioning, GC greedy, the device's ranks; see fdpctl model for the assumptions",
		 size_str(cfg.capacity, sz), size_str(cfg.ru_size, name),
		 cfg.nr_handles, cfg.op);
	for (i = 0; i < n; i++) {
		if (c[i].waf < 0)
			snprintf(sz, sizeof(sz), "- (no host writes)");
		else
			snprintf(sz, sizeof(sz), "%.3f", c[i].waf);
		snprintf(why.line[why.n++], POLICY_ERR_LEN,
			 "candidate %-26s modelled WAF %s%s", c[i].name, sz,
			 i == best ? "  <- this file" : "");
	}
	snprintf(why.line[why.n++], POLICY_ERR_LEN, "%s",
		 best ? "the lowest modelled WAF; the current policy's is above" :
		 "no candidate is modelled lower than the current policy: it stays");
	lower_id(d, lower, sizeof(lower));
	c[best].p.dev_id = d->id;
	c[best].p.version = cur.version;
	out->policy_change(d, &cur, &c[best].p, &why, lower, POLICY_ADVICE);
out:
	rankfile_free(&rf);
	free(c);
	fclose(f);
	return ret;
}

/* policy show|set|auto|advise, by argv[0]; the table says which options each takes. */
int cmd_policy(int argc, char **argv)
{
	struct policy_handle tab[FDPBLK_MAX_PH];
	struct policy_opts o = { .meta = -1, .op = 7.0 };
	char lower[POLICY_LOWER_LEN];
	const char *op = argv[0];
	struct fdpblk_policy p;
	struct fdpblk_info d;
	int idx, ret;
	bool set = !strcmp(op, "set");

	idx = parse_opts(argc, argv, policy_opt, &o);
	if (idx < 0)
		return 2;
	if (set ? argc - idx < 2 : argc - idx != 1)
		return usage_error();
	if (set && file_or_entries(argv + idx + 1, argc - idx - 1))
		return 2;
	if (dev_arg(argv[idx], &d))
		return 1;
	if (set)
		return policy_set(&d, argv[idx], argv + idx + 1, argc - idx - 1,
				  &o, tab);
	if (!strcmp(op, "auto"))
		return policy_auto_cmd(&d, argv[idx], &o, tab);
	if (!strcmp(op, "advise"))
		return policy_advise(&d, argv[idx], &o, tab);
	ret = get_policy(&d, argv[idx], &p);
	if (ret)
		return ret;
	read_handles(&d, argv[idx], true, tab, NULL);
	lower_id(&d, lower, sizeof(lower));
	out->policy(&d, &p, lower);
	return 0;
}
