/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Configuration files: /etc/fdpblk/NAME.conf, one per device, what
 * fdpctl apply makes true and fdpctl save writes. Nothing here prints or
 * touches a device: errors come back as text, "FILE:LINE: why", so that
 * host-side unit tests can run the parser.
 *
 * The format (see fdpctl(8), CONFIGURATION): the policy file's
 * "key = value" lines, '#' starts a comment, in three parts.
 *
 *	lower = IDENTITY	the namespace: its wwid (eui., uuid., nvme.,
 *				as /sys/block/nvmeXnY/wwid shows it) or a
 *				/dev/disk/by-id/ link; never nvmeXnY
 *	streams = V		1..255 (default 8)
 *	passthrough = yes|no	(default no)
 *	[policy]
 *	KEY = VALUE		a policy file's entries (policy.h), and
 *				placement_ids; keys not given take the
 *				defaults a new device gets
 *	[ranks]
 *	range START LEN RANK	a rank file's lines (rankfile.h); cgroups
 *	cgroup PATH RANK	by path only (ids do not survive a reboot)
 *
 * The device's name is the file's, NAME of NAME.conf.
 */
#ifndef FDPCTL_CONF_H
#define FDPCTL_CONF_H

#include <stdbool.h>
#include <stdio.h>
#include <linux/fdpblk.h>

#include "policy.h"
#include "rankfile.h"

#define CONF_DIR		"/etc/fdpblk"
#define CONF_DIR_ENV		"FDPBLK_CONFIG_DIR"
#define CONF_SUFFIX		".conf"
#define CONF_ERR_LEN		640

struct fdpblk_conf {
	char name[FDPBLK_NAME_LEN];	/* the device's: the file's NAME */
	char lower[POLICY_LOWER_LEN];	/* the namespace's identity */
	unsigned int streams;		/* 1..255; 0: not given (default) */
	bool passthrough;
	/*
	 * The [policy] section as a policy file: the whole file with every
	 * other line blanked, so that the policy parser's line numbers are
	 * the file's. NULL without a [policy] section.
	 */
	char *policy;
	struct rank_file ranks;		/* [ranks]; empty without one */
};

/* The directory of the configurations: @opt, else $FDPBLK_CONFIG_DIR, else CONF_DIR. */
const char *conf_dir(const char *opt);

/*
 * NAME of a file .../NAME.conf, the device's name: 0, or -1 with why in
 * @err (no .conf suffix, or not a device name fdpctl create takes).
 */
int conf_name(const char *path, char *name, char *err);

/*
 * Whether @id can be a configuration's lower: a wwid, or a link under
 * /dev/disk/by-id/. A kernel name (nvme0n1, /dev/nvme0n1, nvme0c0n1),
 * which changes between boots, is refused. 0, or -1 with why in @err.
 */
int conf_check_lower(const char *id, char *err);

/*
 * Whether identity @id names the namespace @ns (nvmeXnY) whose wwid is
 * @wwid (NULL if unknown): the same wwid; or a by-id link that resolves
 * to /dev/@ns, or is named nvme-WWID (before udev made it).
 */
bool conf_lower_is(const char *id, const char *ns, const char *wwid);

/*
 * Read the configuration at @path (from @f; its NAME is the device's)
 * into @c. On error returns -1 with "PATH:LINE: why" in @err and @c
 * empty. The [policy] entries are checked against a device by
 * conf_policy() only: they need its handles.
 */
int conf_parse(FILE *f, const char *path, struct fdpblk_conf *c, char *err);

/*
 * The policy @c asks for on a device with limits @lim: the defaults a new
 * device gets, then the [policy] entries. 0, or -1 with "PATH:LINE: why"
 * in @err (also when placement_ids is not @lim's).
 */
int conf_policy(const struct fdpblk_conf *c, const char *path,
		const struct policy_limits *lim, struct fdpblk_policy *p,
		char *err);

void conf_free(struct fdpblk_conf *c);

/* The streams @c asks for: its streams, or the default. */
unsigned int conf_streams(const struct fdpblk_conf *c);

/*
 * The device part of a configuration, as conf_parse() reads it: lower,
 * streams (unless @passthrough), passthrough.
 */
void conf_write_device(FILE *f, const char *lower, unsigned int streams,
		       bool passthrough);

#endif /* FDPCTL_CONF_H */
