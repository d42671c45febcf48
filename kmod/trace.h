/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk tracepoints: one event per write, discard and write-zeroes that
 * reaches a device, with the inputs of its classification and the
 * placement fdpblk chose. fdpctl trace records them (README).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fdpblk

#if !defined(_FDPBLK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FDPBLK_TRACE_H

#include <linux/blk-cgroup.h>
#include <linux/blkdev.h>
#include <linux/cgroup.h>
#include <linux/tracepoint.h>

#include "fdpblk.h"

#ifndef _FDPBLK_TRACE_OP
#define _FDPBLK_TRACE_OP
/* The event's op: REQ_OP_* are __bitwise, which TRACE_DEFINE_ENUM cannot take. */
enum fdpblk_trace_op {
	FDPBLK_OP_WRITE,
	FDPBLK_OP_DISCARD,
	FDPBLK_OP_WRITE_ZEROES,
};

/* For a bio the event's condition let through. */
static inline enum fdpblk_trace_op fdpblk_trace_op(struct bio *bio)
{
	if (bio_op(bio) == REQ_OP_DISCARD)
		return FDPBLK_OP_DISCARD;
	if (bio_op(bio) == REQ_OP_WRITE_ZEROES)
		return FDPBLK_OP_WRITE_ZEROES;
	return FDPBLK_OP_WRITE;
}

/* The id of the bio's blkcg, as fdpblk's cgroup ranks look it up; 0: none. */
static inline u64 fdpblk_trace_cgroup(struct bio *bio)
{
	struct cgroup_subsys_state *css = bio_blkcg_css(bio);

	return css ? cgroup_id(css->cgroup) : 0;
}
#endif

/*
 * The enums by value in the event's format file, so that perf, trace-cmd
 * and fdpctl trace (libtraceevent) read their names, whatever numbers
 * they have. FDPBLK_NR_SOURCES is the source of what no rule placed: a
 * discard, a write-zeroes, a write on a passthrough device.
 */
TRACE_DEFINE_ENUM(FDPBLK_SRC_META);
TRACE_DEFINE_ENUM(FDPBLK_SRC_STREAM);
TRACE_DEFINE_ENUM(FDPBLK_SRC_RANGE);
TRACE_DEFINE_ENUM(FDPBLK_SRC_CGROUP);
TRACE_DEFINE_ENUM(FDPBLK_SRC_HINT);
TRACE_DEFINE_ENUM(FDPBLK_SRC_DEFAULT);
TRACE_DEFINE_ENUM(FDPBLK_NR_SOURCES);
TRACE_DEFINE_ENUM(FDPBLK_OP_WRITE);
TRACE_DEFINE_ENUM(FDPBLK_OP_DISCARD);
TRACE_DEFINE_ENUM(FDPBLK_OP_WRITE_ZEROES);

/*
 * The classification inputs are read only while the event is on: the
 * condition and TP_fast_assign run behind the tracepoint's static key.
 */
TRACE_EVENT_CONDITION(fdpblk_place,
		      TP_PROTO(struct gendisk *disk, struct bio *bio,
			       enum fdpblk_source src, u16 ph),
		      TP_ARGS(disk, bio, src, ph),
		      TP_CONDITION((bio_op(bio) == REQ_OP_WRITE &&
				    bio_has_data(bio)) ||
				   bio_op(bio) == REQ_OP_DISCARD ||
				   bio_op(bio) == REQ_OP_WRITE_ZEROES),
		      TP_STRUCT__entry(__field(dev_t, dev)
				       __field(sector_t, sector)
				       __field(unsigned int, nr_sectors)
				       __field(unsigned int, source)
				       __field(u16, ph)
				       __field(u8, op)
				       __field(u8, hint)
				       __field(u8, stream)
				       __field(u8, meta)
				       __field(u64, cgroup)),
		      TP_fast_assign(__entry->dev = disk_devt(disk);
				     __entry->sector = bio->bi_iter.bi_sector;
				     __entry->nr_sectors = bio_sectors(bio);
				     __entry->source = src;
				     __entry->ph = ph;
				     __entry->op = fdpblk_trace_op(bio);
				     __entry->hint = bio->bi_write_hint;
				     __entry->stream = bio->bi_write_stream;
				     __entry->meta = bio_op(bio) == REQ_OP_WRITE &&
						     fdpblk_bio_is_meta(bio);
				     __entry->cgroup = fdpblk_trace_cgroup(bio);),
		      TP_printk("%d,%d op=%s sector=%llu nr_sectors=%u source=%s ph=%u hint=%u stream=%u meta=%u cgroup=%llu",
				MAJOR(__entry->dev), MINOR(__entry->dev),
				__print_symbolic(__entry->op,
						 { FDPBLK_OP_WRITE, "write" },
						 { FDPBLK_OP_DISCARD, "discard" },
						 { FDPBLK_OP_WRITE_ZEROES, "write-zeroes" }),
				(unsigned long long)__entry->sector,
				__entry->nr_sectors,
				__print_symbolic(__entry->source,
						 { FDPBLK_SRC_META, "meta" },
						 { FDPBLK_SRC_STREAM, "stream" },
						 { FDPBLK_SRC_RANGE, "range" },
						 { FDPBLK_SRC_CGROUP, "cgroup" },
						 { FDPBLK_SRC_HINT, "hint" },
						 { FDPBLK_SRC_DEFAULT, "default" },
						 { FDPBLK_NR_SOURCES, "none" }),
				__entry->ph, __entry->hint, __entry->stream,
				__entry->meta, (unsigned long long)__entry->cgroup)
);

#endif /* _FDPBLK_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
