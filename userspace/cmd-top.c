// SPDX-License-Identifier: GPL-2.0
/*
 * top: per handle, the rate fdpblk placed on it and the rate the device
 * took on it, frame by frame.
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cmd.h"
#include "parse.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct top_opts {
	double interval;
	unsigned long count;
};

static int top_opt(int c, const char *arg, void *data)
{
	struct top_opts *o = data;

	if (c == 'n') {
		if (parse_uint(arg, 1UL << 30, &o->count) || !o->count) {
			errorf(0, "--count %s: must be a positive number", arg);
			return -1;
		}
		return 0;
	}
	if (parse_double(arg, 0.1, 3600, &o->interval)) {
		errorf(0, "--interval %s: must be 0.1..3600 seconds", arg);
		return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* RUAMW of every handle, or -1 when the device cannot tell (no FDP). */
static int top_ruamw(const struct fdp_ns *ns, bool have_ns, uint64_t *ruamw,
		     uint16_t *pid, uint16_t *ruhid, unsigned int max_ph)
{
	struct fdp_ruhs_desc *d;
	unsigned int n, i;

	if (!have_ns || fdp_ruh_status(ns, &d, &n))
		return -1;
	for (i = 0; i < max_ph && i < n; i++) {
		ruamw[i + 1] = d[i].ruamw;
		pid[i + 1] = d[i].pid;
		ruhid[i + 1] = d[i].ruhid;
	}
	free(d);
	return n >= max_ph ? 0 : -1;
}

int cmd_top(int argc, char **argv)
{
	struct top_opts o = { .interval = 1.0 };
	uint64_t bytes[2][FDPBLK_MAX_PH + 1], ruamw[2][FDPBLK_MAX_PH + 1];
	uint16_t pid[FDPBLK_MAX_PH + 1] = { 0 };
	uint16_t ruhid[FDPBLK_MAX_PH + 1] = { 0 };
	struct top_row rows[FDPBLK_MAX_PH + 1];
	struct sigaction sa = { .sa_handler = on_signal };
	struct ns_queue_info q = { 0 };
	struct fdp_info info = { 0 };
	struct fdpblk_info d;
	struct fdp_ns ns;
	unsigned int nb, i, cur = 0, frames = 0;
	uint64_t ru_blocks = 0;
	bool have_ns, have_dev;
	double t0, t1;
	int idx, ret;

	idx = parse_args(argc, argv, 1, top_opt, &o);
	if (idx < 0)
		return 2;
	if (dev_arg(argv[idx], &d))
		return 1;
	/* The device side is optional: a pass-through device has none. */
	have_ns = !d.passthrough &&
		  !open_ns(d.lower, NS_QUIET | NS_FDP, &ns, &info, NULL) &&
		  !ns_queue_info(ns.name, &q) && q.lbsize;
	/* 0 for an RU smaller than a block: fdp_ruamw_drop() copes. */
	if (have_ns)
		ru_blocks = info.conf.runs / q.lbsize;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = fdpblk_stat(d.id, "ph_bytes", bytes[cur], d.lim.max_ph + 1, &nb);
	if (ret)
		return explain_ioctl(argv[idx], "ph_bytes", -ret);
	have_dev = !top_ruamw(&ns, have_ns, ruamw[cur], pid, ruhid,
				d.lim.max_ph);
	t0 = now();
	while (!stop) {
		struct timespec ts = {
			.tv_sec = (time_t)o.interval,
			.tv_nsec = (long)((o.interval - floor(o.interval)) * 1e9),
		};
		struct top_frame f = { .dev = &d, .rows = rows };
		double dt;

		if (nanosleep(&ts, NULL) && stop)
			break;
		cur ^= 1;
		ret = fdpblk_stat(d.id, "ph_bytes", bytes[cur], d.lim.max_ph + 1, &nb);
		if (ret == -ENODEV) {
			errorf(0, "%s: the device went away", argv[idx]);
			return 1;
		}
		if (ret)
			return explain_ioctl(argv[idx], "ph_bytes", -ret);
		have_dev = !top_ruamw(&ns, have_ns && have_dev, ruamw[cur], pid,
				      ruhid, d.lim.max_ph) && have_dev;
		t1 = now();
		dt = t1 - t0;
		t0 = t1;
		for (i = 0; i < nb; i++) {
			struct top_row *r = &rows[i];

			r->ph = i;
			/* Counters reset meanwhile start again from 0. */
			r->host_rate = (bytes[cur][i] >= bytes[!cur][i] ?
					bytes[cur][i] - bytes[!cur][i] :
					bytes[cur][i]) / dt;
			r->have_dev = have_dev && i;
			if (r->have_dev) {
				/* A filled reclaim unit is replaced: count modulo its size. */
				uint64_t drop = fdp_ruamw_drop(ruamw[!cur][i],
							       ruamw[cur][i], ru_blocks);

				r->pid = pid[i];
				r->ruhid = ruhid[i];
				r->ruamw = ruamw[cur][i];
				r->dev_rate = drop * q.lbsize / dt;
			}
		}
		f.interval = dt;
		f.nr = nb;
		out->top(&f);
		if (o.count && ++frames >= o.count)
			break;
	}
	return 0;
}
