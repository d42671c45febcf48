// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl trace: record every write, discard and write-zeroes that reaches
 * an fdpblk device, from the module's fdpblk:fdpblk_place event, as the
 * plain text trace (trace-rec.h), until a signal or around a command.
 *
 * The event is read through a tracefs instance of fdpctl's own (libtracefs):
 * its filter keeps the device's events only, in the kernel. A thread reads
 * the per-CPU raw buffers (trace_pipe_raw) with tracefs_cpu_read(), which
 * takes partly filled pages too, and decodes them with libtraceevent
 * (kbuffer, trace-event.c). tracefs_iterate_raw_events() is not used:
 * libtracefs 1.6 reads there with splice, full pages only, and would
 * leave the last events of a quiet CPU unread.
 *
 * Order: records are written by timestamp across CPUs. The instance's
 * trace clock is "mono" (CLOCK_MONOTONIC): each round of reads keeps back
 * what is newer than the start of the round before, so that an event
 * still being written on another CPU is read before anything after it is
 * written. A record that arrives later than that anyway is written
 * where it arrives and counted as out of order, never dropped.
 *
 * Lost events: the sum over CPUs of the ring buffer's overrun, commit
 * overrun and dropped events (per_cpu/cpuN/stats), or the pages' own
 * missed-events marks if those say more. Any loss is in the trace's
 * trailer and on stderr, and fails the command (exit 1, or 125 around a
 * command): an incomplete trace is not a trace of the workload.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <kbuffer.h>
#include <tracefs.h>

#include "cgroup.h"
#include "cmd.h"
#include "parse.h"
#include "trace-event.h"
#include "trace-rec.h"
#include "tracefile.h"
#include "version.h"

/* How long the reader sleeps between rounds. */
#define TRACE_POLL_NS		(50 * 1000 * 1000)
/* --buffer-kb: per CPU, as buffer_size_kb. */
#define TRACE_BUFFER_KB_MAX	(4U << 20)

struct trace_opts {
	const char *file;		/* -o; NULL: stdout */
	unsigned int buffer_kb;		/* 0: the kernel's default */
};

struct tracer {
	struct tracefs_instance *inst;
	struct tep_handle *tep;
	struct trace_event te;
	unsigned long long dev;		/* the device, as the kernel's dev_t */
	int nr_cpus;
	struct tracefs_cpu **tcpu;	/* per CPU; NULL for one not present */
	struct kbuffer *kbuf;
	void *page;
	FILE *f;
	/* Read, not yet written: sorted and written round by round. */
	struct trace_rec *pend;
	size_t nr_pend, cap;
	/* The cgroups whose c lines were written (or could not be). */
	struct trace_cgroups cg;
	uint64_t seq, last_ts;
	/* What was written, and what went wrong. */
	uint64_t writes, w_sectors, discards, d_sectors;
	uint64_t src_writes[TRACE_MAX_SOURCES + 1];
	uint64_t src_sectors[TRACE_MAX_SOURCES + 1];
	uint64_t unknown_op, foreign, out_of_order, missed;
	int err;			/* errno of a failed read or write */
	atomic_bool stop;
};

static uint64_t now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int push(struct tracer *t, const struct trace_rec *r)
{
	if (t->nr_pend == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 4096;
		struct trace_rec *p = realloc(t->pend, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		t->pend = p;
		t->cap = cap;
	}
	t->pend[t->nr_pend++] = *r;
	return 0;
}

/* The events of one page just read. */
static int page_events(struct tracer *t, int cpu)
{
	unsigned long long ts, dev;
	struct tep_record rec;
	struct trace_rec r;
	int missed, ret;
	void *data;

	kbuffer_load_subbuffer(t->kbuf, t->page);
	missed = kbuffer_missed_events(t->kbuf);
	/* -1: some were missed, how many is not known. */
	if (missed)
		t->missed += missed > 0 ? missed : 1;
	for (data = kbuffer_read_event(t->kbuf, &ts); data;
	     data = kbuffer_next_event(t->kbuf, &ts)) {
		memset(&rec, 0, sizeof(rec));
		rec.ts = ts;
		rec.cpu = cpu;
		rec.data = data;
		rec.size = kbuffer_event_size(t->kbuf);
		if (tep_data_type(t->tep, &rec) != t->te.ev->id)
			continue;
		memset(&r, 0, sizeof(r));
		if (trace_event_decode(&t->te, data, &r, &dev)) {
			t->unknown_op++;
			continue;
		}
		/* The filter keeps others out; a filter that failed would not. */
		if (dev != t->dev) {
			t->foreign++;
			continue;
		}
		r.ts = ts;
		r.seq = t->seq++;
		ret = push(t, &r);
		if (ret)
			return ret;
	}
	return 0;
}

/* Read every CPU's buffer until it is empty. */
static int drain(struct tracer *t, bool flush)
{
	int cpu, n, ret;

	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		if (!t->tcpu[cpu])
			continue;
		for (;;) {
			n = flush ? tracefs_cpu_flush(t->tcpu[cpu], t->page) :
				    tracefs_cpu_read(t->tcpu[cpu], t->page, true);
			if (n < 0 && errno != EAGAIN)
				return -errno;
			if (n <= 0)
				break;
			ret = page_events(t, cpu);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* 1 if cgroup @id is new, now marked; 0 if it was marked; -ENOMEM. */
static int cg_mark(struct tracer *t, uint64_t id)
{
	if (trace_cgroups_find(&t->cg, id))
		return 0;
	/* Ids only: the parent is looked up after, and may not be found. */
	return trace_cgroups_add(&t->cg, id, 0) ? -ENOMEM : 1;
}

/*
 * The c lines of cgroup @id and of its ancestors not written yet, read
 * while they exist: a rank on an ancestor then classifies the trace's
 * writes after the cgroup is gone, or on another host. A cgroup already
 * gone gets none (fdpctl model then looks on its own host).
 */
static int ancestry(struct tracer *t, uint64_t id)
{
	char line[TRACE_LINE_MAX], *path;
	uint64_t parent;
	int ret;

	ret = cg_mark(t, id);
	if (ret <= 0)
		return ret;
	/* One walk of the cgroup tree; the ancestors by their paths. */
	path = cgroup_id_path(id);
	if (!path)
		return 0;
	for (; (parent = cgroup_path_up(path)); id = parent) {
		trace_cgroup_line(id, parent, line, sizeof(line));
		if (fputs(line, t->f) == EOF) {
			ret = -errno;
			break;
		}
		ret = cg_mark(t, parent);
		if (ret <= 0)
			break;
	}
	free(path);
	return ret < 0 ? ret : 0;
}

/* Write, in order, the records read that are older than @before. */
static int emit(struct tracer *t, uint64_t before)
{
	char line[TRACE_LINE_MAX];
	size_t i;

	qsort(t->pend, t->nr_pend, sizeof(*t->pend), trace_rec_cmp);
	for (i = 0; i < t->nr_pend && t->pend[i].ts < before; i++) {
		const struct trace_rec *r = &t->pend[i];

		if (r->ts < t->last_ts)
			t->out_of_order++;
		else
			t->last_ts = r->ts;
		if (r->op == TRACE_WRITE) {
			t->writes++;
			t->w_sectors += r->sectors;
			t->src_writes[r->src]++;
			t->src_sectors[r->src] += r->sectors;
		} else {
			t->discards++;
			t->d_sectors += r->sectors;
		}
		if (r->op == TRACE_WRITE && r->cgroup) {
			int ret = ancestry(t, r->cgroup);

			if (ret)
				return ret;
		}
		trace_rec_line(r, line);
		if (fputs(line, t->f) == EOF)
			return -errno;
	}
	memmove(t->pend, t->pend + i, (t->nr_pend - i) * sizeof(*t->pend));
	t->nr_pend -= i;
	return 0;
}

static void *reader(void *arg)
{
	struct tracer *t = arg;
	struct timespec nap = { 0, TRACE_POLL_NS };
	uint64_t prev = 0, start;
	int ret = 0;

	while (!ret && !atomic_load(&t->stop)) {
		start = now_mono();
		ret = drain(t, false);
		if (!ret)
			ret = emit(t, prev);
		prev = start;
		nanosleep(&nap, NULL);
	}
	/* Tracing is off: what is left, partly filled pages too. */
	if (!ret)
		ret = drain(t, true);
	if (!ret)
		ret = emit(t, UINT64_MAX);
	t->err = -ret;
	return NULL;
}

/* The ring buffer's own count of the events it lost, over every CPU. */
static uint64_t lost_events(struct tracer *t)
{
	static const char * const keys[] = {
		"overrun: ", "commit overrun: ", "dropped events: ",
	};
	uint64_t lost = 0;
	char path[64], *buf, *line, *save;
	unsigned int k;
	int cpu;

	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		if (!t->tcpu[cpu])
			continue;
		snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
		buf = tracefs_instance_file_read(t->inst, path, NULL);
		if (!buf)
			continue;
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
				if (!strncmp(line, keys[k], strlen(keys[k])))
					lost += strtoull(line + strlen(keys[k]), NULL, 10);
		free(buf);
	}
	return lost > t->missed ? lost : t->missed;
}

static void utc_now(char *buf, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void header(struct tracer *t, struct fdpblk_info *d,
		   const char *devno, char **cmd)
{
	struct policy_handle tab[FDPBLK_MAX_PH];
	char date[32];
	unsigned int i;

	utc_now(date, sizeof(date));
	fprintf(t->f, "# fdpctl trace, fdpctl %s\n", FDPCTL_VERSION);
	fprintf(t->f, "# device: /dev/%s (%s), name %s, on %s%s\n", d->name,
		devno, d->dev_name, d->lower,
		d->passthrough ? ", passthrough: nothing placed" : "");
	fprintf(t->f, "# started: %s\n", date);
	/* Each ph beside its placement ID and RUH id, when they are known. */
	if (!d->passthrough && !read_handles(d, d->name, true, tab, NULL)) {
		fputs("# handles (ph pid ruhid):", t->f);
		for (i = 0; i < d->lim.max_ph; i++)
			fprintf(t->f, "%s %u %u %u", i ? "," : "", i + 1,
				tab[i].pid, tab[i].ruhid);
		fputc('\n', t->f);
	}
	d->lim.handles = NULL;	/* @tab goes out of scope */
	fprintf(t->f, "# format: w SECTOR SECTORS [hint=H] [stream=S] [meta=1] [cgroup=ID] [ph=P]; d SECTOR SECTORS (a discard or write-zeroes); c ID PARENT (cgroup ID's parent); sectors of 512 bytes; ordered by time\n");
	if (cmd) {
		fputs("# command:", t->f);
		for (; *cmd; cmd++)
			fprintf(t->f, " %s", *cmd);
		fputc('\n', t->f);
	}
}

static void trailer(struct tracer *t, uint64_t lost)
{
	char date[32];
	unsigned int i;

	utc_now(date, sizeof(date));
	fprintf(t->f, "# ended: %s\n", date);
	fprintf(t->f, "# writes: %" PRIu64 " sectors: %" PRIu64 "\n",
		t->writes, t->w_sectors);
	fprintf(t->f, "# discards and write-zeroes: %" PRIu64 " sectors: %" PRIu64 "\n",
		t->discards, t->d_sectors);
	for (i = 0; i <= TRACE_MAX_SOURCES; i++) {
		if (i < t->te.nr_srcs)
			fprintf(t->f, "# source %s: writes: %" PRIu64 " sectors: %" PRIu64 "\n",
				t->te.srcs[i].name, t->src_writes[i], t->src_sectors[i]);
		else if (i == TRACE_SRC_UNKNOWN && t->src_writes[i])
			fprintf(t->f, "# source unknown: writes: %" PRIu64 " sectors: %" PRIu64 "\n",
				t->src_writes[i], t->src_sectors[i]);
	}
	if (t->unknown_op)
		fprintf(t->f, "# events of an unknown op, not written: %" PRIu64 "\n",
			t->unknown_op);
	if (t->out_of_order)
		fprintf(t->f, "# written out of time order: %" PRIu64 "\n",
			t->out_of_order);
	fprintf(t->f, "# lost events: %" PRIu64 "\n", lost);
}

/* Find the event and make the instance; 0, or 1 after a message. */
static int tracer_setup(struct tracer *t, const struct trace_opts *o)
{
	static const char * const systems[] = { TRACE_SYSTEM_NAME, NULL };
	char name[64], filter[64], err[128];
	struct tep_event *ev;
	int cpu, sub;

	if (!tracefs_tracing_dir()) {
		errorf(0, "trace: tracefs is not mounted (mount -t tracefs tracefs /sys/kernel/tracing)");
		return 1;
	}
	t->tep = tracefs_local_events_system(NULL, systems);
	ev = t->tep ? tep_find_event_by_name(t->tep, TRACE_SYSTEM_NAME,
					     TRACE_EVENT_NAME) : NULL;
	if (!ev) {
		errorf(0, "trace: no %s:%s event in tracefs (is fdpblk.ko loaded?)",
			TRACE_SYSTEM_NAME, TRACE_EVENT_NAME);
		return 1;
	}
	if (trace_event_init(&t->te, ev, err, sizeof(err))) {
		errorf(0, "trace: %s: fdpblk.ko is older than this fdpctl", err);
		return 1;
	}
	snprintf(name, sizeof(name), "fdpctl-trace-%d", getpid());
	t->inst = tracefs_instance_create(name);
	if (!t->inst)
		return fail("trace: cannot make a tracefs instance", errno);
	if (o->buffer_kb &&
	    tracefs_instance_set_buffer_size(t->inst, o->buffer_kb, -1) < 0)
		return fail("trace: --buffer-kb", errno);
	if (tracefs_instance_file_write(t->inst, "trace_clock", "mono") < 0)
		return fail("trace: trace_clock mono", errno);
	snprintf(filter, sizeof(filter), "dev == %llu", t->dev);
	if (tracefs_event_file_write(t->inst, TRACE_SYSTEM_NAME, TRACE_EVENT_NAME,
				     "filter", filter) < 0)
		return fail("trace: the event's filter", errno);

	t->nr_cpus = sysconf(_SC_NPROCESSORS_CONF);
	t->tcpu = calloc(t->nr_cpus, sizeof(*t->tcpu));
	if (!t->tcpu)
		return fail("trace", ENOMEM);
	sub = 0;
	for (cpu = 0; cpu < t->nr_cpus; cpu++) {
		/* A CPU that is not present has no buffer. */
		t->tcpu[cpu] = tracefs_cpu_open(t->inst, cpu, true);
		if (t->tcpu[cpu] && tracefs_cpu_read_size(t->tcpu[cpu]) > sub)
			sub = tracefs_cpu_read_size(t->tcpu[cpu]);
	}
	if (!sub)
		return fail("trace: per_cpu/cpu*/trace_pipe_raw", errno ? errno : ENOENT);
	t->page = malloc(sub);
	t->kbuf = kbuffer_alloc(tep_get_header_page_size(t->tep) == 8 ?
				KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4,
				tep_is_file_bigendian(t->tep) ?
				KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE);
	if (!t->page || !t->kbuf)
		return fail("trace", ENOMEM);
	return 0;
}

static void tracer_free(struct tracer *t)
{
	int cpu;

	for (cpu = 0; t->tcpu && cpu < t->nr_cpus; cpu++)
		tracefs_cpu_close(t->tcpu[cpu]);
	free(t->tcpu);
	if (t->inst) {
		tracefs_instance_destroy(t->inst);
		tracefs_instance_free(t->inst);
	}
	if (t->kbuf)
		kbuffer_free(t->kbuf);
	free(t->page);
	free(t->pend);
	trace_cgroups_free(&t->cg);
	tep_free(t->tep);
}

static int trace_opt(int key, const char *arg, void *data)
{
	struct trace_opts *o = data;
	unsigned long v;

	switch (key) {
	case 'o':
		/* The trace is text: -o json is no format here. */
		if (!strcmp(arg, "json") || !strcmp(arg, "normal")) {
			errorf(0, "trace: -o %s: -o names the output file, and the trace is text only (for a file of that name, write ./%s)",
				arg, arg);
			return -1;
		}
		o->file = arg;
		return 0;
	case 'b':
		if (parse_uint(arg, TRACE_BUFFER_KB_MAX, &v) || !v) {
			errorf(0, "--buffer-kb %s: must be 1..%u", arg, TRACE_BUFFER_KB_MAX);
			return -1;
		}
		o->buffer_kb = v;
		return 0;
	}
	/* --text: the one format, and the default. */
	return 0;
}

/* In the child: the trace is on stdout, the command's output goes to stderr. */
static int stdout_to_stderr(void *arg)
{
	(void)arg;
	return dup2(STDERR_FILENO, STDOUT_FILENO) < 0 ? errno : 0;
}

/* Until SIGINT, SIGTERM, SIGHUP or SIGQUIT (held since the start). */
static void wait_signal(void)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	sigwait(&set, &sig);
}

/* trace's own part: 0, or its failure (1, 2) after a message. */
static int trace(int argc, char **argv, int nopt, char **cmd, int *status)
{
	struct trace_opts o = { 0 };
	struct tracer t = { 0 };
	struct fdpblk_info d;
	char path[96], devno[32];
	unsigned int maj, min;
	sigset_t all, old;
	pthread_t thread;
	uint64_t lost;
	int idx, ret = 1;

	idx = parse_args(nopt, argv, 1, trace_opt, &o);
	if (idx < 0)
		return 2;
	if (nopt < argc && !cmd)
		return usage_error();
	if (dev_arg(argv[idx], &d))
		return 1;
	snprintf(path, sizeof(path), "/sys/block/%s/dev", d.name);
	if (sysfs_read(path, devno, sizeof(devno)) ||
	    sscanf(devno, "%u:%u", &maj, &min) != 2)
		return fail(path, EINVAL);
	/* The kernel's dev_t: MKDEV(). */
	t.dev = (unsigned long long)maj << 20 | min;
	/* A signal from now on stops the trace (or goes to the command). */
	child_signals_hold();
	t.f = o.file ? fopen(o.file, "w") : stdout;
	if (!t.f)
		return fail(o.file, errno);
	if (tracer_setup(&t, &o))
		goto out;
	header(&t, &d, devno, cmd);

	/* The reader takes no signal: they are the main thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	ret = pthread_create(&thread, NULL, reader, &t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		ret = fail("trace: thread", ret);
		goto out;
	}
	ret = tracefs_event_enable(t.inst, TRACE_SYSTEM_NAME, TRACE_EVENT_NAME);
	if (ret) {
		fail("trace: cannot enable the event", errno);
	} else if (cmd) {
		/* It did not run: the trace is still written, and empty. */
		run_child(cmd, o.file ? NULL : stdout_to_stderr, NULL,
			  "cannot send the command's output to stderr", status);
		/* What the command left in the page cache belongs to it too. */
		sync();
	} else {
		fprintf(stderr, "fdpctl: trace: recording %s%s%s until SIGINT or SIGTERM\n",
			d.name, o.file ? " to " : "", o.file ? o.file : "");
		wait_signal();
	}
	tracefs_trace_off(t.inst);
	tracefs_event_disable(t.inst, TRACE_SYSTEM_NAME, NULL);
	atomic_store(&t.stop, true);
	pthread_join(thread, NULL);
	if (ret) {
		ret = 1;
		goto out;
	}
	if (t.err) {
		ret = fail("trace: reading the trace buffers", t.err);
		goto out;
	}
	lost = lost_events(&t);
	trailer(&t, lost);
	if (fflush(t.f) || ferror(t.f)) {
		ret = fail(o.file ? o.file : "stdout", errno ? errno : EIO);
		goto out;
	}
	fprintf(stderr, "fdpctl: trace: %s: %" PRIu64 " writes (%" PRIu64 " sectors), %" PRIu64 " discards and write-zeroes (%" PRIu64 " sectors), %" PRIu64 " events lost\n",
		d.name, t.writes, t.w_sectors, t.discards, t.d_sectors, lost);
	ret = 0;
	if (t.out_of_order)
		fprintf(stderr, "fdpctl: trace: warning: %" PRIu64 " records arrived after later ones were written: written out of time order\n",
			t.out_of_order);
	if (lost) {
		errorf(0, "trace: %s: %" PRIu64 " events lost: the trace is incomplete (a larger --buffer-kb keeps more)",
			d.name, lost);
		ret = 1;
	}
	if (cmd && *status)
		errorf(0, "%s: exited with status %d", cmd[0], *status);
out:
	tracer_free(&t);
	if (o.file && fclose(t.f) && !ret)
		ret = fail(o.file, errno);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	return around_command(argc, argv, trace);
}
