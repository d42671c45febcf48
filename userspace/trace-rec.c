// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl trace: a recorded I/O as a line of the plain text trace format
 * (trace-rec.h), and the order records are written in.
 */
#include "trace-rec.h"
#include "tracefile.h"

int trace_rec_line(const struct trace_rec *r, char *buf)
{
	/* Every recorded write says its ph, 0 (no directive) too. */
	struct trace_io io = {
		.discard = r->op != TRACE_WRITE,
		.meta = r->meta,
		.has_ph = true,
		.hint = r->hint,
		.stream = r->stream,
		.ph = r->ph,
		.nr_sectors = r->sectors,
		.sector = r->sector,
		.cgroup = r->cgroup,
	};

	return trace_line(&io, buf, TRACE_LINE_MAX);
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
