// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl trace: a recorded I/O as a line of the plain text trace format
 * (trace-rec.h), and the order records are written in.
 */
#include <inttypes.h>
#include <stdio.h>

#include "trace-rec.h"

int trace_rec_line(const struct trace_rec *r, char *buf)
{
	int n;

	if (r->op != TRACE_WRITE)
		return snprintf(buf, TRACE_LINE_MAX, "d %" PRIu64 " %" PRIu32 "\n",
				r->sector, r->sectors);
	n = snprintf(buf, TRACE_LINE_MAX, "w %" PRIu64 " %" PRIu32,
		     r->sector, r->sectors);
	if (r->hint)
		n += snprintf(buf + n, TRACE_LINE_MAX - n, " hint=%u", r->hint);
	if (r->stream)
		n += snprintf(buf + n, TRACE_LINE_MAX - n, " stream=%u", r->stream);
	if (r->meta)
		n += snprintf(buf + n, TRACE_LINE_MAX - n, " meta=1");
	if (r->cgroup)
		n += snprintf(buf + n, TRACE_LINE_MAX - n, " cgroup=%" PRIu64,
			      r->cgroup);
	n += snprintf(buf + n, TRACE_LINE_MAX - n, " ph=%u\n", r->ph);
	return n;
}

int trace_rec_cmp(const void *a, const void *b)
{
	const struct trace_rec *x = a, *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}
