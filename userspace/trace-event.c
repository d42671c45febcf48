// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl trace: decoding fdpblk:fdpblk_place with libtraceevent
 * (trace-event.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace-event.h"

/*
 * The symbols of the __print_symbolic() that prints field @name in the
 * event's print format, into @syms (room for @max): how many, or -1 if
 * the format prints @name no such way or has more than @max of them.
 */
static int field_symbols(struct tep_event *ev, const char *name,
			 struct trace_sym *syms, unsigned int max)
{
	struct tep_print_flag_sym *s;
	struct tep_print_arg *a, *f;
	unsigned int n = 0;
	char *end;

	for (a = ev->print_fmt.args; a; a = a->next) {
		if (a->type != TEP_PRINT_SYMBOL)
			continue;
		f = a->symbol.field;
		if (!f || f->type != TEP_PRINT_FIELD || strcmp(f->field.name, name))
			continue;
		for (s = a->symbol.symbols; s; s = s->next) {
			if (n == max)
				return -1;
			syms[n].value = strtoull(s->value, &end, 0);
			/* An enum the kernel did not turn into its value. */
			if (end == s->value || *end)
				return -1;
			syms[n++].name = s->str;
		}
		return n;
	}
	return -1;
}

int trace_event_init(struct trace_event *te, struct tep_event *ev,
		     char *err, size_t len)
{
	static const struct {
		const char *name;
		size_t off;
	} fields[] = {
#define F(x) { #x, offsetof(struct trace_event, x) }
		F(dev), F(sector), F(nr_sectors), F(op), F(hint), F(stream),
		F(meta), F(cgroup), F(source), F(ph),
#undef F
	};
	unsigned int i;
	int n;

	memset(te, 0, sizeof(*te));
	te->ev = ev;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		struct tep_format_field *f = tep_find_field(ev, fields[i].name);

		if (!f) {
			snprintf(err, len, "%s:%s has no field %s",
				 TRACE_SYSTEM_NAME, TRACE_EVENT_NAME, fields[i].name);
			return -1;
		}
		*(struct tep_format_field **)((char *)te + fields[i].off) = f;
	}
	for (i = 0; i < 2; i++) {
		const char *name = i ? "source" : "op";

		n = field_symbols(ev, name, i ? te->srcs : te->ops,
				  i ? TRACE_MAX_SOURCES : TRACE_MAX_OPS);
		if (n < 0) {
			snprintf(err, len, "%s:%s does not name its %s values",
				 TRACE_SYSTEM_NAME, TRACE_EVENT_NAME, name);
			return -1;
		}
		*(i ? &te->nr_srcs : &te->nr_ops) = n;
	}
	return 0;
}

static const char *sym_name(const struct trace_sym *syms, unsigned int n,
			    unsigned long long v, unsigned int *idx)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (syms[i].value == v) {
			*idx = i;
			return syms[i].name;
		}
	}
	*idx = n;
	return NULL;
}

static unsigned long long num(struct tep_format_field *f, void *data)
{
	unsigned long long v = 0;

	tep_read_number_field(f, data, &v);
	return v;
}

int trace_event_decode(const struct trace_event *te, void *data,
		       struct trace_rec *r, unsigned long long *dev)
{
	const char *op, *src;
	unsigned int idx;

	op = sym_name(te->ops, te->nr_ops, num(te->op, data), &idx);
	if (!op)
		return -1;
	if (!strcmp(op, "write"))
		r->op = TRACE_WRITE;
	else if (!strcmp(op, "discard") || !strcmp(op, "write-zeroes"))
		r->op = TRACE_DISCARD;
	else
		return -1;
	*dev = num(te->dev, data);
	r->sector = num(te->sector, data);
	r->sectors = num(te->nr_sectors, data);
	r->hint = num(te->hint, data);
	r->stream = num(te->stream, data);
	r->meta = !!num(te->meta, data);
	r->cgroup = num(te->cgroup, data);
	r->ph = num(te->ph, data);
	src = sym_name(te->srcs, te->nr_srcs, num(te->source, data), &idx);
	r->src = src ? idx : TRACE_SRC_UNKNOWN;
	r->none = src && !strcmp(src, "none");
	return 0;
}
