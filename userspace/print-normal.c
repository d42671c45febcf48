// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl's normal output: tables and policy files for people.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "print.h"

static const char * const feature_names[] = {
	"control", "create", "policy", "range_ranks", "cgroup_ranks",
	"revalidate",
};

static void normal_features(const struct fdpblk_features *f)
{
	unsigned int i;

	printf("abi version:      %u\n", f->abi_version);
	printf("features:         0x%llx", (unsigned long long)f->features);
	for (i = 0; i < sizeof(feature_names) / sizeof(feature_names[0]); i++)
		if (f->features & (1ULL << i))
			printf(" %s", feature_names[i]);
	printf("\nmax streams:      %u\n", f->max_streams);
	printf("max range ranks:  %u\n", f->max_range_ranks);
	printf("max cgroup ranks: %u\n", f->max_cgroup_ranks);
}

static const char *fdp_state(const struct list_ns *l)
{
	if (l->err)
		return "unknown";
	if (!l->info.supported)
		return "no";
	return l->info.enabled ? "enabled" : "disabled";
}

/*
 * One line of a table of @n columns: each padded to @width (the last
 * not), or with LIST_RAW separated by single spaces, as lsblk --raw.
 */
static void table_row(const char *const *col, const int *width, unsigned int n,
		      unsigned int flags)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i + 1 == n)
			printf("%s\n", col[i]);
		else if (flags & LIST_RAW)
			printf("%s ", col[i]);
		else
			printf("%-*s ", width[i], col[i]);
	}
}

static void normal_list(const struct list_ns *ns, unsigned int nr_ns,
			const struct fdpblk_info *devs, unsigned int nr_devs,
			unsigned int flags)
{
	static const char *const ns_head[] = {
		"NAMESPACE", "CHARDEV", "FDP", "HANDLES", "RU_SIZE", "RGS",
		"ENDGID", "STREAMS", "FDPBLK",
	};
	static const int ns_width[] = { 10, 11, 9, 7, 9, 4, 7, 7 };
	static const char *const dev_head[] = {
		"DEVICE", "LOWER", "HANDLES", "STREAMS", "POLICY", "RANGES",
		"CGROUPS", "NAME",
	};
	static const int dev_width[] = { 10, 10, 8, 7, 7, 7, 7 };
	char v[8][32];
	const char *col[9];
	unsigned int i, j;

	if (!(flags & LIST_NOHEADINGS))
		table_row(ns_head, ns_width, 9, flags);
	for (i = 0; i < nr_ns; i++) {
		const struct list_ns *l = &ns[i];
		bool on = !l->err && l->info.enabled;

		for (j = 0; j < 9; j++)
			col[j] = "-";
		col[0] = l->ns.name;
		col[1] = l->ns.ng;
		col[2] = fdp_state(l);
		if (on) {
			snprintf(v[0], sizeof(v[0]), "%u", l->nr_ruhs);
			/* Raw: bytes, one field without a blank. */
			if (flags & LIST_RAW)
				snprintf(v[1], sizeof(v[1]), "%" PRIu64, l->info.conf.runs);
			else
				size_str(l->info.conf.runs, v[1]);
			snprintf(v[2], sizeof(v[2]), "%u", l->info.conf.nrg);
			snprintf(v[3], sizeof(v[3]), "%u", l->info.endgid);
			for (j = 0; j < 4; j++)
				col[3 + j] = v[j];
		}
		snprintf(v[4], sizeof(v[4]), "%u", l->q.max_write_streams);
		col[7] = v[4];
		if (l->q.holder[0])
			col[8] = l->q.holder;
		table_row(col, ns_width, 9, flags);
	}
	/* Why a namespace has no stream: notes for people, not for scripts. */
	for (i = 0; !flags && i < nr_ns; i++)
		if (ns[i].no_streams[0])
			printf("(%s: 0 streams: %s)\n", ns[i].ns.name,
			       ns[i].no_streams);
	if (!nr_devs)
		return;
	if (!(flags & LIST_NOHEADINGS)) {
		printf("\n");
		table_row(dev_head, dev_width, 8, flags);
	}
	for (i = 0; i < nr_devs; i++) {
		const struct fdpblk_info *d = &devs[i];

		if (d->passthrough)
			snprintf(v[0], sizeof(v[0]), "passthru");
		else
			snprintf(v[0], sizeof(v[0]), "%u", d->lim.max_ph);
		snprintf(v[1], sizeof(v[1]), "%u", d->lim.nr_streams);
		snprintf(v[2], sizeof(v[2]), "v%" PRIu64, d->policy_version);
		snprintf(v[3], sizeof(v[3]), "%u", d->nr_range_ranks);
		snprintf(v[4], sizeof(v[4]), "%u", d->nr_cgroup_ranks);
		col[0] = d->name;
		col[1] = d->lower;
		for (j = 0; j < 5; j++)
			col[2 + j] = v[j];
		col[7] = d->dev_name;
		table_row(col, dev_width, 8, flags);
	}
}

static void ns_header(const struct ns_ctx *c)
{
	printf("%s (nsid %u, endurance group %u)", c->ns->name, c->ns->nsid,
	       c->info->endgid);
}

static void normal_status(const struct ns_ctx *c, const struct fdp_ruhs_desc *d,
			  unsigned int nr, unsigned int total)
{
	const struct fdp_conf *conf = &c->info->conf;
	char sz[32];
	unsigned int i;

	ns_header(c);
	printf(": %u reclaim unit handles, %s reclaim units, %u reclaim group%s\n",
	       total, size_str(conf->runs, sz), conf->nrg, conf->nrg == 1 ? "" : "s");
	printf("%4s %6s %5s %6s %-22s %9s %13s\n", "ph", "pid", "rgid", "ruhid",
	       "type", "earutr_s", "ruamw_blocks");
	for (i = 0; i < nr; i++) {
		if (i < c->max_write_streams)
			printf("%4u ", i + 1);
		else
			printf("%4s ", "-");
		printf("%6u %5u %6u %-22s %9u %13" PRIu64 "\n", d[i].pid,
		       fdp_pid_rgid(d[i].pid, conf->rgif), d[i].ruhid,
		       fdp_ruht_name(fdp_ruht(conf, d[i].ruhid)),
		       d[i].earutr, d[i].ruamw);
	}
	if (c->max_write_streams < nr)
		printf("(ph -: the kernel gives no write stream to this handle)\n");
	if (nr < total)
		printf("(the first %u of %u: one transfer of %u bytes holds no more)\n",
		       nr, total, c->ns->max_xfer);
}

static void normal_configs(const struct ns_ctx *c, const struct fdp_conf *conf,
			   unsigned int nr)
{
	char sz[32];
	unsigned int i, j;

	ns_header(c);
	printf(": %u FDP configuration%s\n", nr, nr == 1 ? "" : "s");
	for (i = 0; i < nr; i++) {
		const struct fdp_conf *f = &conf[i];

		printf("\nconfiguration %u%s%s\n", i,
		       c->info->enabled && c->info->conf_idx == i ? " (in use)" : "",
		       f->valid ? "" : " (not valid)");
		printf("  reclaim groups:        %u (RGIF %u)\n", f->nrg, f->rgif);
		printf("  reclaim unit handles:  %u\n", f->nruh);
		printf("  reclaim unit size:     %s (%" PRIu64 " bytes)\n",
		       size_str(f->runs, sz), f->runs);
		printf("  max placement ids:     %u\n", f->max_pids);
		printf("  max namespaces:        %u\n", f->nnss);
		printf("  RU time limit:         %u s\n", f->erutl);
		printf("  volatile write cache:  %s\n", f->vwc ? "yes" : "no");
		printf("  vendor-specific bytes: %u\n", f->vss);
		printf("  %5s  %s\n", "ruhid", "type");
		for (j = 0; j < f->nruh && j < sizeof(f->ruht); j++)
			printf("  %5u  %s\n", j, fdp_ruht_name(fdp_ruht(f, j)));
	}
}

static void normal_usage(const struct ns_ctx *c, const uint8_t *ruha,
			 unsigned int nr)
{
	unsigned int i;

	ns_header(c);
	printf(": %u reclaim unit handles\n%5s  %s\n", nr, "ruhid", "attributes");
	for (i = 0; i < nr; i++)
		printf("%5u  %s\n", i, fdp_ruha_name(ruha[i]));
}

static void normal_stats(const struct ns_ctx *c, const struct fdp_stats *s)
{
	const struct fdp_stats zero = { 0 };
	char b[40];
	double w = waf_ratio(&zero, s);

	ns_header(c);
	printf(", since power-on\n");
	printf("host bytes written:   %s\n", u128_str(s->hbmw, b));
	printf("media bytes written:  %s\n", u128_str(s->mbmw, b));
	printf("media bytes erased:   %s\n", u128_str(s->mbe, b));
	if (w >= 0)
		printf("WAF:                  %.3f\n", w);
	else
		printf("WAF:                  - (nothing written)\n");
}

/* @v in decimal if @valid, else "-"; @buf holds 16 bytes. */
static const char *valid_u(char *buf, bool valid, unsigned int v)
{
	if (!valid)
		return "-";
	snprintf(buf, 16, "%u", v);
	return buf;
}

static void normal_events(const struct ns_ctx *c, bool host,
			  const struct fdp_event *e, const unsigned int *ph,
			  unsigned int nr)
{
	unsigned int i;

	ns_header(c);
	printf(": %u %s event%s\n", nr, host ? "host" : "controller",
	       nr == 1 ? "" : "s");
	if (!nr)
		return;
	printf("%4s %-26s %4s %6s %5s %6s %5s %14s\n", "#", "type", "ph", "pid",
	       "rgid", "ruhid", "nsid", "timestamp_ms");
	for (i = 0; i < nr; i++) {
		const struct fdp_event *v = &e[i];
		char num[5][16];

		/* What the event's flags do not say valid is "-"; so is no ph. */
		printf("%4u %-26s %4s %6s %5s %6s %5s %14" PRIu64 "\n", i,
		       fdp_event_name(v->type), valid_u(num[4], ph[i], ph[i]),
		       valid_u(num[0], v->flags & FDP_EVENT_PIV, v->pid),
		       valid_u(num[1], v->flags & FDP_EVENT_LV, v->rgid),
		       valid_u(num[2], v->flags & FDP_EVENT_LV, v->ruhid),
		       valid_u(num[3], v->flags & FDP_EVENT_NSIDV, v->nsid),
		       v->timestamp);
		if (v->type != FDP_EVENT_MEDIA_REALLOCATED)
			continue;
		printf("%4s %u logical blocks moved", "", v->nlbam);
		if (v->sef & FDP_REALLOC_LBAV)
			printf(", from LBA %" PRIu64, v->lba);
		printf("\n");
	}
}

/* The handles as comments, then the policy file, header first. */
static void policy_file(const struct fdpblk_info *dev,
			const struct fdpblk_policy *p, const char *lower)
{
	print_handle_table(stdout, &dev->lim, dev->lower);
	policy_write(stdout, p, &dev->lim, lower);
}

static void normal_event_cfg(const struct ns_ctx *c, unsigned int ph,
			     const struct fdp_ruhs_desc *h,
			     const struct fdp_event_cfg *e, unsigned int nr)
{
	unsigned int i;

	ns_header(c);
	printf(", ph %u (pid %u, ruhid %u): %u event type%s\n%5s  %-26s %s\n",
	       ph, h->pid, h->ruhid, nr, nr == 1 ? "" : "s", "type", "name",
	       "enabled");
	for (i = 0; i < nr; i++)
		printf("0x%02x  %-26s %s\n", e[i].type, fdp_event_name(e[i].type),
		       e[i].enabled ? "yes" : "no");
}

static void normal_policy(const struct fdpblk_info *dev,
			  const struct fdpblk_policy *p, const char *lower)
{
	printf("# /dev/%s on %s, policy version %" PRIu64 "\n", dev->name,
	       dev->lower, (uint64_t)p->version);
	policy_file(dev, p, lower);
}

struct change_ctx {
	unsigned int n;
	const struct policy_limits *lim;
};

/* " (ph 2 = pid 1 ruhid 1, ...)" after a change, if it names a ph. */
static void print_change_handles(const struct change_handle *h, int n)
{
	int i;

	for (i = 0; i < n; i++)
		printf("%sph %u = pid %u ruhid %u", i ? ", " : " (", h[i].ph,
		       h[i].pid, h[i].ruhid);
	if (n > 0)
		printf(")");
}

/*
 * A changed key, and each ph of its old and new values beside its NVMe
 * placement ID and RUH id, as the table above the policy shows them.
 */
static void print_change(void *arg, const char *key, const char *old,
			 const char *new)
{
	struct change_ctx *c = arg;
	struct change_handle h[FDPBLK_MAX_PH];

	printf("# change: %s: %s -> %s", key, *old ? old : "(empty)",
	       *new ? new : "(empty)");
	print_change_handles(h, change_handles(c->lim, key, old, new, h));
	printf("\n");
	c->n++;
}

/* All comments around the policy, so that the output is a policy file. */
static void normal_policy_change(const struct fdpblk_info *dev,
				 const struct fdpblk_policy *old,
				 const struct fdpblk_policy *new,
				 const struct policy_reasons *why,
				 const char *lower, enum policy_push how)
{
	struct change_ctx c = { .lim = &dev->lim };
	unsigned int i;

	for (i = 0; why && i < why->n; i++)
		printf("# why: %s\n", why->line[i]);
	policy_file(dev, new, lower);
	policy_diff(old, new, &dev->lim, print_change, &c);
	if (!c.n)
		printf("# no change from policy version %" PRIu64 "\n",
		       (uint64_t)old->version);
	if (how == POLICY_PUSHED)
		printf("# pushed to /dev/%s: policy version %" PRIu64 "\n",
		       dev->name, (uint64_t)new->version);
	else if (how == POLICY_DRY_RUN)
		printf("# dry run: nothing pushed to /dev/%s\n", dev->name);
	else if (how == POLICY_ADVICE)
		printf("# not pushed to /dev/%s: fdpctl policy set /dev/%s FILE pushes this file\n",
		       dev->name, dev->name);
	else
		printf("# not pushed to /dev/%s: policy auto --apply pushes it\n",
		       dev->name);
}

static void normal_ranks(const struct fdpblk_info *dev,
			 const struct fdpblk_range_rank *r, unsigned int nr,
			 const struct fdpblk_cgroup_rank *c, char *const *paths,
			 unsigned int nc)
{
	unsigned int i;

	printf("# /dev/%s: %u range rank%s (sectors), %u cgroup rank%s\n",
	       dev->name, nr, nr == 1 ? "" : "s", nc, nc == 1 ? "" : "s");
	for (i = 0; i < nr; i++)
		printf("range %" PRIu64 "+%" PRIu64 " rank %u\n",
		       (uint64_t)r[i].start, (uint64_t)r[i].nr_sectors, r[i].rank);
	for (i = 0; i < nc; i++)
		if (paths[i])
			printf("cgroup %s rank %u\n", paths[i], c[i].rank);
		else
			printf("cgroup #%" PRIu64 " rank %u\n",
			       (uint64_t)c[i].cgroup_id, c[i].rank);
}

static void normal_rank_load(const struct fdpblk_info *dev, const char *file,
			     bool replace, unsigned int nr, unsigned int nc,
			     unsigned int skipped)
{
	printf("loaded %u range rank%s, %u cgroup rank%s into /dev/%s from %s",
	       nr, nr == 1 ? "" : "s", nc, nc == 1 ? "" : "s", dev->name, file);
	if (replace)
		printf(", every other rank cleared");
	if (skipped)
		printf(", %u removed cgroup%s skipped", skipped,
		       skipped == 1 ? "" : "s");
	putchar('\n');
}

static void normal_waf(const struct waf_report *w)
{
	char b[40];
	double r = waf_ratio(&w->before, &w->after);

	ns_header(w->ctx);
	printf(", %s\n", w->interval ? "while the command ran" : "since power-on");
	printf("host bytes written:   %s\n", u128_str(w->after.hbmw - w->before.hbmw, b));
	printf("media bytes written:  %s\n", u128_str(w->after.mbmw - w->before.mbmw, b));
	if (r >= 0)
		printf("WAF:                  %.3f\n", r);
	else
		printf("WAF:                  - (no host writes)\n");
}

static void normal_top(const struct top_frame *f)
{
	unsigned int i;

	if (isatty(STDOUT_FILENO))
		printf("\033[H\033[2J");
	printf("/dev/%s on %s, last %.1f s\n", f->dev->name, f->dev->lower,
	       f->interval);
	printf("%4s %6s %6s %13s %13s %13s\n", "ph", "pid", "ruhid",
	       "fdpblk_MB/s", "device_MB/s", "ruamw_blocks");
	for (i = 0; i < f->nr; i++) {
		const struct top_row *r = &f->rows[i];

		printf("%4u ", r->ph);
		if (r->have_dev)
			printf("%6u %6u %13.2f %13.2f %13" PRIu64 "\n",
			       r->pid, r->ruhid, r->host_rate / 1e6,
			       r->dev_rate / 1e6, r->ruamw);
		else
			printf("%6s %6s %13.2f %13s %13s\n", "-", "-",
			       r->host_rate / 1e6, "-", "-");
	}
	fflush(stdout);
}

/* Only create says something: the device to use. */
static void normal_device(const struct fdpblk_info *dev, const char *action)
{
	if (!strcmp(action, "create"))
		printf("/dev/%s\n", dev->name);
}

/* One line a change; skipped and refused files were told on stderr. */
static void normal_conf_changes(const struct conf_change *ch, unsigned int nr,
				bool dry_run)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const struct conf_change *c = &ch[i];

		if (!strcmp(c->kind, "create"))
			printf("%s: create: %s\n", c->device, c->detail);
		else if (!strcmp(c->kind, "policy") || !strcmp(c->kind, "rank")) {
			printf("%s: %s %s: %s -> %s", c->device, c->kind,
			       c->key, *c->old ? c->old : "(empty)",
			       *c->new ? c->new : "(empty)");
			print_change_handles(c->handles, c->nr_handles);
			printf("\n");
		}
		else if (!strcmp(c->kind, "none"))
			printf("%s: no change\n", c->device);
	}
	if (dry_run)
		printf("dry run: nothing changed\n");
}

/* @ids: the PID and RUHID columns, or NULL for a table without them. */
static void model_row(const char *run, const char *what, const char *ids,
		      const struct model_count *c)
{
	char h[32], g[32], m[32];
	double w = model_waf(c);

	printf("%-16s %-8s ", run, what);
	if (ids)
		printf("%s ", ids);
	printf("%12s %12s %12s  ", size_str(c->host * MODEL_PAGE, h),
	       size_str(c->gc * MODEL_PAGE, g),
	       size_str((c->host + c->gc) * MODEL_PAGE, m));
	if (w < 0)
		printf("%6s\n", "-");
	else
		printf("%6.3f\n", w);
}

static void normal_model(const struct model_report *m)
{
	const struct model_cfg *c = m->cfg;
	char a[32], b[32], d[32];
	unsigned int i, k;

	printf("MODELLED write amplification: a model of an FDP SSD, not a measurement\n");
	printf("trace %s: %llu writes, %llu discards\n", m->trace,
	       (unsigned long long)m->writes, (unsigned long long)m->discards);
	printf("device (%s): %s, RUs of %s, %u handles, %.2f%% over-provisioning, GC %s, warm-up %s\n",
	       m->from, size_str(c->capacity, a), size_str(c->ru_size, b),
	       c->nr_handles, c->op, model_gc_name(c->gc),
	       size_str(c->warmup, d));
	printf("model: %llu RUs of %llu pages for %llu pages of data, %u free RUs kept for GC\n",
	       (unsigned long long)m->g->rus,
	       (unsigned long long)m->g->ru_pages,
	       (unsigned long long)m->g->pages, MODEL_GC_FREE);
	printf("assumptions:\n");
	for (i = 0; m->assumptions[i]; i++)
		printf("  - %s\n", m->assumptions[i]);
	printf("\n%-16s %-8s %12s %12s %12s  %6s  %s\n", "RUN", "", "HOST",
	       "GC-COPIED", "MEDIA", "WAF", "RHO_DATA");
	for (i = 0; i < m->nr; i++) {
		const struct model_count *t = &m->runs[i].r.total;
		double w = model_waf(t);

		printf("%-16s %-8s %12s %12s %12s  ", m->runs[i].name, "total",
		       size_str(t->host * MODEL_PAGE, a),
		       size_str(t->gc * MODEL_PAGE, b),
		       size_str((t->host + t->gc) * MODEL_PAGE, d));
		if (w < 0)
			printf("%6s", "-");
		else
			printf("%6.3f", w);
		printf("  %.4f\n", m->runs[i].r.rho_data);
	}
	for (i = 0, k = 0; i < m->nr; i++)
		k += !m->runs[i].baseline && m->runs[i].compared;
	if (k)
		printf("\nthe trace's ph against each policy's offline classification (the module's rules):\n");
	for (i = 0; k && i < m->nr; i++) {
		const struct model_run *r = &m->runs[i];

		if (r->baseline || !r->compared)
			continue;
		printf("%-16s %llu of %llu writes got the trace's ph", r->name,
		       (unsigned long long)(r->compared - r->differ),
		       (unsigned long long)r->compared);
		if (r->differ)
			printf("; the first other at line %lu: ph %u, the trace's %u",
			       r->diff_line, r->diff_ph, r->diff_recorded);
		printf("\n");
	}
	/* With --device: each ph's placement ID and RUH id ("-": none). */
	printf("\n%-16s %-8s ", "RUN", "PH");
	if (m->handles)
		printf("%6s %6s ", "PID", "RUHID");
	printf("%12s %12s %12s  %6s\n", "HOST", "GC-COPIED", "MEDIA", "WAF");
	for (i = 0; i < m->nr; i++) {
		for (k = 0; k <= FDPBLK_MAX_PH; k++) {
			const struct model_count *p = &m->runs[i].r.ph[k];

			if (!p->host && !p->gc)
				continue;
			snprintf(a, sizeof(a), "%u", k);
			if (k && k <= m->nr_handles)
				snprintf(b, sizeof(b), "%6u %6u",
					 m->handles[k - 1].pid,
					 m->handles[k - 1].ruhid);
			else
				snprintf(b, sizeof(b), "%6s %6s", "-", "-");
			model_row(m->runs[i].name, a, m->handles ? b : NULL, p);
		}
		if (m->runs[i].r.gc_other)
			printf("%-16s %-8s %12s %12s (GC copies of (ph, rule) pairs beyond %d)\n",
			       m->runs[i].name, "other", "",
			       size_str(m->runs[i].r.gc_other * MODEL_PAGE, b),
			       MODEL_NR_CLASSES - 1);
	}
	printf("\n%-16s %-8s %12s %12s %12s  %6s\n", "RUN", "SOURCE", "HOST",
	       "GC-COPIED", "MEDIA", "WAF");
	for (i = 0; i < m->nr; i++)
		for (k = 0; k < MODEL_NR_SOURCES; k++) {
			const struct model_count *p = &m->runs[i].r.src[k];

			if (p->host || p->gc)
				model_row(m->runs[i].name, model_source_name(k),
					  NULL, p);
		}
	printf("\nmodelled %llu page writes (host, GC, warm-up; trace reading included) in %.2f s: %.0f page writes/s\n",
	       (unsigned long long)m->pages, m->seconds,
	       m->seconds > 0 ? m->pages / m->seconds : 0);
}

const struct print_ops print_normal = {
	.model		= normal_model,
	.features	= normal_features,
	.list		= normal_list,
	.status		= normal_status,
	.configs	= normal_configs,
	.usage		= normal_usage,
	.stats		= normal_stats,
	.events		= normal_events,
	.event_cfg	= normal_event_cfg,
	.policy		= normal_policy,
	.policy_change	= normal_policy_change,
	.ranks		= normal_ranks,
	.waf		= normal_waf,
	.top		= normal_top,
	.device		= normal_device,
	/* Quiet when it worked, as util-linux's commands are. */
	.rank_change	= NULL,
	.update		= NULL,
	.rank_load	= normal_rank_load,
	.conf_changes	= normal_conf_changes,
	.run		= NULL,
	.error		= NULL,		/* stderr says it */
};
