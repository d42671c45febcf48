// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl wrappers for /dev/fdpblk-control.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

int fdpblk_create(int ctl, const char *lower, const char *name,
		  unsigned int nr_streams, uint32_t flags, unsigned int *dev_id)
{
	struct fdpblk_create c = {
		.size = sizeof(c),
		.flags = flags,
		.nr_streams = nr_streams,
	};
	int ret = 0;

	if (name && strlen(name) >= sizeof(c.name))
		return -ENAMETOOLONG;
	if (name)
		strcpy(c.name, name);
	/* The module opens the device this descriptor is open on. */
	c.lower_fd = open(lower, O_RDWR | O_CLOEXEC);
	if (c.lower_fd < 0)
		return -errno;
	if (ioctl(ctl, FDPBLK_IOC_CREATE, &c))
		ret = -errno;
	close(c.lower_fd);
	if (!ret)
		*dev_id = c.dev_id;
	return ret;
}

int fdpblk_remove(int ctl, unsigned int dev_id)
{
	struct fdpblk_remove r = { .size = sizeof(r), .dev_id = dev_id };

	return ioctl(ctl, FDPBLK_IOC_REMOVE, &r) ? -errno : 0;
}

int fdpblk_revalidate(int ctl, unsigned int dev_id)
{
	struct fdpblk_revalidate r = { .size = sizeof(r), .dev_id = dev_id };

	return ioctl(ctl, FDPBLK_IOC_REVALIDATE, &r) ? -errno : 0;
}

int fdpblk_get_policy(int ctl, unsigned int dev_id, struct fdpblk_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->dev_id = dev_id;
	return ioctl(ctl, FDPBLK_IOC_GET_POLICY, p) ? -errno : 0;
}

int fdpblk_set_policy(int ctl, struct fdpblk_policy *p)
{
	p->size = sizeof(*p);
	return ioctl(ctl, FDPBLK_IOC_SET_POLICY, p) ? -errno : 0;
}

static int fdpblk_ranks(int ctl, unsigned long cmd, unsigned int dev_id,
			uint32_t flags, void *array, unsigned int *count)
{
	/* Both rank structs share this layout (pinned by the kernel). */
	struct fdpblk_range_ranks h = {
		.size = sizeof(h),
		.flags = flags,
		.dev_id = dev_id,
		.count = *count,
		.ranges = (uintptr_t)array,
	};

	if (ioctl(ctl, cmd, &h))
		return -errno;
	*count = h.count;
	return 0;
}

int fdpblk_range_ranks(int ctl, unsigned long cmd, unsigned int dev_id,
		       uint32_t flags, struct fdpblk_range_rank *r,
		       unsigned int *count)
{
	return fdpblk_ranks(ctl, cmd, dev_id, flags, r, count);
}

int fdpblk_cgroup_ranks(int ctl, unsigned long cmd, unsigned int dev_id,
			uint32_t flags, struct fdpblk_cgroup_rank *r,
			unsigned int *count)
{
	return fdpblk_ranks(ctl, cmd, dev_id, flags, r, count);
}
