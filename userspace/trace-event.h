/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpctl trace: the module's fdpblk:fdpblk_place event read with
 * libtraceevent. Fields are found by name and the op and source enums by
 * the names the event's format gives them (TRACE_DEFINE_ENUM), so that a
 * module that renumbers them is still read right.
 */
#ifndef FDPCTL_TRACE_EVENT_H
#define FDPCTL_TRACE_EVENT_H

#include <stddef.h>

#include <event-parse.h>

#include "trace-rec.h"

#define TRACE_SYSTEM_NAME	"fdpblk"
#define TRACE_EVENT_NAME	"fdpblk_place"
#define TRACE_MAX_OPS		8

/* A value of an enum field and the name the format gives it. */
struct trace_sym {
	unsigned long long value;
	const char *name;		/* the event's; lives as long as it */
};

struct trace_event {
	struct tep_event *ev;
	struct tep_format_field *dev, *sector, *nr_sectors, *op, *hint,
				*stream, *meta, *cgroup, *source, *ph;
	struct trace_sym ops[TRACE_MAX_OPS];
	unsigned int nr_ops;
	struct trace_sym srcs[TRACE_MAX_SOURCES];
	unsigned int nr_srcs;
};

/*
 * Find @ev's fields and enum names. 0, or -1 with what is missing in
 * @err (a module older than this fdpctl).
 */
int trace_event_init(struct trace_event *te, struct tep_event *ev,
		     char *err, size_t len);

/*
 * Decode one event's @data into @r (all but ts and seq), and its device
 * into *@dev. 0; -1 when its op has a name fdpctl does not know.
 */
int trace_event_decode(const struct trace_event *te, void *data,
		       struct trace_rec *r, unsigned long long *dev);

#endif /* FDPCTL_TRACE_EVENT_H */
