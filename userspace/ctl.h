/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrappers around the fdpblk control ioctls. They never print: they return
 * 0 or a negative errno and leave the explaining to the caller.
 */
#ifndef FDPCTL_CTL_H
#define FDPCTL_CTL_H

#include <stdint.h>
#include <linux/fdpblk.h>

#define FDPBLK_CONTROL_PATH	"/dev/" FDPBLK_CONTROL_NAME

int fdpblk_ctl_open(void);
int fdpblk_get_features(int ctl, struct fdpblk_features *f);
/* @name: NULL or "" for the default (fdpblkN). */
int fdpblk_create(int ctl, const char *lower, const char *name,
		  unsigned int nr_streams, uint32_t flags, unsigned int *dev_id);
int fdpblk_remove(int ctl, unsigned int dev_id);
int fdpblk_revalidate(int ctl, unsigned int dev_id);
int fdpblk_get_policy(int ctl, unsigned int dev_id, struct fdpblk_policy *p);
int fdpblk_set_policy(int ctl, struct fdpblk_policy *p);
int fdpblk_range_ranks(int ctl, unsigned long cmd, unsigned int dev_id,
		       uint32_t flags, struct fdpblk_range_rank *r,
		       unsigned int *count);
int fdpblk_cgroup_ranks(int ctl, unsigned long cmd, unsigned int dev_id,
			uint32_t flags, struct fdpblk_cgroup_rank *r,
			unsigned int *count);

#endif /* FDPCTL_CTL_H */
