// SPDX-License-Identifier: GPL-2.0
/*
 * A module sparse must complain about (check.sh): a __user pointer used as
 * a kernel one. Proves that the sparse check can fail, with the shim
 * Debian's sparse 0.6.4 needs for Linux 7.3 in place.
 */
#include <linux/module.h>

static int __user *fdpblk_canary_p;

static int __init fdpblk_canary_init(void)
{
	int *q = fdpblk_canary_p;

	return q ? 0 : -ENODEV;
}
module_init(fdpblk_canary_init);

MODULE_DESCRIPTION("sparse canary of the fdpblk test bed");
MODULE_LICENSE("GPL");
