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
	switch (-ret) {
	case ENOENT:
		fprintf(stderr, "fdpctl: %s: no such device\n", what);
		return 1;
	case ENOTBLK:
		fprintf(stderr, "fdpctl: %s: not an NVMe namespace\n", what);
		return 1;
	case EPROTO:
		fprintf(stderr, "fdpctl: %s: the device returned a malformed FDP log\n",
			what);
		return 1;
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
	switch (err) {
	case ENOSPC:
		fprintf(stderr, "fdpctl: %s: too many ranks for the device\n", dev);
		return 1;
	case ENOENT:
		fprintf(stderr, "fdpctl: %s: no such cgroup, or no rank to clear\n", dev);
		return 1;
	case EINVAL:
		fprintf(stderr, "fdpctl: %s: the module refused the range or rank\n",
			dev);
		return 1;
	}
	return explain_ioctl(dev, "ranks", err);
}
