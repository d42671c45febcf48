/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpctl trace: one recorded I/O, and the plain text trace format that
 * fdpctl trace writes (and fdpctl model reads), one I/O a line:
 *
 *   w SECTOR SECTORS [hint=H] [stream=S] [meta=1] [cgroup=ID] [ph=P]
 *   d SECTOR SECTORS
 *
 * sectors of 512 bytes; "#" starts a comment. A discard and a
 * write-zeroes are both "d": each leaves the sectors without valid data
 * for the device's garbage collection.
 *
 * trace-event.c turns the module's fdpblk:fdpblk_place events into these
 * with libtraceevent; nothing here needs a library.
 */
#ifndef FDPCTL_TRACE_REC_H
#define FDPCTL_TRACE_REC_H

#include <stddef.h>
#include <stdint.h>

enum trace_op {
	TRACE_WRITE,		/* "w" */
	TRACE_DISCARD,		/* "d": a discard or a write-zeroes */
};

/* The sources fdpctl counts: the event's names, in the order it gives. */
#define TRACE_MAX_SOURCES	16
/* A write whose source no name was given for. */
#define TRACE_SRC_UNKNOWN	TRACE_MAX_SOURCES

struct trace_rec {
	uint64_t ts;		/* ns, the trace clock (CLOCK_MONOTONIC) */
	uint64_t seq;		/* order read, for equal timestamps */
	uint64_t sector;	/* first sector, 512 bytes */
	uint64_t cgroup;	/* cgroup id of the bio's blkcg; 0: none */
	uint32_t sectors;	/* length, 512-byte sectors */
	uint16_t ph;		/* handle placed on; 0: no directive */
	uint8_t op;		/* enum trace_op */
	uint8_t hint;		/* write hint; 0: none */
	uint8_t stream;		/* write stream on the fdpblk device; 0: none */
	uint8_t meta;		/* 1: fdpblk took it for metadata */
	uint8_t src;		/* index of its source's name, TRACE_SRC_UNKNOWN */
	uint8_t none;		/* 1: placed by no rule (passthrough) */
};

/* The longest line trace_rec_line() writes, with its newline and NUL. */
#define TRACE_LINE_MAX	128

/*
 * @r as a line of the text format, with its newline, into @buf (at least
 * TRACE_LINE_MAX bytes). A write's keys are written when set (hint,
 * stream, meta, cgroup) and its ph always: the placement it got. Returns
 * the line's length.
 */
int trace_rec_line(const struct trace_rec *r, char *buf);

/* qsort() order: by timestamp, then in the order read. */
int trace_rec_cmp(const void *a, const void *b);

#endif /* FDPCTL_TRACE_REC_H */
