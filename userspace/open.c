// SPDX-License-Identifier: GPL-2.0
/*
 * What a command's arguments name, opened once in one way each: the
 * control device, an fdpblk device, a namespace. Failures are explained
 * here, so that every command says the same thing about the same cause.
 */
#include <errno.h>
#include <stdio.h>

#include "cmd.h"
#include "ctl.h"

/*
 * The control device, opened on first use and kept open until fdpctl
 * exits, so that a command making several calls opens it once: its
 * descriptor, or -1 after saying why it cannot be opened.
 */
int open_control(void)
{
	static const struct err_msg msgs[] = {
		{ ENOENT, "not found: is fdpblk.ko loaded?" },
		{ EACCES, "permission denied (needs root)" },
		{ EPERM, "permission denied (needs root)" },
		{ 0 },
	};
	static int ctl = -1;
	int fd;

	if (ctl >= 0)
		return ctl;
	fd = fdpblk_ctl_open();
	if (fd >= 0)
		return ctl = fd;
	if (!explain_errno(FDPBLK_CONTROL_PATH, -fd, msgs))
		fail(FDPBLK_CONTROL_PATH, -fd);
	return -1;
}

int dev_arg(const char *arg, struct fdpblk_info *d)
{
	int id = fdpblk_resolve(arg), ret;

	if (id == -EINVAL) {
		errorf(0, "%s: not an fdpblk device (/dev/fdpblkN or a device name)",
			arg);
		return 1;
	}
	ret = id < 0 ? id : fdpblk_info(id, d);
	if (ret == -ENODEV) {
		errorf(0, "%s: no such fdpblk device", arg);
		return 1;
	}
	return ret ? fail(arg, -ret) : 0;
}

int open_ns(const char *arg, unsigned int flags, struct fdp_ns *ns,
	    struct fdp_info *info, struct ns_ctx *c)
{
	bool quiet = flags & NS_QUIET;
	struct ns_queue_info q;
	const char *path = arg;
	struct fdpblk_info d;
	int ret;

	if ((flags & NS_DEVICE) && fdpblk_resolve(arg) >= 0) {
		if (dev_arg(arg, &d))
			return 1;
		path = d.lower;
	}
	/* Named as the step that failed names it: the lower, then @arg. */
	ret = fdp_ns_open(path, ns);
	if (ret)
		return quiet ? ret : explain_nvme(path, ret);
	ret = fdp_info(ns, info);
	if (ret)
		return quiet ? ret : explain_nvme(arg, ret);
	if (!(flags & NS_FDP))
		return 0;
	if (quiet && !info->enabled)
		return -EOPNOTSUPP;
	if (!info->supported) {
		errorf(0, "%s: the namespace has no FDP (its controller does not support it)",
			arg);
		return 1;
	}
	if (!info->enabled) {
		errorf(0, "%s: the namespace has no FDP (not enabled in endurance group %u)",
			arg, info->endgid);
		return 1;
	}
	if (c) {
		c->ns = ns;
		c->info = info;
		c->max_write_streams = ns_queue_info(ns->name, &q) ? 0 :
				       q.max_write_streams;
	}
	return 0;
}
