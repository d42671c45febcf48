/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk's per-write resolution rules: the one copy, compiled into the
 * module (policy.c, fdpblk_classify()) and into fdpctl (the offline
 * classification of fdpctl model), so that a trace classified offline
 * lands on the ph the kernel chose. A pure function over plain inputs: no
 * bio, no RCU, no allocation, no lock; the caller computes the inputs.
 *
 * First rule that applies wins (DESIGN.md, "Per-write resolution"):
 * metadata, stream, LBA-range rank, cgroup rank, write hint, default.
 */
#ifndef FDPBLK_RULES_H
#define FDPBLK_RULES_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
/* fdpctl's u16, u32, u64 and bool (userspace/ktypes.h). */
#include "ktypes.h"
#endif
#include <linux/fdpblk.h>

/* Which resolution rule placed a write (DESIGN order, first wins). */
enum fdpblk_source {
	FDPBLK_SRC_META,
	FDPBLK_SRC_STREAM,
	FDPBLK_SRC_RANGE,
	FDPBLK_SRC_CGROUP,
	FDPBLK_SRC_HINT,
	FDPBLK_SRC_DEFAULT,
	FDPBLK_NR_SOURCES,
};

/* A source's name, as statistics and traces spell it. */
static inline const char *fdpblk_rules_source_name(enum fdpblk_source src)
{
	switch (src) {
	case FDPBLK_SRC_META:
		return "meta";
	case FDPBLK_SRC_STREAM:
		return "stream";
	case FDPBLK_SRC_RANGE:
		return "range";
	case FDPBLK_SRC_CGROUP:
		return "cgroup";
	case FDPBLK_SRC_HINT:
		return "hint";
	case FDPBLK_SRC_DEFAULT:
		return "default";
	default:
		return "?";
	}
}

/* The hint numbers that block/fops.c also turns into streams. */
#define FDPBLK_LAST_HINT_STREAM		(FDPBLK_NR_HINTS - 1)

/* What the rules read of a policy table, and the device's stream count. */
struct fdpblk_rules_table {
	const u16 *hint_map;		/* [FDPBLK_NR_HINTS] */
	const u16 *stream_map;		/* [nr_streams + 1], may be FOLLOW_HINT */
	const u16 *data_pool;		/* [data_pool_len] */
	const u16 *meta_pool;		/* [meta_pool_len] */
	unsigned int data_pool_len;
	unsigned int meta_pool_len;
	unsigned int nr_streams;	/* V: the device's virtual streams */
	unsigned int meta_chunk_shift;	/* log2 of the chunk, in sectors */
	u16 default_ph;
};

/* One write, as the rules see it. */
struct fdpblk_rules_in {
	u64 sector;		/* first 512-byte sector */
	u32 stream;		/* bi_write_stream: 0 none, 1..V */
	u32 hint;		/* bi_write_hint: RWH_WRITE_LIFE_* */
	/* Read only while meta_pool_len: a caller may skip computing it. */
	bool is_meta;
	/* Read only where fdpblk_rules_want_ranks() says so. */
	bool has_range_rank;
	bool has_cgroup_rank;
	u32 range_rank;
	u32 cgroup_rank;
};

/* One LBA-range rank: sectors [start, end). */
struct fdpblk_range {
	u64 start;
	u64 end;
	u32 rank;
};

/*
 * The rank of the range holding sector @s of a write ending before @e, in
 * @nr sorted, non-overlapping ranges; true if there is one. *@cut gets the
 * sector where the write must be split so that each part is placed by its
 * own rule: the end of that range, or the start of a range it runs into
 * (left alone when there is neither).
 */
static inline bool fdpblk_rules_range(const struct fdpblk_range *r,
				      unsigned int nr, u64 s, u64 e,
				      u32 *rank, u64 *cut)
{
	unsigned int lo = 0, hi = nr;

	/* The first range ending after s. */
	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (r[mid].end <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == nr)
		return false;
	r += lo;
	if (r->start <= s) {
		if (e > r->end)
			*cut = r->end;
		*rank = r->rank;
		return true;
	}
	if (r->start < e)
		*cut = r->start;
	return false;
}

/*
 * The chunk hash that spreads metadata over the metadata pool: the
 * kernel's hash_64(chunk, 32) written out, val * GOLDEN_RATIO_64 >> 32
 * (include/linux/hash.h, hash_64_generic() for 64-bit; lib/test_hash.c
 * holds every architecture's own hash_64 to the same values, and fdpblk
 * is 64-bit only). Here so that fdpctl hashes as the module does; the
 * module checks at build time that it equals hash_64 (policy.c), and
 * fdpctl's unit tests pin its values.
 */
static inline u32 fdpblk_rules_meta_hash(u64 chunk)
{
	return (u32)((chunk * 0x61C8864680B583EBull) >> 32);
}

/* An explicit stream: block/fops.c's hint-as-stream is placed as a hint. */
static inline bool fdpblk_rules_stream(const struct fdpblk_rules_table *t,
				       const struct fdpblk_rules_in *in)
{
	/*
	 * block/fops.c turns an O_DIRECT write's hint h into stream h and
	 * leaves the hint on the bio: such a write is placed as its hint,
	 * like the same hint arriving by buffered writeback.
	 */
	return in->stream && in->stream <= t->nr_streams &&
	       !(in->stream == in->hint &&
		 in->stream <= FDPBLK_LAST_HINT_STREAM);
}

/*
 * Whether the rank rules are reached, so that the caller looks the ranks
 * up (and splits a write at a range boundary) only then.
 */
static inline bool fdpblk_rules_want_ranks(const struct fdpblk_rules_table *t,
					   const struct fdpblk_rules_in *in)
{
	return !(t->meta_pool_len && in->is_meta) &&
	       !fdpblk_rules_stream(t, in) && t->data_pool_len;
}

/* The ph of a write with data, and in *src the rule that chose it. */
static inline u16 fdpblk_rules_place(const struct fdpblk_rules_table *t,
				     const struct fdpblk_rules_in *in,
				     enum fdpblk_source *src)
{
	u16 ph;

	if (t->meta_pool_len && in->is_meta) {
		u64 chunk = in->sector >> t->meta_chunk_shift;

		*src = FDPBLK_SRC_META;
		return t->meta_pool[fdpblk_rules_meta_hash(chunk) %
				    t->meta_pool_len];
	}
	if (fdpblk_rules_stream(t, in)) {
		*src = FDPBLK_SRC_STREAM;
		ph = t->stream_map[in->stream];
		return ph == FDPBLK_PH_FOLLOW_HINT ? t->hint_map[in->stream] : ph;
	}
	if (t->data_pool_len && in->has_range_rank) {
		*src = FDPBLK_SRC_RANGE;
		return t->data_pool[in->range_rank % t->data_pool_len];
	}
	if (t->data_pool_len && in->has_cgroup_rank) {
		*src = FDPBLK_SRC_CGROUP;
		return t->data_pool[in->cgroup_rank % t->data_pool_len];
	}
	/* 0 is RWH_WRITE_LIFE_NOT_SET: no hint. */
	if (in->hint && in->hint < FDPBLK_NR_HINTS) {
		*src = FDPBLK_SRC_HINT;
		return t->hint_map[in->hint];
	}
	*src = FDPBLK_SRC_DEFAULT;
	return t->default_ph;
}

#endif /* FDPBLK_RULES_H */
