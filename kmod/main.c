// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk: a stacked block device that places writes on NVMe Flexible Data
 * Placement handles by policy.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fdpblk.h>

#include "fdpblk.h"

static const struct file_operations fdpblk_ctl_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= fdpblk_ctl_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice fdpblk_misc = {
	.minor		= MISC_DYNAMIC_MINOR,
	.name		= FDPBLK_CONTROL_NAME,
	.fops		= &fdpblk_ctl_fops,
	.mode		= 0600,
};

static int __init fdpblk_init(void)
{
	return misc_register(&fdpblk_misc);
}

static void __exit fdpblk_exit(void)
{
	misc_deregister(&fdpblk_misc);
}

module_init(fdpblk_init);
module_exit(fdpblk_exit);

MODULE_DESCRIPTION("Stacked block device placing writes on NVMe FDP handles");
MODULE_LICENSE("GPL");
