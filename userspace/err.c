// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl's errors: one line on stderr, "fdpctl: <what>: <why>", naming the
 * cause in words where an errno alone would not; each returns the exit
 * status (1 for a failure, 2 for a usage error).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

int fail(const char *what, int err)
{
	fprintf(stderr, "fdpctl: %s: %s\n", what, strerror(err));
	return 1;
}

int explain_errno(const char *what, int err, const struct err_msg *msgs)
{
	for (; msgs->err; msgs++) {
		if (msgs->err == err) {
			fprintf(stderr, "fdpctl: %s: %s\n", what, msgs->msg);
			return 1;
		}
	}
	return 0;
}

int usage_error(void)
{
	fprintf(stderr, "fdpctl: %s: wrong arguments (usage: fdpctl %s%s%s)\n",
		cur_cmd->name, cur_cmd->name, *cur_cmd->usage ? " " : "",
		cur_cmd->usage);
	return 2;
}

/* One line for an ioctl's error on device @dev. */
int explain_ioctl(const char *dev, const char *what, int err)
{
	switch (err) {
	case ENODEV:
		fprintf(stderr, "fdpctl: %s: no such fdpblk device\n", dev);
		return 1;
	case EPERM:
	case EACCES:
		fprintf(stderr, "fdpctl: %s: %s: permission denied (needs CAP_SYS_ADMIN)\n",
			dev, what);
		return 1;
	}
	fprintf(stderr, "fdpctl: %s: %s: %s\n", dev, what, strerror(err));
	return 1;
}

/* One line naming the cause of a failed NVMe passthrough step. */
int explain_nvme(const char *what, int ret)
{
	static const struct err_msg msgs[] = {
		{ ENOENT, "no such device" },
		{ ENOTBLK, "not an NVMe namespace" },
		{ EPROTO, "the device returned a malformed FDP log" },
		{ 0 },
	};
	int probe;

	if (ret > 0) {
		if ((ret & NVME_SC_MASK) == NVME_SC_FDP_DISABLED)
			fprintf(stderr, "fdpctl: %s: the namespace has no FDP (FDP is disabled)\n",
				what);
		else
			fprintf(stderr, "fdpctl: %s: the device failed the command (NVMe status 0x%x)\n",
				what, ret);
		return 1;
	}
	if (explain_errno(what, -ret, msgs))
		return 1;
	switch (-ret) {
	case EACCES:
	case EPERM:
	case EINVAL:
	case EOPNOTSUPP:
	case ENOSYS:
		probe = fdp_uring_probe();
		if (probe == -EPERM)
			fprintf(stderr, "fdpctl: %s: io_uring is disabled (sysctl kernel.io_uring_disabled)\n",
				what);
		else if (probe)
			fprintf(stderr, "fdpctl: %s: this kernel has no io_uring with big SQEs and CQEs (%s)\n",
				what, strerror(-probe));
		else if (ret == -EACCES || ret == -EPERM)
			fprintf(stderr, "fdpctl: %s: permission denied (NVMe passthrough needs root)\n",
				what);
		else
			fprintf(stderr, "fdpctl: %s: this kernel has no io_uring NVMe passthrough (%s)\n",
				what, strerror(-ret));
		return 1;
	}
	return fail(what, -ret);
}

int explain_rank(const char *dev, int err)
{
	static const struct err_msg msgs[] = {
		{ ENOSPC, "too many ranks for the device" },
		{ ENOENT, "no such cgroup, or no rank to clear" },
		{ EINVAL, "the module refused the range or rank" },
		{ 0 },
	};

	if (explain_errno(dev, err, msgs))
		return 1;
	return explain_ioctl(dev, "ranks", err);
}
