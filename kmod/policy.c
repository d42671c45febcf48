// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk policy: the RCU-published policy table, LBA-range and cgroup
 * ranks, and the per-write classification that turns them into a
 * placement handle.
 */
#include <linux/blk-cgroup.h>
#include <linux/cgroup.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/sort.h>

#include "fdpblk.h"

/* Default metadata chunk: 1 MiB of sectors per meta_pool choice. */
#define FDPBLK_META_CHUNK_DEFAULT_KIB	1024
#define FDPBLK_META_CHUNK_MIN_KIB	4
#define FDPBLK_META_CHUNK_MAX_KIB	SZ_1M

const char *fdpblk_source_name(enum fdpblk_source src)
{
	return fdpblk_rules_source_name(src);
}

/* Identity for hints and streams where the ph exists, metadata not special. */
struct fdpblk_policy_table *fdpblk_policy_default(struct fdpblk_dev *fd)
{
	struct fdpblk_policy_table *p;
	unsigned int i;

	p = kzalloc_obj(*p, GFP_KERNEL);
	if (!p)
		return NULL;
	p->version = 1;
	for (i = 1; i < FDPBLK_NR_HINTS; i++)
		p->hint_map[i] = i <= fd->max_ph ? i : 0;
	for (i = 1; i <= fd->nr_streams; i++) {
		if (i <= FDPBLK_LAST_HINT_STREAM)
			p->stream_map[i] = FDPBLK_PH_FOLLOW_HINT;
		else
			p->stream_map[i] = i <= fd->max_ph ? i : 0;
	}
	p->meta_chunk_shift = ilog2(FDPBLK_META_CHUNK_DEFAULT_KIB * 2);
	return p;
}

static bool fdpblk_pool_valid(struct fdpblk_dev *fd, const u16 *pool,
			      unsigned int len)
{
	unsigned int i;

	if (len > FDPBLK_POOL_MAX)
		return false;
	for (i = 0; i < FDPBLK_POOL_MAX; i++) {
		if (i < len ? pool[i] > fd->max_ph : pool[i] != 0)
			return false;
	}
	return true;
}

/* Check every entry of a table against the device; 0 or -EINVAL. */
int fdpblk_policy_validate(struct fdpblk_dev *fd,
			   const struct fdpblk_policy_table *p)
{
	unsigned int i;

	if (p->default_ph > fd->max_ph || p->hint_map[0])
		return -EINVAL;
	for (i = 1; i < FDPBLK_NR_HINTS; i++)
		if (p->hint_map[i] > fd->max_ph)
			return -EINVAL;
	if (p->stream_map[0])
		return -EINVAL;
	for (i = 1; i <= FDPBLK_MAX_STREAMS; i++) {
		u16 ph = p->stream_map[i];

		if (i > fd->nr_streams) {
			if (ph)
				return -EINVAL;
		} else if (ph == FDPBLK_PH_FOLLOW_HINT) {
			if (i > FDPBLK_LAST_HINT_STREAM)
				return -EINVAL;
		} else if (ph > fd->max_ph) {
			return -EINVAL;
		}
	}
	if (!fdpblk_pool_valid(fd, p->data_pool, p->data_pool_len) ||
	    !fdpblk_pool_valid(fd, p->meta_pool, p->meta_pool_len))
		return -EINVAL;
	return 0;
}

int fdpblk_meta_chunk_shift(u32 kib, unsigned int *shift)
{
	if (kib < FDPBLK_META_CHUNK_MIN_KIB || kib > FDPBLK_META_CHUNK_MAX_KIB ||
	    !is_power_of_2(kib))
		return -EINVAL;
	*shift = ilog2(kib) + 1;	/* KiB to 512-byte sectors */
	return 0;
}

int fdpblk_policy_from_uapi(struct fdpblk_dev *fd,
			    const struct fdpblk_policy *u,
			    struct fdpblk_policy_table **out)
{
	struct fdpblk_policy_table *p;
	unsigned int i;
	int ret;

	if (u->reserved)
		return -EINVAL;
	for (i = FDPBLK_NR_HINTS; i < FDPBLK_HINT_MAP_LEN; i++)
		if (u->hint_map[i])
			return -EINVAL;

	p = kzalloc_obj(*p, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = fdpblk_meta_chunk_shift(u->meta_chunk_kib, &p->meta_chunk_shift);
	if (ret)
		goto out_free;
	p->default_ph = u->default_ph;
	memcpy(p->hint_map, u->hint_map, sizeof(p->hint_map));
	memcpy(p->stream_map, u->stream_map, sizeof(p->stream_map));
	p->data_pool_len = u->data_pool_len;
	p->meta_pool_len = u->meta_pool_len;
	memcpy(p->data_pool, u->data_pool, sizeof(p->data_pool));
	memcpy(p->meta_pool, u->meta_pool, sizeof(p->meta_pool));
	ret = fdpblk_policy_validate(fd, p);
	if (ret)
		goto out_free;
	*out = p;
	return 0;

out_free:
	kfree(p);
	return ret;
}

void fdpblk_policy_to_uapi(struct fdpblk_dev *fd, struct fdpblk_policy *u)
{
	const struct fdpblk_policy_table *p;

	rcu_read_lock();
	p = rcu_dereference(fd->policy);
	u->version = p->version;
	u->meta_chunk_kib = 1U << (p->meta_chunk_shift - 1);
	u->default_ph = p->default_ph;
	u->data_pool_len = p->data_pool_len;
	u->meta_pool_len = p->meta_pool_len;
	memset(u->hint_map, 0, sizeof(u->hint_map));
	memcpy(u->hint_map, p->hint_map, sizeof(p->hint_map));
	memcpy(u->stream_map, p->stream_map, sizeof(u->stream_map));
	memcpy(u->data_pool, p->data_pool, sizeof(u->data_pool));
	memcpy(u->meta_pool, p->meta_pool, sizeof(u->meta_pool));
	rcu_read_unlock();
}

/* A copy of the current table to edit; caller holds fd->lock. */
struct fdpblk_policy_table *fdpblk_policy_dup(struct fdpblk_dev *fd)
{
	lockdep_assert_held(&fd->lock);
	return kmemdup(rcu_dereference_protected(fd->policy,
						 lockdep_is_held(&fd->lock)),
		       sizeof(struct fdpblk_policy_table), GFP_KERNEL);
}

/*
 * Publish a validated table as the next version; caller holds fd->lock.
 * Writes in flight finish with the table they started with.
 */
void fdpblk_policy_replace(struct fdpblk_dev *fd,
			   struct fdpblk_policy_table *new)
{
	struct fdpblk_policy_table *old;

	old = rcu_dereference_protected(fd->policy, lockdep_is_held(&fd->lock));
	new->version = old->version + 1;
	rcu_assign_pointer(fd->policy, new);
	kfree_rcu(old, rcu);
}

u64 fdpblk_policy_version(struct fdpblk_dev *fd)
{
	u64 v;

	rcu_read_lock();
	v = rcu_dereference(fd->policy)->version;
	rcu_read_unlock();
	return v;
}

/* ---- LBA-range ranks ---------------------------------------------------- */

static int fdpblk_range_cmp(const void *a, const void *b)
{
	const struct fdpblk_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return 0;
}

static struct fdpblk_range_table *fdpblk_range_table_alloc(unsigned int nr)
{
	struct fdpblk_range_table *t;

	t = kvmalloc(struct_size(t, r, nr), GFP_KERNEL);
	if (t)
		t->nr = nr;
	return t;
}

/*
 * Apply @nr sorted, non-overlapping ranges to the table: remove whatever
 * they cover from the old ranges, then (unless @clear) add them. Linear in
 * old + new; the result stays sorted and non-overlapping.
 */
static struct fdpblk_range_table *
fdpblk_ranges_apply(const struct fdpblk_range_table *old,
		    const struct fdpblk_range *in, unsigned int nr, bool clear)
{
	unsigned int old_nr = old ? old->nr : 0;
	unsigned int i, j = 0, n = 0, k = 0, cap;
	struct fdpblk_range *rest;
	struct fdpblk_range_table *t;

	/* Each new range splits at most one old range in two. */
	rest = kvmalloc_array(old_nr + nr, sizeof(*rest), GFP_KERNEL);
	if (!rest)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < old_nr; i++) {
		const struct fdpblk_range *a = &old->r[i];
		sector_t cur = a->start;

		while (cur < a->end) {
			while (j < nr && in[j].end <= cur)
				j++;
			if (j == nr || in[j].start >= a->end) {
				rest[n++] = (struct fdpblk_range){ cur, a->end, a->rank };
				break;
			}
			if (in[j].start > cur)
				rest[n++] = (struct fdpblk_range){ cur, in[j].start, a->rank };
			cur = in[j].end;
		}
	}

	cap = n + (clear ? 0 : nr);
	if (cap > fdpblk_max_range_ranks) {
		kvfree(rest);
		return ERR_PTR(-ENOSPC);
	}
	t = fdpblk_range_table_alloc(cap);
	if (!t) {
		kvfree(rest);
		return ERR_PTR(-ENOMEM);
	}
	if (clear) {
		memcpy(t->r, rest, n * sizeof(*rest));
	} else {
		/* Merge two sorted, mutually disjoint lists. */
		for (i = 0, j = 0; i < n || j < nr;) {
			if (j == nr || (i < n && rest[i].start < in[j].start))
				t->r[k++] = rest[i++];
			else
				t->r[k++] = in[j++];
		}
	}
	kvfree(rest);
	return t;
}

int fdpblk_ranges_update(struct fdpblk_dev *fd,
			 const struct fdpblk_range_rank *in, unsigned int nr,
			 bool clear)
{
	sector_t capacity = get_capacity(fd->disk);
	/* A boundary splits bios there: it must fall between logical blocks. */
	unsigned int lbs = bdev_logical_block_size(fd->disk->part0) >> SECTOR_SHIFT;
	struct fdpblk_range_table *old, *t;
	struct fdpblk_range *r;
	unsigned int i;
	int ret = 0;

	r = kvmalloc_array(nr, sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (in[i].reserved || !in[i].nr_sectors ||
		    !IS_ALIGNED(in[i].start | in[i].nr_sectors, lbs) ||
		    in[i].start >= capacity ||
		    in[i].nr_sectors > capacity - in[i].start ||
		    (clear && in[i].rank)) {
			ret = -EINVAL;
			goto out_free;
		}
		r[i].start = in[i].start;
		r[i].end = in[i].start + in[i].nr_sectors;
		r[i].rank = in[i].rank;
	}
	sort(r, nr, sizeof(*r), fdpblk_range_cmp, NULL);
	for (i = 1; i < nr; i++) {
		if (r[i].start < r[i - 1].end) {
			ret = -EINVAL;
			goto out_free;
		}
	}

	mutex_lock(&fd->lock);
	old = rcu_dereference_protected(fd->ranges, lockdep_is_held(&fd->lock));
	t = fdpblk_ranges_apply(old, r, nr, clear);
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
	} else {
		rcu_assign_pointer(fd->ranges, t);
		if (old)
			kvfree_rcu(old, rcu);
	}
	mutex_unlock(&fd->lock);
out_free:
	kvfree(r);
	return ret;
}

void fdpblk_ranges_clear_all(struct fdpblk_dev *fd)
{
	struct fdpblk_range_table *old;

	mutex_lock(&fd->lock);
	old = rcu_replace_pointer(fd->ranges, NULL, lockdep_is_held(&fd->lock));
	if (old)
		kvfree_rcu(old, rcu);
	mutex_unlock(&fd->lock);
}

/*
 * Copy up to @room ranges to @out; returns how many the device has. Caller
 * holds fd->lock so the count and the copy agree.
 */
unsigned int fdpblk_ranges_list(struct fdpblk_dev *fd,
				struct fdpblk_range_rank *out,
				unsigned int room)
{
	const struct fdpblk_range_table *t;
	unsigned int i;

	lockdep_assert_held(&fd->lock);
	t = rcu_dereference_protected(fd->ranges, lockdep_is_held(&fd->lock));
	if (!t)
		return 0;
	for (i = 0; i < min(room, t->nr); i++) {
		out[i].start = t->r[i].start;
		out[i].nr_sectors = t->r[i].end - t->r[i].start;
		out[i].rank = t->r[i].rank;
		out[i].reserved = 0;
	}
	return t->nr;
}

unsigned int fdpblk_ranges_count(struct fdpblk_dev *fd)
{
	const struct fdpblk_range_table *t;
	unsigned int nr;

	rcu_read_lock();
	t = rcu_dereference(fd->ranges);
	nr = t ? t->nr : 0;
	rcu_read_unlock();
	return nr;
}

/* ---- cgroup ranks ------------------------------------------------------- */

/*
 * A cgroup's rank. The entry pins the cgroup, so that the rank of a cgroup
 * that was removed can be told from a live one (cgroup ids are never
 * reused): such ranks stop counting against the limit. Immutable once
 * published; replaced whole and freed after a grace period.
 */
struct fdpblk_cgroup_entry {
	struct rcu_head rcu;
	struct cgroup *cgrp;
	u32 rank;
};

static void fdpblk_cgroup_entry_free(struct fdpblk_cgroup_entry *e)
{
	cgroup_put(e->cgrp);
	kfree_rcu(e, rcu);
}

/* Drop the ranks of cgroups that were removed. */
static void fdpblk_cgroup_ranks_prune(struct fdpblk_dev *fd)
{
	struct fdpblk_cgroup_entry *e;
	unsigned long id;

	lockdep_assert_held(&fd->lock);
	xa_for_each(&fd->cgroup_ranks, id, e) {
		if (!cgroup_is_dead(e->cgrp))
			continue;
		xa_erase(&fd->cgroup_ranks, id);
		fd->nr_cgroup_ranks--;
		fdpblk_cgroup_entry_free(e);
	}
}

static int fdpblk_cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Fields valid and no cgroup named twice: bad input changes nothing. */
static int fdpblk_cgroup_batch_check(const struct fdpblk_cgroup_rank *c,
				     unsigned int nr, bool clear)
{
	unsigned int i;
	u64 *ids;
	int ret = 0;

	for (i = 0; i < nr; i++)
		if (c[i].reserved || !c[i].cgroup_id || (clear && c[i].rank))
			return -EINVAL;
	if (nr < 2)
		return 0;
	ids = kvmalloc_array(nr, sizeof(*ids), GFP_KERNEL);
	if (!ids)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		ids[i] = c[i].cgroup_id;
	sort(ids, nr, sizeof(*ids), fdpblk_cmp_u64, NULL);
	for (i = 1; i < nr; i++)
		if (ids[i] == ids[i - 1])
			ret = -EINVAL;
	kvfree(ids);
	return ret;
}

/* Ranks of the batch not yet in the device. */
static unsigned int fdpblk_cgroup_ranks_new(struct fdpblk_dev *fd,
					    const struct fdpblk_cgroup_rank *c,
					    unsigned int nr)
{
	unsigned int i, added = 0;

	for (i = 0; i < nr; i++)
		added += !xa_load(&fd->cgroup_ranks, c[i].cgroup_id);
	return added;
}

/*
 * Set or clear ranks for a batch of cgroups. The whole batch is checked
 * first (fields, no duplicates, existence of the cgroups to rank, presence
 * of the ranks to clear, room), and every entry is allocated before the
 * device is touched, so bad input or a failed allocation changes nothing.
 * A clear takes ids, so the rank of a removed cgroup can be cleared.
 */
int fdpblk_cgroup_ranks_update(struct fdpblk_dev *fd,
			       const struct fdpblk_cgroup_rank *c,
			       unsigned int nr, bool clear)
{
	struct fdpblk_cgroup_entry **new = NULL;
	unsigned int i;
	int ret;

	ret = fdpblk_cgroup_batch_check(c, nr, clear);
	if (ret)
		return ret;
	if (!clear) {
		new = kvcalloc(nr, sizeof(*new), GFP_KERNEL);
		if (!new)
			return -ENOMEM;
		for (i = 0; i < nr; i++) {
			struct cgroup *cgrp = cgroup_get_from_id(c[i].cgroup_id);

			if (IS_ERR(cgrp)) {
				ret = -ENOENT;
				goto out_free;
			}
			new[i] = kmalloc_obj(*new[i], GFP_KERNEL);
			if (!new[i]) {
				cgroup_put(cgrp);
				ret = -ENOMEM;
				goto out_free;
			}
			new[i]->cgrp = cgrp;
			new[i]->rank = c[i].rank;
		}
	}

	mutex_lock(&fd->lock);
	for (i = 0; clear && i < nr; i++) {
		if (!xa_load(&fd->cgroup_ranks, c[i].cgroup_id)) {
			ret = -ENOENT;
			goto out_unlock;
		}
	}
	if (!clear && fd->nr_cgroup_ranks + fdpblk_cgroup_ranks_new(fd, c, nr) >
		      fdpblk_max_cgroup_ranks) {
		fdpblk_cgroup_ranks_prune(fd);
		if (fd->nr_cgroup_ranks + fdpblk_cgroup_ranks_new(fd, c, nr) >
		    fdpblk_max_cgroup_ranks) {
			ret = -ENOSPC;
			goto out_unlock;
		}
	}
	/* Room for every new entry first: the stores below cannot fail. */
	for (i = 0; !clear && i < nr; i++) {
		ret = xa_reserve(&fd->cgroup_ranks, c[i].cgroup_id, GFP_KERNEL);
		if (ret) {
			while (i--)
				xa_release(&fd->cgroup_ranks, c[i].cgroup_id);
			goto out_unlock;
		}
	}
	for (i = 0; i < nr; i++) {
		struct fdpblk_cgroup_entry *old;

		if (clear) {
			old = xa_erase(&fd->cgroup_ranks, c[i].cgroup_id);
			fd->nr_cgroup_ranks--;
			fdpblk_cgroup_entry_free(old);
			continue;
		}
		old = xa_store(&fd->cgroup_ranks, c[i].cgroup_id, new[i],
			       GFP_KERNEL);
		new[i] = NULL;
		if (old)
			fdpblk_cgroup_entry_free(old);
		else
			fd->nr_cgroup_ranks++;
	}
out_unlock:
	mutex_unlock(&fd->lock);
out_free:
	for (i = 0; new && i < nr && new[i]; i++) {
		cgroup_put(new[i]->cgrp);
		kfree(new[i]);
	}
	kvfree(new);
	return ret;
}

void fdpblk_cgroup_ranks_clear_all(struct fdpblk_dev *fd)
{
	struct fdpblk_cgroup_entry *e;
	unsigned long id;

	mutex_lock(&fd->lock);
	xa_for_each(&fd->cgroup_ranks, id, e) {
		xa_erase(&fd->cgroup_ranks, id);
		fdpblk_cgroup_entry_free(e);
	}
	fd->nr_cgroup_ranks = 0;
	mutex_unlock(&fd->lock);
}

/* Caller holds fd->lock; returns how many the device has. */
unsigned int fdpblk_cgroup_ranks_list(struct fdpblk_dev *fd,
				      struct fdpblk_cgroup_rank *out,
				      unsigned int room)
{
	struct fdpblk_cgroup_entry *e;
	unsigned int i = 0;
	unsigned long id;

	lockdep_assert_held(&fd->lock);
	xa_for_each(&fd->cgroup_ranks, id, e) {
		if (i < room) {
			out[i].cgroup_id = id;
			out[i].rank = e->rank;
			out[i].reserved = 0;
		}
		i++;
	}
	return i;
}

void fdpblk_policy_free_all(struct fdpblk_dev *fd)
{
	struct fdpblk_cgroup_entry *e;
	unsigned long id;

	kfree(rcu_access_pointer(fd->policy));
	kvfree(rcu_access_pointer(fd->ranges));
	/* No reader is left: the disk is being freed. */
	xa_for_each(&fd->cgroup_ranks, id, e) {
		cgroup_put(e->cgrp);
		kfree(e);
	}
	xa_destroy(&fd->cgroup_ranks);
}

/* ---- classification (per write, under RCU, no locks, no allocation) ----- */

/*
 * Metadata: REQ_META, or a write from the device's own page cache while a
 * file system holds the device: buffer-head metadata such as ext4's and its
 * jbd2 journal's, which carry no REQ_META. A file system claims the device
 * with holder operations (fs_holder_ops); an O_EXCL opener such as mkfs or
 * a database writing through the page cache claims it without, and its
 * writes are data.
 */
bool fdpblk_bio_is_meta(struct bio *bio)
{
	/* The whole device or the partition the file system is on. */
	struct block_device *bdev = bio->bi_bdev;

	if (bio->bi_opf & REQ_META)
		return true;
	/*
	 * bd_holder_ops changes only on claim and release; a stale answer
	 * for a write racing with a mount or umount is harmless.
	 */
	if (!data_race(bdev->bd_holder_ops))
		return false;
	/*
	 * The page at bi_iter, not the first bvec: splits and stacked
	 * drivers hand us clones, and a bvec iterator may start further on.
	 */
	return READ_ONCE(page_folio(bio_page(bio))->mapping) == bdev->bd_mapping;
}

/*
 * The rank of the range holding the bio's first sector. Sets *split when
 * the bio runs past that range, or into a range from outside, so that each
 * part is placed by its own rule; except for an atomic write, which must
 * stay one command and is placed whole by its first sector.
 */
static bool fdpblk_range_rank(struct fdpblk_dev *fd, struct bio *bio,
			      u32 *rank, unsigned int *split)
{
	const struct fdpblk_range_table *t = rcu_dereference(fd->ranges);
	sector_t s = bio->bi_iter.bi_sector, e = bio_end_sector(bio);
	u64 cut = e;
	bool found;

	if (!t)
		return false;
	found = fdpblk_rules_range(t->r, t->nr, s, e, rank, &cut);
	if (cut < e && !(bio->bi_opf & REQ_ATOMIC))
		*split = cut - s;
	return found;
}

/* The rank of the bio's cgroup or of its nearest ancestor that has one. */
static bool fdpblk_cgroup_rank(struct fdpblk_dev *fd, struct bio *bio,
			       u32 *rank)
{
	struct cgroup_subsys_state *css;
	struct cgroup *cgrp;

	if (xa_empty(&fd->cgroup_ranks))
		return false;
	css = bio_blkcg_css(bio);
	if (!css)
		return false;
	for (cgrp = css->cgroup; cgrp; cgrp = cgroup_parent(cgrp)) {
		const struct fdpblk_cgroup_entry *e =
			xa_load(&fd->cgroup_ranks, cgroup_id(cgrp));

		if (e) {
			*rank = e->rank;
			return true;
		}
	}
	return false;
}

/*
 * The placement handle of a write with data, by the first rule that
 * applies (fdpblk-rules.h: meta, stream, range, cgroup, hint, default).
 * Here only the inputs are computed from the bio, each only where the
 * rules read it. *split is set (sectors) when the bio must be split at an
 * LBA-range boundary first.
 */
u16 fdpblk_classify(struct fdpblk_dev *fd, struct bio *bio,
		    enum fdpblk_source *src, unsigned int *split)
{
	const struct fdpblk_policy_table *p;
	struct fdpblk_rules_table t;
	struct fdpblk_rules_in in = {
		.sector = bio->bi_iter.bi_sector,
		.stream = bio->bi_write_stream,
		.hint = bio->bi_write_hint,
	};
	u16 ph;

	/* The kernel's hash_64 and the rules' copy must agree. */
	BUILD_BUG_ON(fdpblk_rules_meta_hash(0x123456789abcdefULL) !=
		     hash_64(0x123456789abcdefULL, 32));

	*split = 0;
	rcu_read_lock();
	p = rcu_dereference(fd->policy);
	t = (struct fdpblk_rules_table){
		.hint_map = p->hint_map,
		.stream_map = p->stream_map,
		.data_pool = p->data_pool,
		.meta_pool = p->meta_pool,
		.data_pool_len = p->data_pool_len,
		.meta_pool_len = p->meta_pool_len,
		.nr_streams = fd->nr_streams,
		.meta_chunk_shift = p->meta_chunk_shift,
		.default_ph = p->default_ph,
	};
	in.is_meta = p->meta_pool_len && fdpblk_bio_is_meta(bio);
	if (fdpblk_rules_want_ranks(&t, &in)) {
		in.has_range_rank = fdpblk_range_rank(fd, bio, &in.range_rank,
						      split);
		in.has_cgroup_rank = !in.has_range_rank &&
				     fdpblk_cgroup_rank(fd, bio, &in.cgroup_rank);
	}
	ph = fdpblk_rules_place(&t, &in, src);
	rcu_read_unlock();
	return ph;
}
