/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk devices and NVMe namespaces as sysfs shows them. Nothing here
 * prints: functions return 0 or a negative errno.
 */
#ifndef FDPCTL_DEV_H
#define FDPCTL_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"

#define DEV_NAME_LEN	32

/* An fdpblk device, from /sys/block/fdpblkN/fdpblk/. */
struct fdpblk_info {
	unsigned int id;		/* N of fdpblkN */
	char name[DEV_NAME_LEN];	/* fdpblkN */
	char dev_name[DEV_NAME_LEN];	/* its name (fdpblk/name), unique */
	char lower[DEV_NAME_LEN];	/* the namespace it stacks on: nvmeXnY */
	struct policy_limits lim;	/* its handles and streams */
	bool passthrough;
	uint64_t policy_version;
	unsigned int nr_range_ranks;
	unsigned int nr_cgroup_ranks;
};

/* A namespace's block-layer view, from /sys/block/nvmeXnY/. */
struct ns_queue_info {
	unsigned int max_write_streams;
	unsigned int lbsize;			/* logical block size, bytes */
	uint64_t bytes;				/* capacity */
	char holder[DEV_NAME_LEN];		/* an fdpblk device on it, or "" */
};

/* Read a whole sysfs attribute, trailing newline removed. */
int sysfs_read(const char *path, char *buf, size_t len);
/* Write @val to the sysfs or cgroup file @path: 0 or -errno. */
int sysfs_write(const char *path, const char *val);

int fdpblk_info(unsigned int id, struct fdpblk_info *d);
/*
 * N of a disk name "fdpblkN", written as the kernel writes it (fdpblk1,
 * not fdpblk01 or "fdpblk 1"), or -1 for any other name.
 */
int fdpblk_disk_id(const char *name);
/*
 * Whether the module takes @name as a device's name (struct
 * fdpblk_create): A-Z a-z 0-9 . _ -, not fdpblk<digits>.
 */
bool fdpblk_valid_name(const char *name);
/*
 * The id of the fdpblk device an argument names: fdpblkN, a path that
 * resolves (realpath) to /dev/fdpblkN (the node, a udev link), or a
 * device's name. -ENODEV if it names none, -EINVAL if it cannot name one.
 */
int fdpblk_resolve(const char *arg);
/*
 * Whether @arg names a partition of an fdpblk device (/dev/fdpblkNpM or a
 * link to one): 0 with the device's id and the partition's first sector
 * and length (512-byte sectors), -EINVAL if it names no such partition.
 */
int fdpblk_partition(const char *arg, unsigned int *id, uint64_t *start,
		     uint64_t *sectors);
/* Every fdpblk device, by id; *out is malloc'ed, caller frees. */
int fdpblk_list(struct fdpblk_info **out, unsigned int *nr);
/*
 * Up to @max numbers of a per-handle or per-source statistics attribute of
 * fdpblkN (ph_bytes, ph_writes, source_bytes, ...); *nr gets how many.
 */
int fdpblk_stat(unsigned int id, const char *attr, uint64_t *v,
		unsigned int max, unsigned int *nr);

/* NVMe namespaces with a block device (nvmeXnY), sorted; caller frees. */
int ns_list(char (**out)[DEV_NAME_LEN], unsigned int *nr);
int ns_queue_info(const char *name, struct ns_queue_info *q);

#endif /* FDPCTL_DEV_H */
