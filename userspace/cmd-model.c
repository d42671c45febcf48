// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl model TRACE: replay a text trace (tracefile.h) on the FDP SSD
 * model (model.h), once per baseline (none: every write on ph 1;
 * recorded: the trace's ph=) and once per policy file, each write
 * classified by the module's own rules (classify.h), and show the
 * modelled write amplification of each.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cgroup.h"
#include "classify.h"
#include "cmd.h"
#include "parse.h"
#include "policy.h"
#include "rankfile.h"
#include "tracefile.h"

#define MODEL_MAX_POLICIES	16
#define MODEL_DEFAULT_RU	(8ULL << 20)	/* the test bed's fdp.runs */
#define MODEL_DEFAULT_HANDLES	8
#define MODEL_DEFAULT_OP	7.0

struct model_opts {
	const char *policy[MODEL_MAX_POLICIES];
	unsigned int nr_policies;
	const char *ranks, *device;
	uint64_t capacity, ru_size, warmup;
	unsigned int handles;
	int ruht;			/* FDP_RUHT_*, 0: not given */
	double op;
	bool has_op;
	enum model_gc gc;
};

/* BYTES: a plain number of bytes, or one with a suffix (K, MiB, ...). */
int model_parse_size(const char *opt, const char *arg, bool zero, uint64_t *v)
{
	if (parse_bytes(arg, v)) {
		errorf(0, "--%s %s: must be bytes (a number, or one with K, M, G, T, KiB...)",
		       opt, arg);
		return -1;
	}
	if (!zero && !*v) {
		errorf(0, "--%s %s: must be 1 byte or more", opt, arg);
		return -1;
	}
	return 0;
}

uint64_t model_capacity_of(uint64_t end)
{
	return (end * 512 + MODEL_PAGE - 1) / MODEL_PAGE * MODEL_PAGE;
}

int model_parse_op(const char *arg, double *op)
{
	if (parse_double(arg, 0, 1000, op)) {
		errorf(0, "--op %s: must be a percentage, 0..1000", arg);
		return -1;
	}
	return 0;
}

static int model_opt(int c, const char *arg, void *data)
{
	struct model_opts *o = data;
	unsigned long n;

	switch (c) {
	case 'P':
		if (o->nr_policies == MODEL_MAX_POLICIES) {
			errorf(0, "--policy: at most %d", MODEL_MAX_POLICIES);
			return -1;
		}
		o->policy[o->nr_policies++] = arg;
		return 0;
	case 'R':
		o->ranks = arg;
		return 0;
	case 'D':
		o->device = arg;
		return 0;
	case 'c':
		return model_parse_size("capacity", arg, false, &o->capacity);
	case 'u':
		return model_parse_size("ru-size", arg, false, &o->ru_size);
	case 'w':
		return model_parse_size("warmup", arg, true, &o->warmup);
	case 'n':
		if (parse_uint(arg, FDPBLK_MAX_PH, &n) || !n) {
			errorf(0, "--handles %s: must be 1..%d", arg, FDPBLK_MAX_PH);
			return -1;
		}
		o->handles = n;
		return 0;
	case 't':
		if (!strcmp(arg, "initially")) {
			o->ruht = FDP_RUHT_INITIALLY_ISOLATED;
		} else if (!strcmp(arg, "persistently")) {
			o->ruht = FDP_RUHT_PERSISTENTLY_ISOLATED;
		} else {
			errorf(0, "--ruh-type %s: must be initially or persistently", arg);
			return -1;
		}
		return 0;
	case 'p':
		if (model_parse_op(arg, &o->op))
			return -1;
		o->has_op = true;
		return 0;
	case 'g':
		if (model_gc_parse(arg, &o->gc)) {
			errorf(0, "--gc %s: must be greedy, fifo or cost-benefit", arg);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* The namespace's RU size, handles and their types, and capacity. */
static int from_device(struct model_opts *o, struct model_cfg *cfg,
		       struct policy_handle *tab)
{
	struct fdp_ruhs_desc *rs;
	struct ns_queue_info q;
	struct fdp_info info;
	struct fdp_ns ns;
	unsigned int n, i;
	int ret;

	ret = open_ns(o->device, NS_DEVICE | NS_FDP, &ns, &info, NULL);
	if (ret)
		return ret;
	ret = fdp_ruh_status(&ns, &rs, &n);
	if (ret)
		return explain_nvme(o->device, ret);
	ret = ns_queue_info(ns.name, &q);
	if (ret) {
		free(rs);
		return fail(ns.name, -ret);
	}
	cfg->capacity = q.bytes;
	cfg->ru_size = info.conf.runs;
	cfg->nr_handles = n < FDPBLK_MAX_PH ? n : FDPBLK_MAX_PH;
	for (i = 0; i < cfg->nr_handles; i++) {
		tab[i] = (struct policy_handle){ .pid = rs[i].pid,
			.ruhid = rs[i].ruhid,
			.ruht = fdp_ruht(&info.conf, rs[i].ruhid) };
		cfg->persistent[i + 1] = tab[i].ruht ==
					 FDP_RUHT_PERSISTENTLY_ISOLATED;
	}
	free(rs);
	return 0;
}

FILE *model_open_trace(const char **name)
{
	char buf[65536];
	size_t n;
	FILE *f;

	if (strcmp(*name, "-")) {
		f = fopen(*name, "r");
		if (!f)
			fail(*name, errno);
		return f;
	}
	/* Read once per run: stdin goes to a temporary file. */
	f = tmpfile();
	if (!f) {
		fail("a temporary file", errno);
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)))
		if (fwrite(buf, 1, n, f) != n) {
			fail("a temporary file", errno);
			fclose(f);
			return NULL;
		}
	rewind(f);
	*name = "<stdin>";
	return f;
}

/* The trace, checked whole, with its extent; 0 or 1 after a message. */
int model_scan(FILE *f, const char *name, const struct model_cfg *cfg,
	       uint64_t *end, uint64_t *writes, uint64_t *discards)
{
	char err[TRACEFILE_ERR_LEN];
	struct trace_reader r;
	struct trace_io io;
	int ret;

	*end = *writes = *discards = 0;
	trace_open(&r, f, name);
	while ((ret = trace_next(&r, &io, err)) > 0) {
		uint64_t e = io.sector + io.nr_sectors;

		if (e > *end)
			*end = e;
		*writes += !io.discard;
		*discards += io.discard;
		if (cfg->capacity && e * 512 > cfg->capacity) {
			errorf(0, "%s:%lu: beyond the capacity (%llu bytes)",
			       name, r.line, (unsigned long long)cfg->capacity);
			ret = -2;
			break;
		}
		if (io.has_ph && io.ph > cfg->nr_handles) {
			errorf(0, "%s:%lu: ph=%u, but the model has %u handles",
			       name, r.line, io.ph, cfg->nr_handles);
			ret = -2;
			break;
		}
	}
	trace_close(&r);
	if (ret == -1)
		errorf(0, "%s", err);
	return ret ? 1 : 0;
}

/* The trace model_replay reads: its c lines give cgroups' parents. */
static const struct trace_reader *replaying;

/*
 * The parent of a cgroup (ancestors' ranks apply): by the trace's c lines,
 * else on this host.
 */
uint64_t model_cgroup_parent(uint64_t id)
{
	uint64_t parent;

	if (replaying && trace_cgroup_parent(replaying, id, &parent))
		return parent;
	return cgroup_parent_id(id);
}

/* A policy's ph for a piece of @io against the ph the trace recorded. */
static void compare(struct model_run *run, const struct trace_reader *r,
		    const struct trace_io *io, unsigned int ph)
{
	run->compared++;
	if (ph == io->ph)
		return;
	if (!run->differ++) {
		run->diff_line = r->line;
		run->diff_ph = ph;
		run->diff_recorded = io->ph;
	}
}

/* One replay: @c NULL for a baseline, @recorded for the trace's ph. */
int model_replay(FILE *f, const char *name, const struct model_cfg *cfg,
		 struct classify *c, bool recorded, struct model_run *run,
		 uint64_t *pages)
{
	char err[256];
	struct trace_reader r;
	struct trace_io io;
	struct model *m;
	struct model_result res;

	m = model_new(cfg, err);
	if (!m) {
		errorf(0, "model: %s", err);
		return 1;
	}
	rewind(f);
	trace_open(&r, f, name);
	replaying = &r;
	while (trace_next(&r, &io, err) > 0) {
		uint64_t end = io.sector + io.nr_sectors;

		if (io.discard) {
			uint64_t a = (io.sector + MODEL_PAGE_SECTORS - 1) / MODEL_PAGE_SECTORS;
			uint64_t b = end / MODEL_PAGE_SECTORS;

			if (b > a)
				model_discard(m, a, b - a);
			continue;
		}
		while (io.nr_sectors) {
			enum fdpblk_source src = MODEL_SRC_TRACE;
			uint32_t nr = io.nr_sectors;
			unsigned int ph;
			uint64_t a, b;

			if (c) {
				ph = classify_write(c, &io, &src, &nr);
				if (io.has_ph)
					compare(run, &r, &io, ph);
			} else {
				ph = recorded && io.has_ph ? io.ph : recorded ? 0 : 1;
			}
			a = io.sector / MODEL_PAGE_SECTORS;
			b = (io.sector + nr + MODEL_PAGE_SECTORS - 1) / MODEL_PAGE_SECTORS;
			model_write(m, a, b - a, ph, src);
			io.sector += nr;
			io.nr_sectors -= nr;
		}
	}
	replaying = NULL;
	trace_close(&r);
	model_result(m, &res);
	*pages += res.total.host + res.total.gc + res.warmup_pages;
	run->r = res;
	model_free(m);
	return 0;
}

const char *const model_assumptions[] = {
	"page-mapped FTL, 4 KiB pages: a write costs every page it touches, whole; a discard frees the pages it covers whole",
	"physical space = capacity x (1 + op/100), in whole RUs; one open RU per handle; ph 0 (no directive) on ph 1's handle",
	"GC when 2 or fewer RUs are free; victims greedy (fewest valid), fifo (first filled) or cost-benefit ((1-u)/2u x age)",
	"GC copies stay per handle for persistently isolated handles, share one GC RU for initially isolated ones",
	"rho_data = spare left for data: RUs less the 2 free for GC and half of each open RU, over the data",
	"no wear levelling, read disturb, parity or write cache: media = host + GC copies",
	"offline classification by the module's rules; V = 255 streams; cgroup ranks reach the cgroups below them, by the trace's c lines, else this host's",
	NULL,
};

int cmd_model(int argc, char **argv)
{
	struct model_opts o = { .gc = MODEL_GC_GREEDY };
	struct model_run runs[MODEL_MAX_POLICIES + 2];
	struct model_cfg cfg = { 0 };
	struct rank_file rf = { 0 };
	char err[RANKFILE_ERR_LEN], from[64] = "options";
	static struct policy_handle tab[FDPBLK_MAX_PH];
	struct model_report rep = { 0 };
	struct policy_limits lim;
	struct timespec t0, t1;
	struct model_geom g;
	uint64_t end, pages = 0;
	const char *trace;
	unsigned int i, nr = 0;
	int idx, ret = 0;
	FILE *f;

	idx = parse_args(argc, argv, 1, model_opt, &o);
	if (idx < 0)
		return 2;
	trace = argv[idx];
	if (o.device) {
		ret = from_device(&o, &cfg, tab);
		if (ret)
			return ret;
		/* --handles N may ask for fewer; ph beyond the device's: unknown. */
		rep.handles = tab;
		rep.nr_handles = cfg.nr_handles;
		snprintf(from, sizeof(from), "%s and options", o.device);
	}
	if (o.capacity)
		cfg.capacity = o.capacity;
	if (o.ru_size)
		cfg.ru_size = o.ru_size;
	else if (!cfg.ru_size)
		cfg.ru_size = MODEL_DEFAULT_RU;
	if (o.handles)
		cfg.nr_handles = o.handles;
	else if (!cfg.nr_handles)
		cfg.nr_handles = MODEL_DEFAULT_HANDLES;
	if (rep.nr_handles > cfg.nr_handles)
		rep.nr_handles = cfg.nr_handles;
	if (o.ruht || !o.device)
		for (i = 1; i <= cfg.nr_handles; i++)
			cfg.persistent[i] = o.ruht == FDP_RUHT_PERSISTENTLY_ISOLATED;
	cfg.op = o.has_op ? o.op : MODEL_DEFAULT_OP;
	cfg.gc = o.gc;
	cfg.warmup = o.warmup;

	f = model_open_trace(&trace);
	if (!f)
		return 1;
	ret = model_scan(f, trace, &cfg, &end, &rep.writes, &rep.discards);
	if (ret)
		goto out;
	if (!cfg.capacity) {
		/* 100% utilisation: what the trace touches, in whole pages. */
		cfg.capacity = model_capacity_of(end);
		snprintf(from, sizeof(from), "%s, capacity from the trace's extent",
			 o.device ? o.device : "options");
	}
	if (model_geom(&cfg, &g, err)) {
		errorf(0, "model: %s", err);
		ret = 1;
		goto out;
	}

	lim = (struct policy_limits){ .max_ph = cfg.nr_handles,
				      .nr_streams = FDPBLK_MAX_STREAMS };
	if (o.ranks) {
		FILE *rfile = fopen(o.ranks, "r");

		if (!rfile) {
			ret = fail(o.ranks, errno);
			goto out;
		}
		ret = rankfile_parse(rfile, o.ranks, &rf, err);
		fclose(rfile);
		for (i = 0; !ret && i < rf.n; i++) {
			char path[4096];
			__u64 id;

			if (!rf.e[i].cgroup || !rf.e[i].path)
				continue;
			cgroup_path(rf.e[i].path, path, sizeof(path));
			if (cgroup_id(path, &id)) {
				snprintf(err, sizeof(err),
					 "%s:%u: cgroup %s: not a cgroup of this host; name it by id (id:ID), the id the trace's cgroup= gives",
					 o.ranks, rf.e[i].line, rf.e[i].path);
				ret = -1;
				break;
			}
			rf.e[i].cgroup_id = id;
		}
		if (!ret)
			ret = rankfile_check_ids(&rf, o.ranks, err);
		if (ret) {
			errorf(0, "%s", err);
			ret = 1;
			goto out;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t0);
	runs[nr] = (struct model_run){ .name = "none", .baseline = true };
	ret = model_replay(f, trace, &cfg, NULL, false, &runs[nr++], &pages);
	runs[nr] = (struct model_run){ .name = "recorded", .baseline = true };
	if (!ret)
		ret = model_replay(f, trace, &cfg, NULL, true, &runs[nr++], &pages);
	for (i = 0; !ret && i < o.nr_policies; i++) {
		struct fdpblk_policy p;
		struct policy_header h;
		struct classify c;
		FILE *pf = fopen(o.policy[i], "r");

		if (!pf) {
			ret = fail(o.policy[i], errno);
			break;
		}
		policy_default(&lim, &p);
		ret = policy_parse(pf, o.policy[i], &lim, &p, &h, err);
		fclose(pf);
		if (!ret)
			ret = policy_check(&lim, &p, err);
		if (ret) {
			errorf(0, "%s", err);
			ret = 1;
			break;
		}
		if (classify_init(&c, &p, FDPBLK_MAX_STREAMS, o.ranks ? &rf : NULL)) {
			ret = fail(o.policy[i], ENOMEM);
			break;
		}
		c.parent = model_cgroup_parent;
		runs[nr] = (struct model_run){ .name = o.policy[i] };
		ret = model_replay(f, trace, &cfg, &c, false, &runs[nr++], &pages);
		classify_free(&c);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret)
		goto out;
	rep.trace = trace;
	rep.cfg = &cfg;
	rep.g = &g;
	rep.from = from;
	rep.assumptions = model_assumptions;
	rep.nr = nr;
	rep.runs = runs;
	rep.seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	rep.pages = pages;
	out->model(&rep);
out:
	rankfile_free(&rf);
	fclose(f);
	return ret;
}
