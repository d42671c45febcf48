// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk control device: the ioctls of /dev/fdpblk-control.
 */
#include <linux/uaccess.h>
#include <linux/fdpblk.h>

#include "fdpblk.h"

/* Every feature this module implements; keep in sync with the UAPI header. */
#define FDPBLK_FEATURES_ALL	(FDPBLK_F_CONTROL)

static int fdpblk_ctl_get_features(void __user *argp)
{
	struct fdpblk_features f;
	u32 usize;
	int ret;

	if (get_user(usize, (u32 __user *)argp))
		return -EFAULT;
	ret = copy_struct_from_user(&f, sizeof(f), argp, usize);
	if (ret)
		return ret;
	if (f.flags)
		return -EINVAL;

	f.features = FDPBLK_FEATURES_ALL;
	f.abi_version = FDPBLK_ABI_VERSION;
	if (copy_to_user(argp, &f, min_t(size_t, usize, sizeof(f))))
		return -EFAULT;
	return 0;
}

long fdpblk_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case FDPBLK_IOC_GET_FEATURES:
		return fdpblk_ctl_get_features(argp);
	default:
		return -ENOTTY;
	}
}
