/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk tracepoints: one event per placed write.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fdpblk

#if !defined(_FDPBLK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _FDPBLK_TRACE_H

#include <linux/blkdev.h>
#include <linux/tracepoint.h>

#include "fdpblk.h"

/*
 * The sources by value in the event's format file, so that perf and
 * trace-cmd (libtraceevent) print their names.
 */
TRACE_DEFINE_ENUM(FDPBLK_SRC_META);
TRACE_DEFINE_ENUM(FDPBLK_SRC_STREAM);
TRACE_DEFINE_ENUM(FDPBLK_SRC_RANGE);
TRACE_DEFINE_ENUM(FDPBLK_SRC_CGROUP);
TRACE_DEFINE_ENUM(FDPBLK_SRC_HINT);
TRACE_DEFINE_ENUM(FDPBLK_SRC_DEFAULT);

TRACE_EVENT(fdpblk_place,
	    TP_PROTO(struct gendisk *disk, struct bio *bio,
		     enum fdpblk_source src, u16 ph),
	    TP_ARGS(disk, bio, src, ph),
	    TP_STRUCT__entry(__field(dev_t, dev)
			     __field(sector_t, sector)
			     __field(unsigned int, nr_sectors)
			     __field(unsigned int, source)
			     __field(u16, ph)),
	    TP_fast_assign(__entry->dev = disk_devt(disk);
			   __entry->sector = bio->bi_iter.bi_sector;
			   __entry->nr_sectors = bio_sectors(bio);
			   __entry->source = src;
			   __entry->ph = ph;),
	    TP_printk("%d,%d sector=%llu nr_sectors=%u source=%s ph=%u",
		      MAJOR(__entry->dev), MINOR(__entry->dev),
		      (unsigned long long)__entry->sector, __entry->nr_sectors,
		      __print_symbolic(__entry->source,
				       { FDPBLK_SRC_META, "meta" },
				       { FDPBLK_SRC_STREAM, "stream" },
				       { FDPBLK_SRC_RANGE, "range" },
				       { FDPBLK_SRC_CGROUP, "cgroup" },
				       { FDPBLK_SRC_HINT, "hint" },
				       { FDPBLK_SRC_DEFAULT, "default" }),
		      __entry->ph)
);

#endif /* _FDPBLK_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace

#include <trace/define_trace.h>
