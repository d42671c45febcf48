/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A device's state as the control ioctls show it (its policy, range and
 * cgroup ranks) and the number of disks: what the fuzzer and the fail-nth
 * sweep compare around a call that must have changed nothing.
 */
#ifndef FDPBLK_CTL_STATE_H
#define FDPBLK_CTL_STATE_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fdpblk.h>

#define CTL_STATE_ROOM	64	/* ranks compared entry by entry */

struct ctl_state {
	struct fdpblk_policy policy;
	unsigned int nr_ranges, nr_cgroups, nr_disks;
	struct fdpblk_range_rank ranges[CTL_STATE_ROOM];
	struct fdpblk_cgroup_rank cgroups[CTL_STATE_ROOM];
};

/*
 * The virtual disks: fdpblk's, and any other (nothing else makes or
 * removes one while a test runs). One stat: a sysfs directory's link
 * count is its subdirectories plus 2, and each virtual disk is one of
 * /sys/devices/virtual/block. (A readdir of /sys/block took about 9 ms
 * in the test VM, after each of the fuzzer's 14000 CREATEs and REMOVEs.)
 */
static inline unsigned int ctl_nr_disks(void)
{
	struct stat st;

	if (stat("/sys/devices/virtual/block", &st))
		return ~0U;
	return st.st_nlink - 2;
}

/* 0 or -errno; the disks are counted only if @disks. */
static inline int ctl_state_read(int ctl, unsigned int dev_id,
				 struct ctl_state *s, bool disks)
{
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_id,
					 .count = CTL_STATE_ROOM };
	struct fdpblk_cgroup_ranks ch = { .size = sizeof(ch), .dev_id = dev_id,
					  .count = CTL_STATE_ROOM };

	memset(s, 0, sizeof(*s));
	s->policy.size = sizeof(s->policy);
	s->policy.dev_id = dev_id;
	rh.ranges = (uintptr_t)s->ranges;
	ch.ranks = (uintptr_t)s->cgroups;
	if (ioctl(ctl, FDPBLK_IOC_GET_POLICY, &s->policy) ||
	    ioctl(ctl, FDPBLK_IOC_LIST_RANGE_RANKS, &rh) ||
	    ioctl(ctl, FDPBLK_IOC_LIST_CGROUP_RANKS, &ch))
		return -errno;
	s->nr_ranges = rh.count;
	s->nr_cgroups = ch.count;
	s->nr_disks = disks ? ctl_nr_disks() : 0;
	return 0;
}

#endif /* FDPBLK_CTL_STATE_H */
