// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl's errors: one line on stderr, "fdpctl: <what>: <why>", naming the
 * cause in words where an errno alone would not; each returns the exit
 * status (1 for a failure, 2 for a usage error). Under -o json the first
 * of them is also a document on stdout when the command fails.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

/* The first error, the cause, for a back end that reports it at exit. */
static char first_msg[512];
static int first_err;

void errorf(int err, const char *fmt, ...)
{
	char msg[sizeof(first_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "fdpctl: %s\n", msg);
	if (!first_msg[0]) {
		memcpy(first_msg, msg, sizeof(msg));
		first_err = err;
	}
}

void report_error(void)
{
	if (first_msg[0] && out->error)
		out->error(first_msg, first_err);
}

int fail(const char *what, int err)
{
	errorf(err, "%s: %s", what, strerror(err));
	return 1;
}

int explain_errno(const char *what, int err, const struct err_msg *msgs)
{
	for (; msgs->err; msgs++) {
		if (msgs->err == err) {
			errorf(err, "%s: %s", what, msgs->msg);
			return 1;
		}
	}
	return 0;
}

int usage_error(void)
{
	errorf(0, "%s: wrong arguments (usage: fdpctl %s%s%s)",
		cur_cmd->name, cur_cmd->name, *cur_cmd->usage ? " " : "",
		cur_cmd->usage);
	return 2;
}

/* One line for an ioctl's error on device @dev. */
int explain_ioctl(const char *dev, const char *what, int err)
{
	switch (err) {
	case ENODEV:
		errorf(err, "%s: no such fdpblk device", dev);
		return 1;
	case EPERM:
	case EACCES:
		errorf(err, "%s: %s: permission denied (needs CAP_SYS_ADMIN)",
			dev, what);
		return 1;
	}
	errorf(err, "%s: %s: %s", dev, what, strerror(err));
	return 1;
}

/* One line naming the cause of a failed NVMe passthrough step. */
int explain_nvme(const char *what, int ret)
{
	static const struct err_msg msgs[] = {
		{ ENOENT, "no such device" },
		{ ENOTBLK, "not an NVMe namespace" },
		{ EPROTO, "the device returned a malformed FDP log" },
		/*
		 * EINVAL is the kernel refusing this one command (a transfer
		 * past max_hw_sectors_kb, a field it checks), not the absence
		 * of passthrough, which is EOPNOTSUPP or ENOSYS.
		 */
		{ EINVAL, "the kernel refused the command (a transfer larger than the device allows, or an invalid field)" },
		{ EMSGSIZE, "the log is larger than one transfer (MDTS) and the controller takes no log page offset" },
		{ EDOM, "FDPCTL_MAX_XFER: must be a multiple of 4, at least 64 (bytes)" },
		{ E2BIG, "too many handles or event types for one command" },
		{ 0 },
	};
	int probe;

	if (ret > 0) {
		if ((ret & NVME_SC_MASK) == NVME_SC_FDP_DISABLED)
			errorf(0, "%s: the namespace has no FDP (FDP is disabled)",
				what);
		else
			errorf(0, "%s: the device failed the command (NVMe status 0x%x)",
				what, ret);
		return 1;
	}
	if (explain_errno(what, -ret, msgs))
		return 1;
	switch (-ret) {
	case EACCES:
	case EPERM:
	case EOPNOTSUPP:
	case ENOSYS:
		probe = fdp_uring_probe();
		if (probe == -EPERM)
			errorf(-ret, "%s: io_uring is disabled (sysctl kernel.io_uring_disabled)",
				what);
		else if (probe)
			errorf(-ret, "%s: this kernel has no io_uring with big SQEs and CQEs (%s)",
				what, strerror(-probe));
		else if (ret == -EACCES || ret == -EPERM)
			errorf(-ret, "%s: permission denied (NVMe passthrough needs root)",
				what);
		else
			errorf(-ret, "%s: this kernel has no io_uring NVMe passthrough (%s)",
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
