// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl wrappers for /dev/fdpblk-control.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "ctl.h"

int fdpblk_ctl_open(void)
{
	int fd = open(FDPBLK_CONTROL_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int fdpblk_get_features(int ctl, struct fdpblk_features *f)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	return ioctl(ctl, FDPBLK_IOC_GET_FEATURES, f) ? -errno : 0;
}
