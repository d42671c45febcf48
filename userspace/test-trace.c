// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the text trace on the host: a record is one line of the
 * format fdpctl model reads (w with the keys that are set and ph always;
 * d for a discard or write-zeroes, without keys); the longest line fits;
 * records sort by timestamp, then in the order read. The event is read
 * as the kernel describes it: a format file like the module's, with its
 * enums given by value in an order of their own, decodes by field and
 * symbol names (not by fixed numbers or offsets); an op fdpctl does not
 * know is refused; a module without a field is named.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "trace-event.h"
#include "trace-rec.h"

static void line(const struct trace_rec *r, const char *want, const char *what)
{
	char buf[TRACE_LINE_MAX];
	int n = trace_rec_line(r, buf);

	/* The messages without the newline: one TAP line each. */
	check(!strcmp(buf, want) && n == (int)strlen(want),
	      "%s: \"%.*s\" (got \"%.*s\")", what, (int)strlen(want) - 1, want,
	      (int)strcspn(buf, "\n"), buf);
}

static void lines(void)
{
	struct trace_rec r = { .op = TRACE_WRITE, .sector = 2048, .sectors = 8,
			       .ph = 3 };
	char buf[TRACE_LINE_MAX];
	int n;

	line(&r, "w 2048 8 ph=3\n", "a write with no inputs: its ph");
	r.ph = 0;
	line(&r, "w 2048 8 ph=0\n", "ph 0 (no directive) is written");
	r = (struct trace_rec){ .op = TRACE_WRITE, .sector = 1, .sectors = 256,
				.hint = 2, .stream = 2, .meta = 1, .cgroup = 4242,
				.ph = 7 };
	line(&r, "w 1 256 hint=2 stream=2 meta=1 cgroup=4242 ph=7\n",
	     "every key, in the format's order");
	r = (struct trace_rec){ .op = TRACE_DISCARD, .sector = 4096,
				.sectors = 2048, .ph = 5, .hint = 1 };
	line(&r, "d 4096 2048\n", "a discard: sector and length only");
	r = (struct trace_rec){ .op = TRACE_WRITE, .sector = UINT64_MAX,
				.sectors = UINT32_MAX, .hint = 255, .stream = 255,
				.meta = 1, .cgroup = UINT64_MAX, .ph = 65535 };
	n = trace_rec_line(&r, buf);
	check(n < TRACE_LINE_MAX - 1 && buf[n - 1] == '\n',
	      "the longest line fits TRACE_LINE_MAX (%d bytes)", n);
}

static void order(void)
{
	struct trace_rec r[4] = {
		{ .ts = 30, .seq = 0, .sector = 3 },
		{ .ts = 10, .seq = 2, .sector = 2 },
		{ .ts = 10, .seq = 1, .sector = 1 },
		{ .ts = 40, .seq = 3, .sector = 4 },
	};

	qsort(r, 4, sizeof(r[0]), trace_rec_cmp);
	check(r[0].sector == 1 && r[1].sector == 2 && r[2].sector == 3 &&
	      r[3].sector == 4, "by timestamp, then in the order read");
}

/*
 * A format as the module's (kmod/trace.h), the enums by value as
 * TRACE_DEFINE_ENUM leaves them; the values and the field order are not
 * the module's, so that only names can read it right.
 */
static const char format[] =
"name: fdpblk_place\n"
"ID: 1234\n"
"format:\n"
"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
"\n"
"\tfield:u64 cgroup;\toffset:8;\tsize:8;\tsigned:0;\n"
"\tfield:sector_t sector;\toffset:16;\tsize:8;\tsigned:0;\n"
"\tfield:dev_t dev;\toffset:24;\tsize:4;\tsigned:0;\n"
"\tfield:unsigned int nr_sectors;\toffset:28;\tsize:4;\tsigned:0;\n"
"\tfield:unsigned int source;\toffset:32;\tsize:4;\tsigned:0;\n"
"\tfield:u16 ph;\toffset:36;\tsize:2;\tsigned:0;\n"
"\tfield:u8 op;\toffset:38;\tsize:1;\tsigned:0;\n"
"\tfield:u8 hint;\toffset:39;\tsize:1;\tsigned:0;\n"
"\tfield:u8 stream;\toffset:40;\tsize:1;\tsigned:0;\n"
"\tfield:u8 meta;\toffset:41;\tsize:1;\tsigned:0;\n"
"\n"
"print fmt: \"%d,%d op=%s sector=%llu nr_sectors=%u source=%s ph=%u hint=%u stream=%u meta=%u cgroup=%llu\", "
"((unsigned int) ((REC->dev) >> 20)), ((unsigned int) ((REC->dev) & ((1U << 20) - 1))), "
"__print_symbolic(REC->op, { 5, \"write\" }, { 6, \"discard\" }, { 7, \"write-zeroes\" }, { 8, \"secure-erase\" }), "
"(unsigned long long)REC->sector, REC->nr_sectors, "
"__print_symbolic(REC->source, { 10, \"meta\" }, { 11, \"stream\" }, { 12, \"range\" }, { 13, \"cgroup\" }, { 14, \"hint\" }, { 15, \"default\" }, { 16, \"none\" }), "
"REC->ph, REC->hint, REC->stream, REC->meta, (unsigned long long)REC->cgroup\n";

static void put(unsigned char *d, unsigned int off, uint64_t v, unsigned int size)
{
	memcpy(d + off, &v, size);	/* little-endian host, as the test bed */
}

static void event(unsigned char *d, unsigned int op, unsigned int src)
{
	memset(d, 0, 48);
	put(d, 0, 1234, 2);
	put(d, 8, 77, 8);		/* cgroup */
	put(d, 16, 123456, 8);		/* sector */
	put(d, 24, (259U << 20) | 3, 4);	/* dev */
	put(d, 28, 16, 4);		/* nr_sectors */
	put(d, 32, src, 4);
	put(d, 36, 4, 2);		/* ph */
	put(d, 38, op, 1);
	put(d, 39, 2, 1);		/* hint */
	put(d, 40, 9, 1);		/* stream */
	put(d, 41, 1, 1);		/* meta */
}

static void decode(void)
{
	struct tep_handle *tep = tep_alloc();
	unsigned char data[48];
	struct trace_event te;
	struct tep_event *ev;
	struct trace_rec r;
	unsigned long long dev;
	char err[128], buf[TRACE_LINE_MAX], *bad, *p;
	int ret;

	ret = tep && !tep_parse_event(tep, format, sizeof(format) - 1, "fdpblk") ? 0 : -1;
	ev = ret ? NULL : tep_find_event_by_name(tep, "fdpblk", "fdpblk_place");
	check(ev != NULL, "libtraceevent parses the module's format");
	if (!ev)
		return;
	ret = trace_event_init(&te, ev, err, sizeof(err));
	check(!ret && te.nr_ops == 4 && te.nr_srcs == 7,
	      "the op and source names are read from the format%s%s",
	      ret ? ": " : "", ret ? err : "");
	if (ret)
		return;
	event(data, 5, 12);
	memset(&r, 0, sizeof(r));
	ret = trace_event_decode(&te, data, &r, &dev);
	trace_rec_line(&r, buf);
	check(!ret && !strcmp(buf, "w 123456 16 hint=2 stream=9 meta=1 cgroup=77 ph=4\n"),
	      "a write decodes by field names (got \"%.*s\")",
	      (int)strcspn(buf, "\n"), buf);
	check(dev == ((259ULL << 20) | 3), "its device, the kernel's dev_t");
	check(r.src == 2 && !strcmp(te.srcs[r.src].name, "range") && !r.none,
	      "its source by name: range");
	event(data, 7, 16);
	ret = trace_event_decode(&te, data, &r, &dev);
	trace_rec_line(&r, buf);
	check(!ret && !strcmp(buf, "d 123456 16\n") && r.none,
	      "a write-zeroes is a d line, source none (got \"%.*s\")",
	      (int)strcspn(buf, "\n"), buf);
	event(data, 6, 16);
	ret = trace_event_decode(&te, data, &r, &dev);
	check(!ret && r.op == TRACE_DISCARD, "a discard is a d line");
	event(data, 8, 16);
	check(trace_event_decode(&te, data, &r, &dev) == -1,
	      "an op fdpctl does not know is refused, not taken for a write");
	event(data, 42, 16);
	check(trace_event_decode(&te, data, &r, &dev) == -1,
	      "an op value the format does not name is refused");
	event(data, 5, 99);
	ret = trace_event_decode(&te, data, &r, &dev);
	check(!ret && r.src == TRACE_SRC_UNKNOWN, "a source the format does not name: unknown");
	tep_free(tep);

	/* A module without the cgroup field: named. */
	bad = strdup(format);
	p = strstr(bad, "u64 cgroup;");
	memcpy(p, "u64 cgroux;", 11);
	tep = tep_alloc();
	tep_parse_event(tep, bad, strlen(bad), "fdpblk");
	ev = tep_find_event_by_name(tep, "fdpblk", "fdpblk_place");
	ret = ev ? trace_event_init(&te, ev, err, sizeof(err)) : 0;
	check(ret == -1 && !strcmp(err, "fdpblk:fdpblk_place has no field cgroup"),
	      "a missing field is named (got \"%s\")", err);
	tep_free(tep);
	free(bad);
}

int main(void)
{
	lines();
	order();
	decode();
	return test_done();
}
