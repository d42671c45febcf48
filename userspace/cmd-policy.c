// SPDX-License-Identifier: GPL-2.0
/*
 * policy show|set|auto: the device's placement policy as a file to edit,
 * checked against the device before it is pushed, or derived from the
 * namespace's reclaim unit handles.
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
		errorf(0, "%s: the policy changed meanwhile (it is no longer version %" PRIu64 "): nothing pushed, try again",
			arg, (uint64_t)old->version);
		return 1;
	}
	if (ret == -EINVAL) {
		errorf(0, "%s: the module refused the policy (does the device still have %u handles?)",
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
		errorf(0, "--meta %s: must be a number of handles", arg);
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
		errorf(0, "%s: a pass-through device places nothing: it takes no policy",
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
		errorf(0, "%s", err);
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
		errorf(0, "%s: a pass-through device places nothing: it takes no policy",
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
		errorf(0, "%s: %s reports %u handles, the device uses %u",
			arg, d->lower, n, d->lim.max_ph);
		return 1;
	}
	for (i = 0; i < d->lim.max_ph; i++) {
		if (rs[i].ruhid < info.conf.nruh)
			ruht[i] = fdp_ruht(&info.conf, rs[i].ruhid);
		persist += ruht[i] == FDP_RUHT_PERSISTENTLY_ISOLATED;
	}
	free(rs);
	snprintf(why.line[why.n++], POLICY_ERR_LEN,
		 "RUH status of %s: %u handles, %u persistently isolated, %s reclaim units",
		 d->lower, d->lim.max_ph, persist, size_str(info.conf.runs, sz));
	if (policy_auto(&d->lim, ruht, o->meta, &new, &why, err)) {
		errorf(0, "%s: %s", arg, err);
		return 1;
	}
	ret = get_policy(d, arg, &old);
	return ret ? ret : push_policy(d, arg, &old, &new, &why, o->dry_run);
}

/* policy show|set|auto, by argv[0]; which options each takes is the table's. */
int cmd_policy(int argc, char **argv)
{
	struct policy_opts o = { .meta = -1 };
	const char *op = argv[0];
	struct fdpblk_policy p;
	struct fdpblk_info d;
	int idx, ret, nargs;

	nargs = !strcmp(op, "set") ? 2 : 1;
	idx = parse_args(argc, argv, nargs, policy_opt, &o);
	if (idx < 0)
		return 2;
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
