/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk private definitions shared by the module's source files.
 */
#ifndef FDPBLK_H
#define FDPBLK_H

#include <linux/fs.h>

long fdpblk_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

#endif /* FDPBLK_H */
