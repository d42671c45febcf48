/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fdpblk: a stacked block device that turns each write's lifetime
 * information into an NVMe Flexible Data Placement handle.
 *
 * The control device /dev/fdpblk-control takes the ioctls below. Every
 * argument struct starts with @size (set by the caller to sizeof the struct
 * it was built with) and @flags; the kernel zero-extends a shorter struct
 * from an older caller and rejects a longer one whose extra bytes are not
 * zero (-E2BIG). Unknown flags and non-zero reserved fields give -EINVAL,
 * unknown commands -ENOTTY.
 */
#ifndef _UAPI_LINUX_FDPBLK_H
#define _UAPI_LINUX_FDPBLK_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define FDPBLK_CONTROL_NAME	"fdpblk-control"
#define FDPBLK_IOCTL_MAGIC	0xFB

/*
 * Feature bits reported by FDPBLK_IOC_GET_FEATURES. Every feature the
 * running module implements is listed; userspace tests a bit before it
 * relies on the behaviour.
 */
/* The control device and GET_FEATURES exist (always set). */
#define FDPBLK_F_CONTROL		(1ULL << 0)

/**
 * struct fdpblk_features - what the loaded module supports
 * @size: in: size of this struct as the caller knows it, in bytes
 * @flags: in: must be 0
 * @features: out: FDPBLK_F_* bits
 * @abi_version: out: FDPBLK_ABI_VERSION of the module
 * @reserved: out: zero
 */
struct fdpblk_features {
	__u32 size;
	__u32 flags;
	__u64 features;
	__u32 abi_version;
	__u32 reserved;
};

#define FDPBLK_ABI_VERSION	1

#define FDPBLK_IOC_GET_FEATURES	_IOWR(FDPBLK_IOCTL_MAGIC, 0x00, struct fdpblk_features)

#endif /* _UAPI_LINUX_FDPBLK_H */
