/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Wrappers around the fdpblk control ioctls. They never print: they return
 * 0 or a negative errno and leave the explaining to the caller.
 */
#ifndef FDPCTL_CTL_H
#define FDPCTL_CTL_H

#include <linux/fdpblk.h>

#define FDPBLK_CONTROL_PATH	"/dev/" FDPBLK_CONTROL_NAME

int fdpblk_ctl_open(void);
int fdpblk_get_features(int ctl, struct fdpblk_features *f);

#endif /* FDPCTL_CTL_H */
