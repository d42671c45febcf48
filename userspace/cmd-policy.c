// SPDX-License-Identifier: GPL-2.0
/*
 * policy show|set|auto: the device's placement policy as a file to edit,
 * checked against the device before it is pushed, or derived from the
 * namespace's reclaim unit handles.
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

#include "cmd.h"
#include "ctl.h"
#include "parse.h"
#include "policy.h"

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

/* policy show|set|auto, by argv[0]; which options each takes is the table's. */
int cmd_policy(int argc, char **argv)
{
	struct policy_handle tab[FDPBLK_MAX_PH];
	struct policy_opts o = { .meta = -1 };
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
	ret = get_policy(&d, argv[idx], &p);
	if (ret)
		return ret;
	read_handles(&d, argv[idx], true, tab, NULL);
	lower_id(&d, lower, sizeof(lower));
	out->policy(&d, &p, lower);
	return 0;
}
