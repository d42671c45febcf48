/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk private definitions shared by the module's source files.
 */
#ifndef FDPBLK_H
#define FDPBLK_H

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <linux/fdpblk.h>

#include "fdpblk-rules.h"

/*
 * An immutable policy table, published with RCU and replaced whole: readers
 * see one consistent version. All ph values are validated against the
 * device's max_ph before publication.
 */
struct fdpblk_policy_table {
	struct rcu_head rcu;
	u64 version;
	u16 default_ph;
	u16 hint_map[FDPBLK_NR_HINTS];
	u16 stream_map[FDPBLK_MAX_STREAMS + 1];	/* may be FOLLOW_HINT */
	unsigned int meta_chunk_shift;		/* log2 of the chunk, in sectors */
	u16 data_pool_len;
	u16 meta_pool_len;
	u16 data_pool[FDPBLK_POOL_MAX];
	u16 meta_pool[FDPBLK_POOL_MAX];
};

/* Sorted, non-overlapping LBA-range ranks; immutable once published. */
struct fdpblk_range_table {
	struct rcu_head rcu;
	unsigned int nr;
	struct fdpblk_range r[] __counted_by(nr);
};

/* Per-cpu counters, summed on read; writes of data only. */
struct fdpblk_stats {
	u64 ph_writes[FDPBLK_MAX_PH + 1];
	u64 ph_bytes[FDPBLK_MAX_PH + 1];
	u64 src_writes[FDPBLK_NR_SOURCES];
	u64 src_bytes[FDPBLK_NR_SOURCES];
	u64 clamped;		/* ph above the lower's current streams -> 0 */
};

struct fdpblk_dev {
	int id;				/* N of fdpblkN */
	char name[FDPBLK_NAME_LEN];	/* unique; fixed at creation */
	struct gendisk *disk;
	struct file *lower_file;	/* exclusive claim of the namespace */
	struct block_device *lower;
	unsigned int nr_streams;	/* V: virtual streams advertised */
	unsigned int max_ph;		/* N: lower streams at creation */
	bool passthrough;		/* place nothing (ph 0 always) */
	bool lower_dead;		/* lower gone: fail all I/O */
	bool removing;			/* under fdpblk_devs_lock; no new opens */
	bool creating;			/* under fdpblk_devs_lock: not yet usable */
	/*
	 * Under the lower's bd_holder_lock: @live while the device is
	 * published (the lower's loss must remove it), @lower_gone once the
	 * lower reported its loss.
	 */
	bool live;
	bool lower_gone;

	/* Serialises policy and rank updates; readers use RCU. */
	struct mutex lock;
	struct fdpblk_policy_table __rcu *policy;
	struct fdpblk_range_table __rcu *ranges;
	struct xarray cgroup_ranks;	/* cgroup id -> fdpblk_cgroup_entry */
	unsigned int nr_cgroup_ranks;	/* under @lock */

	struct fdpblk_stats __percpu *stats;
	struct bio_set clone_set;	/* accounted bios' clones (iostats) */
	struct work_struct remove_work;	/* after the lower device died */
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	/*
	 * Fault injection, debugfs fdpblk/fdpblkN/lower_streams_cap: the
	 * write streams the lower is taken to have at most (0: its own), so
	 * that a lower which lost streams can be tested on one that cannot.
	 */
	struct dentry *debugfs;
	u32 lower_streams_cap;
#endif
};

/*
 * Per-device statistics (/proc/diskstats, iostat, inflight) at creation:
 * off, since the clone per bio that they take cost more than 3% of the
 * IOPS at QD32 in make bench (README); queue/iostats turns them on.
 */
#define FDPBLK_IOSTATS_DEFAULT	false

extern unsigned int fdpblk_max_range_ranks;
extern unsigned int fdpblk_max_cgroup_ranks;

/* main.c */
int fdpblk_create_dev(dev_t lower, const char *name, unsigned int nr_streams,
		      u32 flags, int *dev_id);
int fdpblk_remove_dev(int dev_id, bool force);
int fdpblk_revalidate(struct fdpblk_dev *fd);
struct fdpblk_dev *fdpblk_get_dev(int dev_id);
void fdpblk_put_dev(struct fdpblk_dev *fd);

/* control.c */
long fdpblk_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg);

/* policy.c */
struct fdpblk_policy_table *fdpblk_policy_default(struct fdpblk_dev *fd);
int fdpblk_policy_validate(struct fdpblk_dev *fd,
			   const struct fdpblk_policy_table *p);
int fdpblk_meta_chunk_shift(u32 kib, unsigned int *shift);
int fdpblk_policy_from_uapi(struct fdpblk_dev *fd,
			    const struct fdpblk_policy *u,
			    struct fdpblk_policy_table **out);
void fdpblk_policy_to_uapi(struct fdpblk_dev *fd, struct fdpblk_policy *u);
struct fdpblk_policy_table *fdpblk_policy_dup(struct fdpblk_dev *fd);
void fdpblk_policy_replace(struct fdpblk_dev *fd,
			   struct fdpblk_policy_table *new);
u64 fdpblk_policy_version(struct fdpblk_dev *fd);
/* Whether fdpblk takes a write for metadata (REQ_META, a file system's). */
bool fdpblk_bio_is_meta(struct bio *bio);
u16 fdpblk_classify(struct fdpblk_dev *fd, struct bio *bio,
		    enum fdpblk_source *src, unsigned int *split);
int fdpblk_ranges_update(struct fdpblk_dev *fd,
			 const struct fdpblk_range_rank *in, unsigned int nr,
			 bool clear);
void fdpblk_ranges_clear_all(struct fdpblk_dev *fd);
unsigned int fdpblk_ranges_list(struct fdpblk_dev *fd,
				struct fdpblk_range_rank *out,
				unsigned int room);
unsigned int fdpblk_ranges_count(struct fdpblk_dev *fd);
int fdpblk_cgroup_ranks_update(struct fdpblk_dev *fd,
			       const struct fdpblk_cgroup_rank *c,
			       unsigned int nr, bool clear);
void fdpblk_cgroup_ranks_clear_all(struct fdpblk_dev *fd);
unsigned int fdpblk_cgroup_ranks_list(struct fdpblk_dev *fd,
				      struct fdpblk_cgroup_rank *out,
				      unsigned int room);
void fdpblk_policy_free_all(struct fdpblk_dev *fd);
const char *fdpblk_source_name(enum fdpblk_source src);

/* sysfs.c */
extern const struct attribute_group *fdpblk_disk_groups[];

#endif /* FDPBLK_H */
