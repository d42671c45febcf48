/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fdpblk: a stacked block device that turns each write's lifetime
 * information into an NVMe Flexible Data Placement handle.
 *
 * Vocabulary: a *ph* (placement handle) is a write stream number of the
 * lower NVMe namespace, 1..N where N is its queue/max_write_streams; ph k is
 * the k-th reclaim unit handle status descriptor's placement ID, and ph 0
 * means no directive. A *stream* is a write stream of the fdpblk device
 * itself (1..V, virtual). A *pool* is an ordered list of ph. A *rank* is an
 * application number; rank r selects data_pool[r % len].
 *
 * Per write, the first rule that applies wins: REQ_META (or the page cache
 * of the device while a file system holds it) and a non-empty metadata pool
 * -> meta_pool[hash(sector / meta chunk) % len]; a write stream s ->
 * stream_map[s]; an LBA-range rank; a cgroup rank; a write hint h ->
 * hint_map[h]; default_ph. Only writes with data are placed.
 *
 * The control device /dev/fdpblk-control takes the ioctls below. The ABI
 * is frozen at version 2 and only grows:
 *
 * - A command number is _IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_*): it carries
 *   no size, so that callers built against an older or newer header reach
 *   the same command (as iommufd's do). The magic 0xFB is free in the
 *   kernel's Documentation/userspace-api/ioctl/ioctl-number.rst (7.3).
 * - Every argument struct starts with @size, set by the caller to the
 *   size of the struct it was built with, and @flags. A struct shorter
 *   than the command's FDPBLK_*_SIZE_MIN gives -EINVAL. The kernel
 *   zero-extends a shorter struct (fields it lacks read as 0, and outputs
 *   beyond @size are not written) and accepts a longer one whose extra
 *   bytes are all zero; non-zero extra bytes, or a @size above 4096, give
 *   -E2BIG, as copy_struct_from_user() does for openat2() and clone3().
 * - A command that changes something and answers in its struct (CREATE's
 *   @dev_id, SET_POLICY's @version) fails with -EFAULT and changes nothing
 *   when the answer cannot be written back: the caller learns every change.
 * - New fields are added only at the end of a struct, with 0 meaning the
 *   old behaviour; new behaviour is asked for by new flags, and the
 *   FDPBLK_F_* bits of GET_FEATURES say what the module has.
 *
 * Unknown flags and non-zero reserved fields give -EINVAL, unknown commands
 * -ENOTTY. Every command except GET_FEATURES, GET_POLICY and the LIST
 * commands needs CAP_SYS_ADMIN.
 */
#ifndef _UAPI_LINUX_FDPBLK_H
#define _UAPI_LINUX_FDPBLK_H

#include <linux/const.h>
#include <linux/types.h>
#include <linux/ioctl.h>

#define FDPBLK_CONTROL_NAME	"fdpblk-control"
#define FDPBLK_IOCTL_MAGIC	0xFB
#define FDPBLK_ABI_VERSION	2

/* Limits. */
#define FDPBLK_MAX_STREAMS	255	/* virtual streams per device */
#define FDPBLK_DEFAULT_STREAMS	8
#define FDPBLK_MAX_PH		255	/* bio->bi_write_stream is a u8 */
#define FDPBLK_NR_HINTS		6	/* RWH_WRITE_LIFE_NOT_SET..EXTREME */
#define FDPBLK_HINT_MAP_LEN	8	/* hint_map entries, 6..7 reserved */
#define FDPBLK_POOL_MAX		256	/* entries per pool */
/* Cgroup ranks per device, by default (module parameter max_cgroup_ranks). */
#define FDPBLK_MAX_CGROUP_RANKS	4096
#define FDPBLK_NAME_LEN		32	/* a device's name, with its NUL */

/*
 * stream_map value for streams 1..5: place the stream as the write hint of
 * the same number (block/fops.c turns an O_DIRECT write's hint h into
 * stream h, so a hint lands on the same ph however it arrives). The default
 * for streams 1..5.
 */
#define FDPBLK_PH_FOLLOW_HINT	0xffff

/*
 * Feature bits reported by FDPBLK_IOC_GET_FEATURES. Every feature the
 * running module implements is listed.
 */
#define FDPBLK_F_CONTROL	_BITULL(0)	/* control device, GET_FEATURES */
#define FDPBLK_F_CREATE		_BITULL(1)	/* CREATE, REMOVE */
#define FDPBLK_F_POLICY		_BITULL(2)	/* GET_POLICY, SET_POLICY */
#define FDPBLK_F_RANGE_RANKS	_BITULL(3)	/* SET/CLEAR/LIST_RANGE_RANKS */
#define FDPBLK_F_CGROUP_RANKS	_BITULL(4)	/* SET/CLEAR/LIST_CGROUP_RANKS */
#define FDPBLK_F_REVALIDATE	_BITULL(5)	/* REVALIDATE */

/**
 * struct fdpblk_features - what the loaded module supports
 * @size: in: size of this struct as the caller knows it, in bytes
 * @flags: in: must be 0
 * @features: out: FDPBLK_F_* bits
 * @abi_version: out: FDPBLK_ABI_VERSION of the module
 * @max_streams: out: most virtual streams a device can advertise
 * @max_range_ranks: out: most LBA-range ranks per device (module parameter)
 * @max_cgroup_ranks: out: most cgroup ranks per device (module parameter)
 */
struct fdpblk_features {
	__u32 size;
	__u32 flags;
	__u64 features;
	__u32 abi_version;
	__u32 max_streams;
	__u32 max_range_ranks;
	__u32 max_cgroup_ranks;
};

/* CREATE: refuse nothing for lack of FDP; place no write (ph 0 always). */
#define FDPBLK_CREATE_F_PASSTHROUGH	_BITUL(0)

/**
 * struct fdpblk_create - create /dev/fdpblkN on a lower NVMe namespace
 * @size: in: size of this struct, in bytes
 * @flags: in: FDPBLK_CREATE_F_*
 * @lower_fd: in: a file descriptor of the lower block device, open for
 *	reading and writing; the module opens the same device exclusively
 *	and the caller may close it afterwards
 * @nr_streams: in: virtual streams to advertise, 1..FDPBLK_MAX_STREAMS, or
 *	0 for FDPBLK_DEFAULT_STREAMS
 * @dev_id: out: N of the new /dev/fdpblkN
 * @reserved: must be 0
 * @name: in: the device's name, unique among fdpblk devices and shown in
 *	its sysfs fdpblk/name: 1 to FDPBLK_NAME_LEN - 1 characters of
 *	[A-Za-z0-9._-], starting with a letter or digit, NUL-padded; or empty
 *	(or left out: a struct of FDPBLK_CREATE_SIZE_MIN bytes) for the
 *	default "fdpblkN". Names of the form "fdpblk<digits>" are kept for
 *	the defaults. A name that is taken gives -EEXIST.
 *
 * The lower is taken by file descriptor, as loop takes its backing file:
 * the caller can check the namespace's identity on the very descriptor it
 * passes, with no window in which a path can come to name another device,
 * and a caller in a container needs no path of the host.
 */
struct fdpblk_create {
	__u32 size;
	__u32 flags;
	__s32 lower_fd;
	__u32 nr_streams;
	__u32 dev_id;
	__u32 reserved;
	char name[FDPBLK_NAME_LEN];
};

/**
 * struct fdpblk_remove - remove /dev/fdpblkN (-EBUSY while it is open)
 * @size: in: size of this struct, in bytes
 * @flags: in: must be 0
 * @dev_id: in: N of /dev/fdpblkN
 * @reserved: must be 0
 */
struct fdpblk_remove {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 reserved;
};

/**
 * struct fdpblk_revalidate - take the lower's capacity and limits again
 * @size: in: size of this struct, in bytes
 * @flags: in: must be 0
 * @dev_id: in: N of /dev/fdpblkN
 * @reserved: must be 0
 *
 * After the lower namespace changed (resized, formatted to another LBA
 * size, lost its poll queues): the device takes the lower's limits again
 * under a frozen queue, and its capacity (with a change uevent). The
 * handles stay those of creation. -ENODEV once the lower is gone.
 */
struct fdpblk_revalidate {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 reserved;
};

/* SET_POLICY: fail with -ESTALE unless the current version is @version. */
#define FDPBLK_POLICY_F_IF_VERSION	_BITUL(0)

/**
 * struct fdpblk_policy - a device's placement policy table
 * @size: in: size of this struct, in bytes
 * @flags: in: FDPBLK_POLICY_F_* (SET_POLICY), 0 (GET_POLICY)
 * @dev_id: in: N of /dev/fdpblkN
 * @meta_chunk_kib: metadata chunk size in KiB, a power of two from 4 to
 *	1048576: metadata writes in one chunk go to the same meta_pool entry
 * @version: out: the policy's version, bumped by every change; in
 *	(SET_POLICY with FDPBLK_POLICY_F_IF_VERSION): the expected version
 * @default_ph: ph of writes no other rule places
 * @reserved: must be 0
 * @data_pool_len: entries used in @data_pool (0: ranks place nothing)
 * @meta_pool_len: entries used in @meta_pool (0: metadata is not special)
 * @hint_map: ph per RWH_WRITE_LIFE_* value; [0] (NOT_SET: no hint, falls
 *	through to @default_ph) and [6..7] must be 0
 * @stream_map: ph per virtual stream 1..V, or FDPBLK_PH_FOLLOW_HINT for
 *	streams 1..5; [0] and [V+1..] must be 0
 * @data_pool: ph list for ranks
 * @meta_pool: ph list for metadata
 *
 * Every ph must be at most N, the lower namespace's max_write_streams at
 * creation (0 for a pass-through device); unused entries must be 0.
 */
struct fdpblk_policy {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 meta_chunk_kib;
	__u64 version;
	__u16 default_ph;
	__u16 reserved;
	__u16 data_pool_len;
	__u16 meta_pool_len;
	__u16 hint_map[FDPBLK_HINT_MAP_LEN];
	__u16 stream_map[FDPBLK_MAX_STREAMS + 1];
	__u16 data_pool[FDPBLK_POOL_MAX];
	__u16 meta_pool[FDPBLK_POOL_MAX];
};

/**
 * struct fdpblk_range_rank - a rank for an LBA range
 * @start: first sector (512 bytes) of the range, a multiple of the
 *	device's logical block size
 * @nr_sectors: length in sectors, at least one logical block, a multiple
 *	of the logical block size
 * @rank: the rank (ignored and must be 0 for CLEAR_RANGE_RANKS)
 * @reserved: must be 0
 */
struct fdpblk_range_rank {
	__u64 start;
	__u64 nr_sectors;
	__u32 rank;
	__u32 reserved;
};

/* CLEAR_RANGE_RANKS, CLEAR_CGROUP_RANKS: clear all (@count must be 0). */
#define FDPBLK_RANKS_F_ALL	_BITUL(0)

/**
 * struct fdpblk_range_ranks - set, clear or list LBA-range ranks
 * @size: in: size of this struct, in bytes
 * @flags: in: FDPBLK_RANKS_F_ALL (CLEAR only) or 0
 * @dev_id: in: N of /dev/fdpblkN
 * @count: SET, CLEAR: in: entries at @ranges; LIST: in: room at @ranges,
 *	out: ranges the device has (entries written: the smaller of both)
 * @ranges: user pointer to an array of struct fdpblk_range_rank; for SET
 *	and CLEAR the entries must not overlap each other. SET replaces the
 *	ranks of whatever part of existing ranges it covers; CLEAR removes
 *	them. LIST returns ranges sorted by start.
 */
struct fdpblk_range_ranks {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 count;
	__u64 ranges;
};

/**
 * struct fdpblk_cgroup_rank - a rank for a cgroup (v2), by cgroup id
 * @cgroup_id: the cgroup's id (its directory's inode number in cgroupfs);
 *	a cgroup without a rank takes its nearest ancestor's
 * @rank: the rank (ignored and must be 0 for CLEAR_CGROUP_RANKS)
 * @reserved: must be 0
 */
struct fdpblk_cgroup_rank {
	__u64 cgroup_id;
	__u32 rank;
	__u32 reserved;
};

/**
 * struct fdpblk_cgroup_ranks - set, clear or list cgroup ranks
 * @size: in: size of this struct, in bytes
 * @flags: in: FDPBLK_RANKS_F_ALL (CLEAR only) or 0
 * @dev_id: in: N of /dev/fdpblkN
 * @count: as in struct fdpblk_range_ranks
 * @ranks: user pointer to an array of struct fdpblk_cgroup_rank
 */
struct fdpblk_cgroup_ranks {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 count;
	__u64 ranks;
};

/* Command numbers: never reused or renumbered. */
enum {
	FDPBLK_CMD_GET_FEATURES		= 0x00,
	FDPBLK_CMD_CREATE		= 0x01,
	FDPBLK_CMD_REMOVE		= 0x02,
	FDPBLK_CMD_GET_POLICY		= 0x03,
	FDPBLK_CMD_SET_POLICY		= 0x04,
	FDPBLK_CMD_SET_RANGE_RANKS	= 0x05,
	FDPBLK_CMD_CLEAR_RANGE_RANKS	= 0x06,
	FDPBLK_CMD_LIST_RANGE_RANKS	= 0x07,
	FDPBLK_CMD_SET_CGROUP_RANKS	= 0x08,
	FDPBLK_CMD_CLEAR_CGROUP_RANKS	= 0x09,
	FDPBLK_CMD_LIST_CGROUP_RANKS	= 0x0a,
	FDPBLK_CMD_REVALIDATE		= 0x0b,
};

#define FDPBLK_IOC_GET_FEATURES		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_GET_FEATURES)
#define FDPBLK_IOC_CREATE		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_CREATE)
#define FDPBLK_IOC_REMOVE		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_REMOVE)
#define FDPBLK_IOC_GET_POLICY		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_GET_POLICY)
#define FDPBLK_IOC_SET_POLICY		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_SET_POLICY)
#define FDPBLK_IOC_SET_RANGE_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_SET_RANGE_RANKS)
#define FDPBLK_IOC_CLEAR_RANGE_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_CLEAR_RANGE_RANKS)
#define FDPBLK_IOC_LIST_RANGE_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_LIST_RANGE_RANKS)
#define FDPBLK_IOC_SET_CGROUP_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_SET_CGROUP_RANKS)
#define FDPBLK_IOC_CLEAR_CGROUP_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_CLEAR_CGROUP_RANKS)
#define FDPBLK_IOC_LIST_CGROUP_RANKS	_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_LIST_CGROUP_RANKS)
#define FDPBLK_IOC_REVALIDATE		_IO(FDPBLK_IOCTL_MAGIC, FDPBLK_CMD_REVALIDATE)

/*
 * The smallest @size each command takes: its struct up to the last field
 * it cannot do without. A caller may stop there (the rest reads as 0).
 */
#define FDPBLK_FEATURES_SIZE_MIN	16	/* up to @features */
#define FDPBLK_CREATE_SIZE_MIN		24	/* up to @reserved: no @name */
#define FDPBLK_REMOVE_SIZE_MIN		12	/* up to @dev_id */
#define FDPBLK_POLICY_SIZE_MIN		1584	/* all of it */
#define FDPBLK_RANKS_SIZE_MIN		24	/* all of either rank struct */
#define FDPBLK_REVALIDATE_SIZE_MIN	12	/* up to @dev_id */

#endif /* _UAPI_LINUX_FDPBLK_H */
