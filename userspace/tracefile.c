// SPDX-License-Identifier: GPL-2.0
/*
 * The plain text trace (tracefile.h). A hand-written scanner, not
 * sscanf(): fdpctl model reads 10^8 lines of it.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tracefile.h"

void trace_open(struct trace_reader *r, FILE *f, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->f = f;
	r->name = name;
}

void trace_close(struct trace_reader *r)
{
	free(r->buf);
	r->buf = NULL;
	trace_cgroups_free(&r->cg);
}

/* The index of @id in @s, or where it would go. */
static size_t cg_index(const struct trace_cgroups *s, uint64_t id)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const struct trace_cgroup *trace_cgroups_find(const struct trace_cgroups *s,
					       uint64_t id)
{
	size_t i = cg_index(s, id);

	return i < s->n && s->v[i].id == id ? &s->v[i] : NULL;
}

int trace_cgroups_add(struct trace_cgroups *s, uint64_t id, uint64_t parent)
{
	size_t i = cg_index(s, id);

	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct trace_cgroup *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
	s->v[i] = (struct trace_cgroup){ .id = id, .parent = parent };
	s->n++;
	return 0;
}

void trace_cgroups_free(struct trace_cgroups *s)
{
	free(s->v);
	*s = (struct trace_cgroups){ 0 };
}

int trace_cgroup_parent(const struct trace_reader *r, uint64_t id,
			uint64_t *parent)
{
	const struct trace_cgroup *c = trace_cgroups_find(&r->cg, id);

	if (!c)
		return 0;
	*parent = c->parent;
	return 1;
}

static int bad(const struct trace_reader *r, char *err, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(err, TRACEFILE_ERR_LEN, "%s:%lu: ", r->name, r->line);
	va_start(ap, fmt);
	vsnprintf(err + n, TRACEFILE_ERR_LEN - n, fmt, ap);
	va_end(ap);
	return -1;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* A decimal number up to @max ending at a blank or the end; advances *p. */
static int num(char **p, uint64_t max, uint64_t *v)
{
	char *s = *p;
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = *s - '0';

		if (d > max || x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	if (*s && !blank(*s))
		return -1;
	*p = s;
	*v = x;
	return 0;
}

static char *skip(char *s)
{
	while (blank(*s))
		s++;
	return s;
}

static const struct {
	const char *key;
	uint64_t max;
} fields[] = {
	{ "hint=", 5 },
	{ "stream=", 255 },
	{ "meta=", 1 },
	{ "cgroup=", UINT64_MAX },
	{ "ph=", 255 },
};

/* A c line after its 'c': ID PARENT, kept in r->cg. 0, or -1. */
static int parse_cgroup(struct trace_reader *r, char *s, char *err)
{
	const struct trace_cgroup *c;
	uint64_t id, parent;

	s = skip(s);
	if (num(&s, UINT64_MAX, &id) || !id)
		return bad(r, err, "c: ID must be a cgroup id, 1 or more");
	s = skip(s);
	if (num(&s, UINT64_MAX, &parent) || !parent)
		return bad(r, err, "c: PARENT must be a cgroup id, 1 or more");
	if (*skip(s))
		return bad(r, err, "c: ID PARENT, and nothing after them");
	if (parent == id)
		return bad(r, err, "c: cgroup %" PRIu64 " is its own parent", id);
	c = trace_cgroups_find(&r->cg, id);
	if (c && c->parent != parent)
		return bad(r, err, "c: cgroup %" PRIu64 " had parent %" PRIu64
			   " already", id, c->parent);
	if (!c && trace_cgroups_add(&r->cg, id, parent))
		return bad(r, err, "out of memory");
	return 0;
}

/* One line; 1: an I/O, 0: nothing on it (or a c line). */
static int parse_line(struct trace_reader *r, char *s, struct trace_io *io,
		      char *err)
{
	unsigned int seen = 0, i;
	uint64_t v;
	char *c = strchr(s, '#');

	if (c)
		*c = '\0';
	s = skip(s);
	if (!*s)
		return 0;
	memset(io, 0, sizeof(*io));
	if (*s == 'c' && blank(s[1]))
		return parse_cgroup(r, s + 1, err);
	if ((*s != 'w' && *s != 'd') || !blank(s[1]))
		return bad(r, err, "a line is w, d or c, not \"%.*s\"",
			   (int)strcspn(s, " \t\r\n"), s);
	io->discard = *s == 'd';
	s = skip(s + 1);
	if (num(&s, UINT64_MAX, &io->sector))
		return bad(r, err, "SECTOR must be a number of 512-byte sectors");
	s = skip(s);
	if (num(&s, UINT32_MAX, &v) || !v)
		return bad(r, err, "SECTORS must be 1..%" PRIu32, UINT32_MAX);
	io->nr_sectors = v;
	if (io->sector > UINT64_MAX - v)
		return bad(r, err, "SECTOR + SECTORS is beyond 2^64");
	for (s = skip(s); *s; s = skip(s)) {
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (!strncmp(s, fields[i].key, strlen(fields[i].key)))
				break;
		if (i == sizeof(fields) / sizeof(fields[0]) || io->discard)
			return bad(r, err, "unknown field \"%.*s\"%s",
				   (int)strcspn(s, " \t\r\n"), s,
				   io->discard ? " (d takes none)" : "");
		if (seen & (1U << i))
			return bad(r, err, "%.*s given twice",
				   (int)strlen(fields[i].key) - 1, s);
		seen |= 1U << i;
		s += strlen(fields[i].key);
		if (num(&s, fields[i].max, &v))
			return bad(r, err, "%.*s must be 0..%" PRIu64,
				   (int)strlen(fields[i].key) - 1,
				   fields[i].key, fields[i].max);
		switch (i) {
		case 0: io->hint = v; break;
		case 1: io->stream = v; break;
		case 2: io->meta = v; break;
		case 3: io->cgroup = v; break;
		case 4: io->ph = v; io->has_ph = true; break;
		}
	}
	return 1;
}

int trace_next(struct trace_reader *r, struct trace_io *io, char *err)
{
	ssize_t n;
	int ret;

	while ((n = getline(&r->buf, &r->cap, r->f)) >= 0) {
		r->line++;
		if ((size_t)n != strlen(r->buf))
			return bad(r, err, "a NUL byte: not a text trace");
		ret = parse_line(r, r->buf, io, err);
		if (ret)
			return ret;
	}
	if (ferror(r->f))
		return bad(r, err, "read error");
	return 0;
}

int trace_line(const struct trace_io *io, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%c %" PRIu64 " %" PRIu32, io->discard ? 'd' : 'w',
		     io->sector, io->nr_sectors);
	if (!io->discard) {
		if (io->hint)
			n += snprintf(buf + n, len - n, " hint=%u", io->hint);
		if (io->stream)
			n += snprintf(buf + n, len - n, " stream=%u", io->stream);
		if (io->meta)
			n += snprintf(buf + n, len - n, " meta=1");
		if (io->cgroup)
			n += snprintf(buf + n, len - n, " cgroup=%" PRIu64,
				      io->cgroup);
		if (io->has_ph)
			n += snprintf(buf + n, len - n, " ph=%u", io->ph);
	}
	n += snprintf(buf + n, len - n, "\n");
	return n;
}

int trace_cgroup_line(uint64_t id, uint64_t parent, char *buf, size_t len)
{
	return snprintf(buf, len, "c %" PRIu64 " %" PRIu64 "\n", id, parent);
}

void trace_write(FILE *f, const struct trace_io *io)
{
	char line[TRACE_IO_LINE_MAX];

	trace_line(io, line, sizeof(line));
	fputs(line, f);
}
