// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk: a stacked block device that places writes on NVMe Flexible Data
 * Placement handles by policy.
 *
 * Each bio is classified under RCU and sent to the lower namespace with
 * bi_write_stream set to the chosen placement handle. With the queue's
 * iostats on, a clone from a per-cpu-cached bioset goes down and the bio is
 * accounted in our disk's statistics, as md_clone_bio() does; with it off
 * (the default), the bio itself is remapped (the pattern of nvme
 * multipath).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/idr.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/blk-integrity.h>
#include <linux/blk-mq.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/part_stat.h>
#include <trace/events/block.h>

#include "fdpblk.h"
#include "trace.h"

static DEFINE_IDA(fdpblk_ida);
/* Protects fdpblk_devs and every device's ->removing. */
static DEFINE_MUTEX(fdpblk_devs_lock);
static DEFINE_XARRAY(fdpblk_devs);
static struct workqueue_struct *fdpblk_wq;
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
static struct dentry *fdpblk_debugfs_root;

static void fdpblk_debugfs_add(struct fdpblk_dev *fd)
{
	fd->debugfs = debugfs_create_dir(fd->disk->disk_name,
					 fdpblk_debugfs_root);
	debugfs_create_u32("lower_streams_cap", 0600, fd->debugfs,
			   &fd->lower_streams_cap);
}

static void fdpblk_debugfs_del(struct fdpblk_dev *fd)
{
	debugfs_remove_recursive(fd->debugfs);
	fd->debugfs = NULL;
}

/* The lower's write streams now, or fewer by fault injection. */
static unsigned int fdpblk_lower_streams(struct fdpblk_dev *fd)
{
	unsigned int nr = bdev_max_write_streams(fd->lower);
	u32 cap = READ_ONCE(fd->lower_streams_cap);

	return cap && cap < nr ? cap : nr;
}
#else
static void fdpblk_debugfs_add(struct fdpblk_dev *fd) { }
static void fdpblk_debugfs_del(struct fdpblk_dev *fd) { }

static unsigned int fdpblk_lower_streams(struct fdpblk_dev *fd)
{
	return bdev_max_write_streams(fd->lower);
}
#endif

#define FDPBLK_MAX_RANGE_RANKS_LIMIT	4194304U	/* 2^22 */
unsigned int fdpblk_max_range_ranks = 1U << 18;
module_param_named(max_range_ranks, fdpblk_max_range_ranks, uint, 0444);
MODULE_PARM_DESC(max_range_ranks, "Most LBA-range ranks per device (default 262144, at most 4194304)");

#define FDPBLK_MAX_CGROUP_RANKS_LIMIT	65536U
unsigned int fdpblk_max_cgroup_ranks = FDPBLK_MAX_CGROUP_RANKS;
module_param_named(max_cgroup_ranks, fdpblk_max_cgroup_ranks, uint, 0444);
MODULE_PARM_DESC(max_cgroup_ranks, "Most cgroup ranks per device (default 4096, at most 65536)");

static char *backing;
module_param(backing, charp, 0444);
MODULE_PARM_DESC(backing, "Comma-separated NVMe namespaces to create fdpblk devices on at load (one that fails is skipped)");

/* A published device that no removal has taken yet. */
static struct fdpblk_dev *fdpblk_find_dev(int dev_id)
{
	struct fdpblk_dev *fd;

	lockdep_assert_held(&fdpblk_devs_lock);
	fd = xa_load(&fdpblk_devs, dev_id);
	return fd && !fd->removing && !fd->creating ? fd : NULL;
}

/*
 * Enter a device being created in the list under its name, which must be
 * free: from here until it is published or backed out, nobody can take its
 * name, and no lookup finds it.
 */
static int fdpblk_reserve(struct fdpblk_dev *fd)
{
	struct fdpblk_dev *other;
	unsigned long i;
	int ret;

	mutex_lock(&fdpblk_devs_lock);
	xa_for_each(&fdpblk_devs, i, other) {
		if (!strcmp(other->name, fd->name)) {
			mutex_unlock(&fdpblk_devs_lock);
			return -EEXIST;
		}
	}
	fd->creating = true;
	ret = xa_insert(&fdpblk_devs, fd->id, fd, GFP_KERNEL);
	mutex_unlock(&fdpblk_devs_lock);
	return ret;
}

static void fdpblk_unreserve(struct fdpblk_dev *fd)
{
	mutex_lock(&fdpblk_devs_lock);
	xa_erase(&fdpblk_devs, fd->id);
	mutex_unlock(&fdpblk_devs_lock);
}

/*
 * Look up a device and pin it: its disk, and so the device itself (freed in
 * fdpblk_free_disk()), stays until fdpblk_put_dev(). The device-list lock is
 * held only for the lookup, so that an ioctl's work (a batch of millions of
 * ranks) never delays the removal or creation of any device; a device that
 * is removed meanwhile is changed harmlessly, and freed on the last put.
 */
struct fdpblk_dev *fdpblk_get_dev(int dev_id)
{
	struct fdpblk_dev *fd;

	mutex_lock(&fdpblk_devs_lock);
	fd = fdpblk_find_dev(dev_id);
	if (fd)
		get_device(disk_to_dev(fd->disk));
	mutex_unlock(&fdpblk_devs_lock);
	return fd;
}

void fdpblk_put_dev(struct fdpblk_dev *fd)
{
	put_disk(fd->disk);
}

static void fdpblk_account(struct fdpblk_dev *fd, u16 ph,
			   enum fdpblk_source src, unsigned int bytes)
{
	struct fdpblk_stats *s = get_cpu_ptr(fd->stats);

	s->ph_writes[ph]++;
	s->ph_bytes[ph] += bytes;
	s->src_writes[src]++;
	s->src_bytes[src] += bytes;
	put_cpu_ptr(fd->stats);
}

/* A bio accounted in our statistics, and its clone sent to the lower. */
struct fdpblk_io {
	struct bio *orig;
	unsigned long start_time;
	struct bio clone;	/* last: the bioset's front pad ends here */
};

/*
 * An empty flush is counted as a flush, as blk_account_io_flush() counts
 * one: bdev_start_io_acct() knows only reads, writes and discards (it
 * would count REQ_OP_FLUSH as a read), and it is not in flight.
 */
static bool fdpblk_empty_flush(struct bio *bio)
{
	return op_is_flush(bio->bi_opf) && !bio_sectors(bio);
}

static void fdpblk_account_flush(struct gendisk *disk, unsigned long start)
{
	part_stat_lock();
	part_stat_inc(disk->part0, ios[STAT_FLUSH]);
	part_stat_add(disk->part0, nsecs[STAT_FLUSH],
		      jiffies_to_nsecs(jiffies - start));
	part_stat_unlock();
}

static void fdpblk_clone_endio(struct bio *clone)
{
	struct fdpblk_io *io = container_of(clone, struct fdpblk_io, clone);
	struct bio *orig = io->orig;
	struct request_queue *q = orig->bi_bdev->bd_disk->queue;

	if (clone->bi_status && !orig->bi_status)
		orig->bi_status = clone->bi_status;
	if (fdpblk_empty_flush(orig))
		fdpblk_account_flush(orig->bi_bdev->bd_disk, io->start_time);
	else
		bio_end_io_acct(orig, io->start_time);
	bio_put(clone);
	bio_endio(orig);
	/* Taken in fdpblk_clone(): our disk and bioset may go after this. */
	percpu_ref_put(&q->q_usage_counter);
}

/*
 * Account @bio and return a clone of it on the lower device, or NULL with
 * @bio ended. A bio-based queue is entered only while ->submit_bio runs: the
 * clone holds the queue's usage counter until it completes, as a blk-mq
 * request does, so that del_gendisk() and a frozen queue wait for it and the
 * bioset outlives it.
 */
static struct bio *fdpblk_clone(struct fdpblk_dev *fd, struct bio *bio)
{
	gfp_t gfp = bio->bi_opf & REQ_NOWAIT ? GFP_NOWAIT : GFP_NOIO;
	struct fdpblk_io *io;
	struct bio *clone;

	clone = bio_alloc_clone(fd->lower, bio, gfp, &fd->clone_set);
	if (unlikely(!clone)) {
		if (bio->bi_opf & REQ_NOWAIT)
			bio_wouldblock_error(bio);
		else
			bio_io_error(bio);
		return NULL;
	}
	percpu_ref_get(&fd->disk->queue->q_usage_counter);
	io = container_of(clone, struct fdpblk_io, clone);
	io->orig = bio;
	io->start_time = fdpblk_empty_flush(bio) ? jiffies :
			 bio_start_io_acct(bio);
	clone->bi_end_io = fdpblk_clone_endio;
	clone->bi_private = NULL;
	return clone;
}

static void fdpblk_submit_bio(struct bio *bio)
{
	struct fdpblk_dev *fd = bio->bi_bdev->bd_disk->private_data;
	/* What no rule placed (a discard, passthrough) has no source. */
	enum fdpblk_source src = FDPBLK_NR_SOURCES;
	u16 ph = 0;

	if (unlikely(READ_ONCE(fd->lower_dead))) {
		bio_io_error(bio);
		return;
	}

	if (bio_op(bio) == REQ_OP_WRITE && bio_has_data(bio) &&
	    !fd->passthrough) {
		unsigned int split = 0;

		ph = fdpblk_classify(fd, bio, &src, &split);
		if (unlikely(split)) {
			/*
			 * The bio crosses an LBA-range boundary: submit the
			 * rest (it comes back here) and place the front. As
			 * in bio_split_io_at(): a NOWAIT bio cannot be split
			 * without sleeping, a polled one must not be.
			 */
			if (bio->bi_opf & REQ_NOWAIT) {
				bio_wouldblock_error(bio);
				return;
			}
			bio_clear_polled(bio);
			bio = bio_submit_split_bioset(bio, split,
						      &fd->disk->bio_split);
			if (!bio)
				return;
			ph = fdpblk_classify(fd, bio, &src, &split);
		}
		/* The lower device may have lost streams since creation. */
		if (unlikely(ph > fdpblk_lower_streams(fd))) {
			this_cpu_inc(fd->stats->clamped);
			ph = 0;
		}
		fdpblk_account(fd, ph, src, bio->bi_iter.bi_size);
	}
	/* Writes, discards and write-zeroes; before bi_write_stream is ph. */
	trace_fdpblk_place(fd->disk, bio, src, ph);

	/*
	 * A polled bio is remapped, never cloned, and not accounted: the
	 * poller polls the bio it submitted, and a clone's completion would
	 * not reach it (we have no ->poll_bio).
	 */
	if (blk_queue_io_stat(fd->disk->queue) && !(bio->bi_opf & REQ_POLLED)) {
		bio = fdpblk_clone(fd, bio);
		if (!bio)
			return;
	} else {
		bio_set_dev(bio, fd->lower);
	}
	bio->bi_write_stream = ph;
	trace_block_bio_remap(bio, disk_devt(fd->disk), bio->bi_iter.bi_sector);
	submit_bio_noacct(bio);
}

static int fdpblk_open(struct gendisk *disk, blk_mode_t mode)
{
	struct fdpblk_dev *fd = disk->private_data;

	/* Like loop: a device being removed takes no new opener. */
	return READ_ONCE(fd->removing) ? -ENXIO : 0;
}

static void fdpblk_free_disk(struct gendisk *disk)
{
	struct fdpblk_dev *fd = disk->private_data;

	/* The claim went in fdpblk_destroy(); bios remapped to it are done. */
	fput(fd->lower_file);
	bioset_exit(&fd->clone_set);
	fdpblk_policy_free_all(fd);
	free_percpu(fd->stats);
	ida_free(&fdpblk_ida, fd->id);
	kfree(fd);
}

static const struct block_device_operations fdpblk_fops = {
	.owner		= THIS_MODULE,
	.open		= fdpblk_open,
	.submit_bio	= fdpblk_submit_bio,
	.free_disk	= fdpblk_free_disk,
};

/*
 * Give up the claim on the lower device: synchronously, so that no holder
 * callback runs once this returns. The lower stays open until our disk is
 * freed, for bios already remapped to it.
 */
static void fdpblk_yield_lower(struct fdpblk_dev *fd)
{
	mutex_lock(&fd->lower->bd_holder_lock);
	fd->live = false;
	mutex_unlock(&fd->lower->bd_holder_lock);
	bdev_yield_claim(fd->lower_file);
}

/* Undo a successful fdpblk_create_dev(); the device is unlinked already. */
static void fdpblk_destroy(struct fdpblk_dev *fd)
{
	fdpblk_debugfs_del(fd);
	bd_unlink_disk_holder(fd->lower, fd->disk);
	del_gendisk(fd->disk);
	fdpblk_yield_lower(fd);
	put_disk(fd->disk);
}

static void fdpblk_remove_work(struct work_struct *work)
{
	struct fdpblk_dev *fd = container_of(work, struct fdpblk_dev,
					     remove_work);
	bool mine = false;

	mutex_lock(&fdpblk_devs_lock);
	if (!fd->removing) {
		fd->removing = true;
		xa_erase(&fdpblk_devs, fd->id);
		mine = true;
	}
	mutex_unlock(&fdpblk_devs_lock);
	if (mine) {
		pr_warn("%s: lower device %pg is gone: removed\n",
			fd->disk->disk_name, fd->lower);
		blk_mark_disk_dead(fd->disk);
		fdpblk_destroy(fd);
	}
	/* The references fdpblk_lower_mark_dead() took. */
	put_disk(fd->disk);
	module_put(THIS_MODULE);
}

/*
 * The lower namespace is going away (surprise or orderly). Called with the
 * lower's bd_holder_lock held, which we must drop. Acts once, and only for
 * a published device with the module staying: creation backs out by itself
 * when it sees @lower_gone, and otherwise a removal is under way already.
 * Holds the module and the disk until the removal work is done.
 */
static void fdpblk_lower_mark_dead(struct block_device *bdev, bool surprise)
	__releases(&bdev->bd_holder_lock)
{
	struct fdpblk_dev *fd = bdev->bd_holder;
	bool first = !fd->lower_gone;

	fd->lower_gone = true;
	if (!first || !fd->live || !try_module_get(THIS_MODULE)) {
		WRITE_ONCE(fd->lower_dead, true);
		mutex_unlock(&bdev->bd_holder_lock);
		return;
	}
	get_device(disk_to_dev(fd->disk));
	mutex_unlock(&bdev->bd_holder_lock);

	/*
	 * An orderly removal: the lower still takes I/O, so let our own
	 * holder (a file system) write back first, as del_gendisk() would.
	 */
	if (!surprise)
		bdev_mark_dead(fd->disk->part0, false);
	WRITE_ONCE(fd->lower_dead, true);
	queue_work(fdpblk_wq, &fd->remove_work);
}

static const struct blk_holder_ops fdpblk_holder_ops = {
	.mark_dead = fdpblk_lower_mark_dead,
};

/*
 * Whether the lower takes polled bios now. A blk-mq device keeps
 * BLK_FEAT_POLL when it loses its poll queues (null_blk's poll_queues=0, an
 * NVMe reset with fewer queues) and then fails polled bios with
 * BLK_STS_NOTSUPP: look at its poll queues too, as blk_mq_can_poll() does.
 */
static bool fdpblk_lower_can_poll(struct block_device *bdev)
{
	struct request_queue *q = bdev_get_queue(bdev);

	if (!(q->limits.features & BLK_FEAT_POLL))
		return false;
	return !queue_is_mq(q) ||
		READ_ONCE(q->tag_set->map[HCTX_TYPE_POLL].nr_queues);
}

/*
 * Our limits, from scratch, as the lower has them now (as dm computes a
 * table's): at creation and at every revalidation.
 */
static void fdpblk_stack_limits(struct fdpblk_dev *fd,
				struct queue_limits *lim, bool io_stat)
{
	blk_set_stacking_limits(lim);
	lim->features |= BLK_FEAT_NOWAIT | BLK_FEAT_POLL | BLK_FEAT_PCI_P2PDMA;
	/* Ours, not the lower's: queue/iostats. */
	if (io_stat)
		lim->features |= BLK_FEAT_IO_STAT;
	/*
	 * Atomic writes are not inherited by blk_stack_limits() (see
	 * dm-table.c): ask for them where the lower has them, and the
	 * stacking takes its atomic units. REQ_ATOMIC bios are never split.
	 */
	lim->features |= bdev_limits(fd->lower)->features &
			 BLK_FEAT_ATOMIC_WRITES;
	/*
	 * Drops POLL, NOWAIT and P2PDMA where the lower lacks them; takes its
	 * block sizes, transfer and DMA alignment limits. No inline crypto
	 * profile: NVMe has none (a bio with a key gets the block layer's
	 * fallback encryption above us).
	 */
	queue_limits_stack_bdev(lim, fd->lower, 0, "fdpblk");
	if (!fdpblk_lower_can_poll(fd->lower))
		lim->features &= ~BLK_FEAT_POLL;
	/*
	 * Protection information, as dm does: the lower's integrity profile,
	 * so that file systems on us get stable pages and integrity/ shows it.
	 * Bios pass through with whatever payload they carry; the lower
	 * generates and verifies PI for those without one.
	 */
	queue_limits_stack_integrity_bdev(lim, fd->lower);
	lim->features &= ~BLK_FEAT_ZONED;
	/* blk_stack_limits() does not stack write streams: we set our own. */
	lim->max_write_streams = fd->nr_streams;
	lim->write_stream_granularity = fd->nr_streams ?
		bdev_limits(fd->lower)->write_stream_granularity : 0;
}

/*
 * Follow the lower device after it changed (resized, reformatted to another
 * LBA size, lost its poll queues): take its limits and capacity again, the
 * limits under a frozen queue so that no bio sees half of them. The handles
 * (max_ph) stay as at creation, since the policy was checked against them;
 * a write to a handle the lower no longer has goes without a directive and
 * counts in clamped_writes.
 */
int fdpblk_revalidate(struct fdpblk_dev *fd)
{
	struct request_queue *q = fd->disk->queue;
	struct queue_limits lim;
	unsigned int old_lbs;
	int ret;

	if (READ_ONCE(fd->lower_dead))
		return -ENODEV;
	mutex_lock(&fd->lock);
	old_lbs = queue_logical_block_size(q);
	lim = queue_limits_start_update(q);
	fdpblk_stack_limits(fd, &lim, lim.features & BLK_FEAT_IO_STAT);
	ret = queue_limits_commit_update_frozen(q, &lim);
	if (!ret) {
		/* Logs a change of capacity itself. */
		set_capacity_and_notify(fd->disk, bdev_nr_sectors(fd->lower));
		if (lim.logical_block_size != old_lbs)
			pr_info("%s: logical block size %u -> %u, as %pg\n",
				fd->disk->disk_name, old_lbs,
				lim.logical_block_size, fd->lower);
	}
	mutex_unlock(&fd->lock);
	return ret;
}

/*
 * Create a device on the block device @lower, named @name (NULL or empty:
 * "fdpblkN"; the caller has checked its characters).
 */
int fdpblk_create_dev(dev_t lower, const char *name, unsigned int nr_streams,
		      u32 flags, int *dev_id)
{
	bool passthrough = flags & FDPBLK_CREATE_F_PASSTHROUGH;
	struct queue_limits lim;
	struct fdpblk_dev *fd;
	struct fdpblk_policy_table *policy;
	int ret;

	if (!nr_streams)
		nr_streams = FDPBLK_DEFAULT_STREAMS;
	if (nr_streams > FDPBLK_MAX_STREAMS)
		return -EINVAL;

	fd = kzalloc_obj(*fd, GFP_KERNEL);
	if (!fd)
		return -ENOMEM;
	mutex_init(&fd->lock);
	xa_init(&fd->cgroup_ranks);
	INIT_WORK(&fd->remove_work, fdpblk_remove_work);
	fd->passthrough = passthrough;
	fd->nr_streams = passthrough ? 0 : nr_streams;

	ret = ida_alloc_max(&fdpblk_ida, MINORMASK, GFP_KERNEL);
	if (ret < 0)
		goto out_free_fd;
	fd->id = ret;
	if (name && *name)
		strscpy(fd->name, name);
	else
		snprintf(fd->name, sizeof(fd->name), "fdpblk%d", fd->id);
	ret = fdpblk_reserve(fd);
	if (ret)
		goto out_free_id;

	fd->stats = alloc_percpu(struct fdpblk_stats);
	if (!fd->stats) {
		ret = -ENOMEM;
		goto out_unreserve;
	}
	ret = bioset_init(&fd->clone_set, BIO_POOL_SIZE,
			  offsetof(struct fdpblk_io, clone), BIOSET_PERCPU_CACHE);
	if (ret)
		goto out_free_stats;

	fd->lower_file = bdev_file_open_by_dev(lower,
					       BLK_OPEN_READ | BLK_OPEN_WRITE,
					       fd, &fdpblk_holder_ops);
	if (IS_ERR(fd->lower_file)) {
		ret = PTR_ERR(fd->lower_file);
		pr_err("%s: cannot open %u:%u exclusively: %d\n", fd->name,
		       MAJOR(lower), MINOR(lower), ret);
		goto out_exit_bioset;
	}
	fd->lower = file_bdev(fd->lower_file);

	if (bdev_is_zoned(fd->lower)) {
		pr_err("%pg is zoned: FDP placement on zoned devices is not supported\n",
		       fd->lower);
		ret = -EOPNOTSUPP;
		goto out_close_lower;
	}
	fd->max_ph = passthrough ? 0 :
		min_t(unsigned int, bdev_max_write_streams(fd->lower),
		      FDPBLK_MAX_PH);
	if (!passthrough && !fd->max_ph) {
		pr_err("%pg has no write streams (no FDP, or FDP not enabled): create with the pass-through flag to use it anyway\n",
		       fd->lower);
		ret = -EOPNOTSUPP;
		goto out_close_lower;
	}

	policy = fdpblk_policy_default(fd);
	if (!policy) {
		ret = -ENOMEM;
		goto out_close_lower;
	}
	rcu_assign_pointer(fd->policy, policy);

	fdpblk_stack_limits(fd, &lim, FDPBLK_IOSTATS_DEFAULT);
	fd->disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	if (IS_ERR(fd->disk)) {
		ret = PTR_ERR(fd->disk);
		goto out_free_policy;
	}
	/*
	 * No major or minors: device_add_disk() takes a dynamic dev_t under
	 * BLOCK_EXT_MAJOR, as NVMe does, and each partition gets its own.
	 * Partitions work: a bio reaches us remapped to whole-device sectors
	 * (ranges, hints and metadata place it as usual); the block layer
	 * gives a partition no write streams, so explicit streams need the
	 * whole device.
	 */
	fd->disk->fops = &fdpblk_fops;
	fd->disk->private_data = fd;
	snprintf(fd->disk->disk_name, DISK_NAME_LEN, "fdpblk%d", fd->id);
	set_capacity(fd->disk, bdev_nr_sectors(fd->lower));

	ret = device_add_disk(NULL, fd->disk, fdpblk_disk_groups);
	if (ret)
		goto out_put_disk;
	ret = bd_link_disk_holder(fd->lower, fd->disk);
	if (ret)
		goto out_del_disk;
	fdpblk_debugfs_add(fd);

	/* Published and live together, unless the lower died meanwhile. */
	mutex_lock(&fdpblk_devs_lock);
	mutex_lock(&fd->lower->bd_holder_lock);
	if (fd->lower_gone) {
		ret = -ENODEV;
	} else {
		fd->creating = false;
		fd->live = true;
	}
	mutex_unlock(&fd->lower->bd_holder_lock);
	mutex_unlock(&fdpblk_devs_lock);
	if (ret)
		goto out_unlink;

	*dev_id = fd->id;
	return 0;

out_unlink:
	fdpblk_debugfs_del(fd);
	bd_unlink_disk_holder(fd->lower, fd->disk);
out_del_disk:
	del_gendisk(fd->disk);
	fdpblk_yield_lower(fd);
	fdpblk_unreserve(fd);
	/* free_disk() releases the rest. */
	put_disk(fd->disk);
	return ret;
out_put_disk:
	/* Never added: free_disk() is not called. */
	put_disk(fd->disk);
out_free_policy:
	fdpblk_policy_free_all(fd);
out_close_lower:
	bdev_fput(fd->lower_file);
out_exit_bioset:
	bioset_exit(&fd->clone_set);
out_free_stats:
	free_percpu(fd->stats);
out_unreserve:
	fdpblk_unreserve(fd);
out_free_id:
	ida_free(&fdpblk_ida, fd->id);
out_free_fd:
	kfree(fd);
	return ret;
}

/*
 * A short open (udev's blkid probing a new device, a partition scan) must
 * not make REMOVE fail: wait this long for the openers to go, as
 * libdevmapper retries a dm removal (25 x 200 ms).
 */
#define FDPBLK_REMOVE_WAIT_MS	5000
#define FDPBLK_REMOVE_POLL_MS	50

/*
 * Remove a device. Refused with -EBUSY while it stays open, unless @force:
 * the device of a CREATE whose caller never learnt its id goes even if
 * udev or blkid opened it meanwhile (del_gendisk() fails their I/O).
 */
int fdpblk_remove_dev(int dev_id, bool force)
{
	unsigned int waited = 0;
	struct fdpblk_dev *fd;

	for (;;) {
		mutex_lock(&fdpblk_devs_lock);
		fd = fdpblk_find_dev(dev_id);
		if (!fd) {
			mutex_unlock(&fdpblk_devs_lock);
			return -ENODEV;
		}
		/* Like loop: refuse while open, and keep new opens out. */
		mutex_lock(&fd->disk->open_mutex);
		if (force || !disk_openers(fd->disk))
			break;
		mutex_unlock(&fd->disk->open_mutex);
		mutex_unlock(&fdpblk_devs_lock);
		if (waited >= FDPBLK_REMOVE_WAIT_MS)
			return -EBUSY;
		if (msleep_interruptible(FDPBLK_REMOVE_POLL_MS))
			return -EINTR;
		waited += FDPBLK_REMOVE_POLL_MS;
	}
	fd->removing = true;
	xa_erase(&fdpblk_devs, fd->id);
	mutex_unlock(&fd->disk->open_mutex);
	mutex_unlock(&fdpblk_devs_lock);

	fdpblk_destroy(fd);
	return 0;
}

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

static void fdpblk_remove_all(void)
{
	struct fdpblk_dev *fd;
	unsigned long id;

	flush_workqueue(fdpblk_wq);
	mutex_lock(&fdpblk_devs_lock);
	xa_for_each(&fdpblk_devs, id, fd) {
		fd->removing = true;
		xa_erase(&fdpblk_devs, id);
		mutex_unlock(&fdpblk_devs_lock);
		fdpblk_destroy(fd);
		mutex_lock(&fdpblk_devs_lock);
	}
	mutex_unlock(&fdpblk_devs_lock);
}

/*
 * Devices for backing=. As loop does for its devices, a namespace that fails
 * is logged and skipped, and the module loads with the rest: once a disk is
 * added, udev may hold it open, so module init must not fail after that (a
 * failed init frees the module under the opener's file).
 */
static void __init fdpblk_create_backing(void)
{
	char *list, *cur, *path;
	dev_t dev;
	int ret, id;

	if (!backing || !*backing)
		return;
	list = kstrdup(backing, GFP_KERNEL);
	if (!list) {
		pr_err("backing=: out of memory: no device created\n");
		return;
	}
	cur = list;
	while ((path = strsep(&cur, ","))) {
		if (!*path)
			continue;
		ret = lookup_bdev(path, &dev);
		if (!ret)
			ret = fdpblk_create_dev(dev, NULL, 0, 0, &id);
		if (ret)
			pr_err("backing=%s: cannot create a device: %d: skipped\n",
			       path, ret);
		else
			pr_info("backing=%s: fdpblk%d\n", path, id);
	}
	kfree(list);
}

static int __init fdpblk_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct fdpblk_features) != 32);
	BUILD_BUG_ON(sizeof(struct fdpblk_create) != 56);
	BUILD_BUG_ON(offsetof(struct fdpblk_create, name) !=
		     FDPBLK_CREATE_SIZE_MIN);
	BUILD_BUG_ON(offsetofend(struct fdpblk_features, features) !=
		     FDPBLK_FEATURES_SIZE_MIN);
	BUILD_BUG_ON(offsetofend(struct fdpblk_remove, dev_id) !=
		     FDPBLK_REMOVE_SIZE_MIN);
	BUILD_BUG_ON(sizeof(struct fdpblk_policy) != FDPBLK_POLICY_SIZE_MIN);
	BUILD_BUG_ON(sizeof(struct fdpblk_range_ranks) != FDPBLK_RANKS_SIZE_MIN);
	BUILD_BUG_ON(offsetofend(struct fdpblk_revalidate, dev_id) !=
		     FDPBLK_REVALIDATE_SIZE_MIN);
	BUILD_BUG_ON(sizeof(struct fdpblk_remove) != 16);
	BUILD_BUG_ON(sizeof(struct fdpblk_policy) != 1584);
	BUILD_BUG_ON(sizeof(struct fdpblk_range_rank) != 24);
	BUILD_BUG_ON(sizeof(struct fdpblk_range_ranks) != 24);
	BUILD_BUG_ON(sizeof(struct fdpblk_cgroup_rank) != 16);
	BUILD_BUG_ON(sizeof(struct fdpblk_cgroup_ranks) != 24);

	if (fdpblk_max_cgroup_ranks > FDPBLK_MAX_CGROUP_RANKS_LIMIT) {
		pr_err("max_cgroup_ranks=%u: at most %u\n",
		       fdpblk_max_cgroup_ranks, FDPBLK_MAX_CGROUP_RANKS_LIMIT);
		return -EINVAL;
	}
	if (fdpblk_max_range_ranks > FDPBLK_MAX_RANGE_RANKS_LIMIT) {
		pr_err("max_range_ranks=%u: at most %u\n", fdpblk_max_range_ranks,
		       FDPBLK_MAX_RANGE_RANKS_LIMIT);
		return -EINVAL;
	}

	fdpblk_wq = alloc_workqueue("fdpblk", WQ_UNBOUND, 0);
	if (!fdpblk_wq)
		return -ENOMEM;
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fdpblk_debugfs_root = debugfs_create_dir("fdpblk", NULL);
#endif
	/*
	 * The last step that can fail. No disk exists before it, and none
	 * created after it can fail the init (see fdpblk_create_backing()).
	 */
	ret = misc_register(&fdpblk_misc);
	if (ret) {
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
		debugfs_remove(fdpblk_debugfs_root);
#endif
		destroy_workqueue(fdpblk_wq);
		return ret;
	}

	fdpblk_create_backing();
	return 0;
}

static void __exit fdpblk_exit(void)
{
	misc_deregister(&fdpblk_misc);
	fdpblk_remove_all();
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	debugfs_remove(fdpblk_debugfs_root);
#endif
	destroy_workqueue(fdpblk_wq);
	ida_destroy(&fdpblk_ida);
}

module_init(fdpblk_init);
module_exit(fdpblk_exit);

MODULE_DESCRIPTION("Stacked block device placing writes on NVMe FDP handles");
MODULE_LICENSE("GPL");
