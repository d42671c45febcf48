// SPDX-License-Identifier: GPL-2.0
/*
 * fdpctl's JSON output (json-c): one document per command, except top,
 * which prints one line-sized document per refresh.
 */
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>

#include "print.h"

/* Whether a document is out: an error after one adds no second. */
static bool emitted;

static void emit(struct json_object *o, int flags)
{
	emitted = true;
	/* Paths as they are written: "/dev/nvme0n1", not "\/dev\/nvme0n1". */
	puts(json_object_to_json_string_ext(o, flags | JSON_C_TO_STRING_NOSLASHESCAPE));
	fflush(stdout);
	json_object_put(o);
}

static void add(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

static struct json_object *jint(int64_t v)
{
	return json_object_new_int64(v);
}

static struct json_object *jstr(const char *s)
{
	return json_object_new_string(s);
}

/* A 128-bit counter: always decimal text, whatever its size. */
static struct json_object *ju128(unsigned __int128 v)
{
	char buf[40];

	return jstr(u128_str(v, buf));
}

static struct json_object *jnull(void)
{
	return NULL;	/* json-c's null */
}

/* @err as open_ns() returns it: a negative errno, or an NVMe status. */
static struct json_object *jerror(int err)
{
	char buf[32];

	if (err < 0)
		return jstr(strerror(-err));
	snprintf(buf, sizeof(buf), "NVMe status 0x%x", err);
	return jstr(buf);
}

static struct json_object *jerrno(int err)
{
	return err < 0 ? jint(-err) : jnull();
}

/*
 * As nvme-cli's JSON output does: the error as a document on stdout, for
 * a script that reads only stdout; unless the command printed one already.
 */
static void json_error(const char *msg, int err)
{
	struct json_object *o;

	if (emitted)
		return;
	o = json_object_new_object();
	add(o, "error", jstr(msg));
	add(o, "errno", err ? jint(err) : jnull());
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static struct json_object *ju16s(const uint16_t *v, unsigned int n)
{
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, jint(v[i]));
	return a;
}

static struct json_object *jwaf(const struct fdp_stats *before,
				const struct fdp_stats *after)
{
	double w = waf_ratio(before, after);

	return w >= 0 ? json_object_new_double(w) : jnull();
}

static void json_features(const struct fdpblk_features *f)
{
	struct json_object *o = json_object_new_object();

	add(o, "abi_version", jint(f->abi_version));
	add(o, "features", json_object_new_uint64(f->features));
	add(o, "max_streams", jint(f->max_streams));
	add(o, "max_range_ranks", jint(f->max_range_ranks));
	add(o, "max_cgroup_ranks", jint(f->max_cgroup_ranks));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static struct json_object *json_dev(const struct fdpblk_info *d)
{
	struct json_object *o = json_object_new_object();
	char path[DEV_NAME_LEN + 8];

	snprintf(path, sizeof(path), "/dev/%s", d->name);
	add(o, "device", jstr(d->name));
	add(o, "path", jstr(path));
	add(o, "dev_id", jint(d->id));
	add(o, "name", jstr(d->dev_name));
	add(o, "lower", jstr(d->lower));
	add(o, "passthrough", json_object_new_boolean(d->passthrough));
	add(o, "handles", jint(d->lim.max_ph));
	add(o, "streams", jint(d->lim.nr_streams));
	add(o, "policy_version", json_object_new_uint64(d->policy_version));
	add(o, "range_ranks", jint(d->nr_range_ranks));
	add(o, "cgroup_ranks", jint(d->nr_cgroup_ranks));
	return o;
}

static void json_list(const struct list_ns *ns, unsigned int nr_ns,
		      const struct fdpblk_info *devs, unsigned int nr_devs,
		      unsigned int flags)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	unsigned int i;

	(void)flags;	/* a table's layout: JSON has none (see cmd_list) */
	for (i = 0; i < nr_ns; i++) {
		const struct list_ns *l = &ns[i];
		struct json_object *e = json_object_new_object();
		bool on = !l->err && l->info.enabled;

		add(e, "namespace", jstr(l->ns.blk));
		add(e, "chardev", jstr(l->ns.ng));
		add(e, "controller", jstr(l->ns.ctrl));
		add(e, "nsid", jint(l->ns.nsid));
		add(e, "max_write_streams", jint(l->q.max_write_streams));
		add(e, "fdpblk", l->q.holder[0] ? jstr(l->q.holder) : jnull());
		/* Every key in every entry: what could not be read is null. */
		add(e, "error", l->err ? jerror(l->err) : jnull());
		add(e, "errno", l->err ? jerrno(l->err) : jnull());
		add(e, "fdp_supported", l->err ? jnull() :
		    json_object_new_boolean(l->info.supported));
		add(e, "fdp_enabled", l->err ? jnull() :
		    json_object_new_boolean(l->info.enabled));
		add(e, "endgid", on ? jint(l->info.endgid) : jnull());
		add(e, "config_index", on ? jint(l->info.conf_idx) : jnull());
		add(e, "handles", on ? jint(l->nr_ruhs) : jnull());
		add(e, "reclaim_groups", on ? jint(l->info.conf.nrg) : jnull());
		add(e, "ru_bytes", on ? json_object_new_uint64(l->info.conf.runs) :
		    jnull());
		add(e, "no_streams_reason", l->no_streams[0] ?
		    jstr(l->no_streams) : jnull());
		add(e, "max_transfer", !l->err && l->ns.max_xfer ?
		    jint(l->ns.max_xfer) : jnull());
		json_object_array_add(a, e);
	}
	add(o, "namespaces", a);
	a = json_object_new_array();
	for (i = 0; i < nr_devs; i++)
		json_object_array_add(a, json_dev(&devs[i]));
	add(o, "devices", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static struct json_object *json_ns(const struct ns_ctx *c)
{
	struct json_object *o = json_object_new_object();

	add(o, "namespace", jstr(c->ns->blk));
	add(o, "nsid", jint(c->ns->nsid));
	add(o, "endgid", jint(c->info->endgid));
	return o;
}

static void json_status(const struct ns_ctx *c, const struct fdp_ruhs_desc *d,
			unsigned int nr, unsigned int total)
{
	const struct fdp_conf *conf = &c->info->conf;
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i;

	add(o, "ru_bytes", json_object_new_uint64(conf->runs));
	add(o, "max_transfer", jint(c->ns->max_xfer));
	add(o, "nruhsd", jint(total));
	add(o, "truncated", json_object_new_boolean(nr < total));
	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "ph", i < c->max_write_streams ? jint(i + 1) :
			jnull());
		add(e, "pid", jint(d[i].pid));
		add(e, "rgid", jint(fdp_pid_rgid(d[i].pid, conf->rgif)));
		add(e, "ruhid", jint(d[i].ruhid));
		add(e, "ruht", jstr(fdp_ruht_name(fdp_ruht(conf, d[i].ruhid))));
		add(e, "earutr", jint(d[i].earutr));
		add(e, "ruamw", json_object_new_uint64(d[i].ruamw));
		json_object_array_add(a, e);
	}
	add(o, "handles", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_configs(const struct ns_ctx *c, const struct fdp_conf *conf,
			 unsigned int nr)
{
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		const struct fdp_conf *f = &conf[i];
		struct json_object *e = json_object_new_object();
		struct json_object *r = json_object_new_array();

		add(e, "index", jint(i));
		add(e, "in_use", json_object_new_boolean(c->info->enabled &&
							  c->info->conf_idx == i));
		add(e, "valid", json_object_new_boolean(f->valid));
		add(e, "rgif", jint(f->rgif));
		add(e, "vwc", json_object_new_boolean(f->vwc));
		add(e, "nrg", jint(f->nrg));
		add(e, "nruh", jint(f->nruh));
		/* The number of PIDs, as normal output: MAXPIDS + 1. */
		add(e, "max_pids", jint(f->max_pids));
		add(e, "nnss", jint(f->nnss));
		add(e, "runs", json_object_new_uint64(f->runs));
		add(e, "erutl", jint(f->erutl));
		add(e, "vss", jint(f->vss));
		for (j = 0; j < f->nruh && j < sizeof(f->ruht); j++)
			json_object_array_add(r, jstr(fdp_ruht_name(fdp_ruht(f, j))));
		add(e, "ruht", r);
		json_object_array_add(a, e);
	}
	add(o, "configs", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_usage(const struct ns_ctx *c, const uint8_t *ruha,
		       unsigned int nr)
{
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "ruhid", jint(i));
		add(e, "ruha", jint(ruha[i]));
		add(e, "attributes", jstr(fdp_ruha_name(ruha[i])));
		json_object_array_add(a, e);
	}
	add(o, "ruhs", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_stats(const struct ns_ctx *c, const struct fdp_stats *s)
{
	const struct fdp_stats zero = { 0 };
	struct json_object *o = json_ns(c);

	add(o, "hbmw", ju128(s->hbmw));
	add(o, "mbmw", ju128(s->mbmw));
	add(o, "mbe", ju128(s->mbe));
	add(o, "waf", jwaf(&zero, s));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_events(const struct ns_ctx *c, bool host,
			const struct fdp_event *ev, const unsigned int *ph,
			unsigned int nr)
{
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i;

	add(o, "host_events", json_object_new_boolean(host));
	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();
		const struct fdp_event *v = &ev[i];
		bool realloc = v->type == FDP_EVENT_MEDIA_REALLOCATED;

		add(e, "type", jint(v->type));
		add(e, "name", jstr(fdp_event_name(v->type)));
		add(e, "fdpef", jint(v->flags));
		add(e, "ph", ph[i] ? jint(ph[i]) : jnull());
		add(e, "pid", v->flags & FDP_EVENT_PIV ? jint(v->pid) : jnull());
		add(e, "nsid", v->flags & FDP_EVENT_NSIDV ? jint(v->nsid) : jnull());
		add(e, "rgid", v->flags & FDP_EVENT_LV ? jint(v->rgid) : jnull());
		add(e, "ruhid", v->flags & FDP_EVENT_LV ? jint(v->ruhid) : jnull());
		add(e, "timestamp", json_object_new_uint64(v->timestamp));
		/* Media reallocated only; null for every other type. */
		add(e, "sef", realloc ? jint(v->sef) : jnull());
		add(e, "nlbam", realloc ? jint(v->nlbam) : jnull());
		add(e, "lba", realloc && (v->sef & FDP_REALLOC_LBAV) ?
		    json_object_new_uint64(v->lba) : jnull());
		json_object_array_add(a, e);
	}
	add(o, "events", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

/*
 * Each ph with its NVMe placement ID, RUH id and type side by side; null
 * where the namespace's RUH status could not be read.
 */
static struct json_object *json_handles(const struct policy_limits *lim)
{
	const struct policy_handle *h = lim->handles;
	struct json_object *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < lim->max_ph; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "ph", jint(i + 1));
		add(e, "pid", h ? jint(h[i].pid) : jnull());
		add(e, "ruhid", h ? jint(h[i].ruhid) : jnull());
		add(e, "ruht", h ? jstr(fdp_ruht_name(h[i].ruht)) : jnull());
		json_object_array_add(a, e);
	}
	return a;
}

static void json_event_cfg(const struct ns_ctx *c, unsigned int ph,
			   const struct fdp_ruhs_desc *h,
			   const struct fdp_event_cfg *ev, unsigned int nr)
{
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i;

	add(o, "ph", jint(ph));
	add(o, "pid", jint(h->pid));
	add(o, "ruhid", jint(h->ruhid));
	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "type", jint(ev[i].type));
		add(e, "name", jstr(fdp_event_name(ev[i].type)));
		add(e, "enabled", json_object_new_boolean(ev[i].enabled));
		json_object_array_add(a, e);
	}
	add(o, "event_types", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_update(const struct ns_ctx *c, const unsigned int *ph,
			const uint16_t *pids, const int *ruhids,
			unsigned int nr)
{
	struct json_object *o = json_ns(c), *a = json_object_new_array();
	unsigned int i;

	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "ph", ph[i] ? jint(ph[i]) : jnull());
		add(e, "pid", jint(pids[i]));
		add(e, "ruhid", ruhids[i] >= 0 ? jint(ruhids[i]) : jnull());
		json_object_array_add(a, e);
	}
	add(o, "updated", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static struct json_object *json_policy_obj(const struct fdpblk_info *dev,
					   const struct fdpblk_policy *p)
{
	struct json_object *o = json_object_new_object();
	struct json_object *h = json_object_new_object();
	struct json_object *s = json_object_new_array();
	unsigned int i;

	add(o, "version", json_object_new_uint64(p->version));
	add(o, "default", jint(p->default_ph));
	for (i = 1; i < FDPBLK_NR_HINTS; i++)
		add(h, policy_hint_name(i), jint(p->hint_map[i]));
	add(o, "hint", h);
	for (i = 1; i <= dev->lim.nr_streams; i++)
		json_object_array_add(s, p->stream_map[i] == FDPBLK_PH_FOLLOW_HINT ?
				      jstr("hint") : jint(p->stream_map[i]));
	add(o, "stream", s);
	add(o, "data_pool", ju16s(p->data_pool, p->data_pool_len));
	add(o, "meta_pool", ju16s(p->meta_pool, p->meta_pool_len));
	add(o, "meta_chunk_kib", jint(p->meta_chunk_kib));
	add(o, "handles", json_handles(&dev->lim));
	return o;
}

static void json_policy(const struct fdpblk_info *dev,
			const struct fdpblk_policy *p, const char *lower)
{
	struct json_object *o = json_object_new_object();

	add(o, "device", jstr(dev->name));
	add(o, "lower", jstr(dev->lower));
	add(o, "lower_id", jstr(lower));
	add(o, "handles", jint(dev->lim.max_ph));
	add(o, "streams", jint(dev->lim.nr_streams));
	add(o, "policy", json_policy_obj(dev, p));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

/* The handles of a change's ph, [{ph, pid, ruhid}], or null (-1). */
static struct json_object *json_change_handles(const struct change_handle *h,
					       int n)
{
	struct json_object *a, *e;
	int i;

	if (n < 0)
		return jnull();
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		e = json_object_new_object();
		add(e, "ph", jint(h[i].ph));
		add(e, "pid", jint(h[i].pid));
		add(e, "ruhid", jint(h[i].ruhid));
		json_object_array_add(a, e);
	}
	return a;
}

struct change_arg {
	struct json_object *a;
	const struct policy_limits *lim;
};

static void add_change(void *arg, const char *key, const char *old,
		       const char *new)
{
	struct json_object *e = json_object_new_object();
	struct change_handle h[FDPBLK_MAX_PH];
	struct change_arg *c = arg;

	add(e, "key", jstr(key));
	add(e, "old", jstr(old));
	add(e, "new", jstr(new));
	add(e, "handles", json_change_handles(h, change_handles(c->lim, key,
								old, new, h)));
	json_object_array_add(c->a, e);
}

static void json_policy_change(const struct fdpblk_info *dev,
			       const struct fdpblk_policy *old,
			       const struct fdpblk_policy *new,
			       const struct policy_reasons *why,
			       const char *lower, enum policy_push how)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	struct change_arg c = { .a = a, .lim = &dev->lim };
	unsigned int i;

	add(o, "device", jstr(dev->name));
	add(o, "lower_id", jstr(lower));
	add(o, "pushed", json_object_new_boolean(how == POLICY_PUSHED));
	add(o, "policy", json_policy_obj(dev, new));
	policy_diff(old, new, &dev->lim, add_change, &c);
	add(o, "changes", a);
	a = json_object_new_array();
	for (i = 0; why && i < why->n; i++)
		json_object_array_add(a, jstr(why->line[i]));
	add(o, "reasons", a);
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static struct json_object *json_ranks_obj(const struct fdpblk_info *dev,
					  const struct fdpblk_range_rank *r,
					  unsigned int nr,
					  const struct fdpblk_cgroup_rank *c,
					  char *const *paths, unsigned int nc)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	unsigned int i;

	add(o, "device", jstr(dev->name));
	for (i = 0; i < nr; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "start", json_object_new_uint64(r[i].start));
		add(e, "nr_sectors", json_object_new_uint64(r[i].nr_sectors));
		add(e, "rank", jint(r[i].rank));
		json_object_array_add(a, e);
	}
	add(o, "ranges", a);
	a = json_object_new_array();
	for (i = 0; i < nc; i++) {
		struct json_object *e = json_object_new_object();

		add(e, "cgroup_id", json_object_new_uint64(c[i].cgroup_id));
		add(e, "path", paths[i] ? jstr(paths[i]) : jnull());
		add(e, "rank", jint(c[i].rank));
		json_object_array_add(a, e);
	}
	add(o, "cgroups", a);
	return o;
}

static void json_ranks(const struct fdpblk_info *dev,
		       const struct fdpblk_range_rank *r, unsigned int nr,
		       const struct fdpblk_cgroup_rank *c, char *const *paths,
		       unsigned int nc)
{
	emit(json_ranks_obj(dev, r, nr, c, paths, nc), JSON_C_TO_STRING_PRETTY);
}

/* The ranks set or cleared, in rank list's shape, and what was done. */
static void json_rank_change(const struct fdpblk_info *dev, const char *action,
			     bool all, const struct fdpblk_range_rank *r,
			     unsigned int nr, const struct fdpblk_cgroup_rank *c,
			     char *const *paths, unsigned int nc)
{
	struct json_object *o = json_ranks_obj(dev, r, nr, c, paths, nc);

	add(o, "action", jstr(action));
	add(o, "all", json_object_new_boolean(all));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_rank_load(const struct fdpblk_info *dev, const char *file,
			   bool replace, unsigned int nr, unsigned int nc,
			   unsigned int skipped)
{
	struct json_object *o = json_object_new_object();

	add(o, "device", jstr(dev->name));
	add(o, "file", jstr(file));
	add(o, "replace", json_object_new_boolean(replace));
	add(o, "range_ranks", jint(nr));
	add(o, "cgroup_ranks", jint(nc));
	add(o, "skipped", jint(skipped));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

/* An array of changes, each with the fields it has. */
static void json_conf_changes(const struct conf_change *ch, unsigned int nr,
			      bool dry_run)
{
	struct json_object *a = json_object_new_array(), *o;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		o = json_object_new_object();
		add(o, "device", jstr(ch[i].device));
		add(o, "file", jstr(ch[i].file));
		add(o, "change", jstr(ch[i].kind));
		if (ch[i].key)
			add(o, "key", jstr(ch[i].key));
		if (ch[i].old)
			add(o, "old", jstr(ch[i].old));
		if (ch[i].new)
			add(o, "new", jstr(ch[i].new));
		if (ch[i].detail)
			add(o, "detail", jstr(ch[i].detail));
		if (!strcmp(ch[i].kind, "policy"))
			add(o, "handles", json_change_handles(ch[i].handles,
							      ch[i].nr_handles));
		add(o, "dry_run", json_object_new_boolean(dry_run));
		json_object_array_add(a, o);
	}
	emit(a, JSON_C_TO_STRING_PRETTY);
}

static void json_device(const struct fdpblk_info *dev, const char *action)
{
	struct json_object *o = json_dev(dev);

	add(o, "action", jstr(action));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_run(const struct fdpblk_info *dev, __u32 rank,
		     const char *cgroup, int status)
{
	struct json_object *o = json_object_new_object();

	add(o, "device", jstr(dev->name));
	add(o, "rank", json_object_new_uint64(rank));
	add(o, "cgroup", jstr(cgroup));
	add(o, "command_status", status >= 0 ? jint(status) : jnull());
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_waf(const struct waf_report *w)
{
	struct json_object *o = json_ns(w->ctx);

	add(o, "interval", jstr(w->interval ? "command" : "power_on"));
	add(o, "host_bytes", ju128(w->after.hbmw - w->before.hbmw));
	add(o, "media_bytes", ju128(w->after.mbmw - w->before.mbmw));
	add(o, "waf", jwaf(&w->before, &w->after));
	add(o, "command_status", w->cmd_status >= 0 ? jint(w->cmd_status) : jnull());
	emit(o, JSON_C_TO_STRING_PRETTY);
}

static void json_top(const struct top_frame *f)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();
	unsigned int i;

	add(o, "device", jstr(f->dev->name));
	add(o, "lower", jstr(f->dev->lower));
	add(o, "interval_s", json_object_new_double(f->interval));
	for (i = 0; i < f->nr; i++) {
		const struct top_row *r = &f->rows[i];
		struct json_object *e = json_object_new_object();

		add(e, "ph", jint(r->ph));
		add(e, "fdpblk_bytes_per_s", json_object_new_double(r->host_rate));
		add(e, "pid", r->have_dev ? jint(r->pid) : jnull());
		add(e, "ruhid", r->have_dev ? jint(r->ruhid) : jnull());
		add(e, "device_bytes_per_s", r->have_dev ?
		    json_object_new_double(r->dev_rate) : jnull());
		add(e, "ruamw", r->have_dev ? json_object_new_uint64(r->ruamw) :
		    jnull());
		json_object_array_add(a, e);
	}
	add(o, "handles", a);
	emit(o, JSON_C_TO_STRING_PLAIN);
}

static struct json_object *json_count(const struct model_count *c)
{
	struct json_object *o = json_object_new_object();
	double w = model_waf(c);

	add(o, "host_bytes", json_object_new_uint64(c->host * MODEL_PAGE));
	add(o, "gc_bytes", json_object_new_uint64(c->gc * MODEL_PAGE));
	add(o, "media_bytes",
	    json_object_new_uint64((c->host + c->gc) * MODEL_PAGE));
	add(o, "waf", w < 0 ? jnull() : json_object_new_double(w));
	return o;
}

/* A policy's classification against the trace's ph; null for a baseline. */
static struct json_object *json_recorded(const struct model_run *r)
{
	struct json_object *o, *d = NULL;

	if (r->baseline)
		return NULL;
	o = json_object_new_object();
	add(o, "compared", json_object_new_uint64(r->compared));
	add(o, "differ", json_object_new_uint64(r->differ));
	if (r->differ) {
		d = json_object_new_object();
		add(d, "line", json_object_new_uint64(r->diff_line));
		add(d, "ph", jint(r->diff_ph));
		add(d, "recorded", jint(r->diff_recorded));
	}
	add(o, "first_difference", d);
	return o;
}

static void json_model(const struct model_report *m)
{
	struct json_object *o = json_object_new_object();
	struct json_object *cfg = json_object_new_object();
	struct json_object *as = json_object_new_array();
	struct json_object *runs = json_object_new_object();
	unsigned int i, k;

	add(o, "model", json_object_new_boolean(1));
	add(o, "note", jstr("modelled write amplification: a model of an FDP SSD, not a measurement"));
	add(o, "trace", jstr(m->trace));
	add(o, "writes", json_object_new_uint64(m->writes));
	add(o, "discards", json_object_new_uint64(m->discards));
	add(cfg, "from", jstr(m->from));
	add(cfg, "capacity_bytes", json_object_new_uint64(m->cfg->capacity));
	add(cfg, "ru_bytes", json_object_new_uint64(m->cfg->ru_size));
	add(cfg, "handles", jint(m->cfg->nr_handles));
	add(cfg, "op_percent", json_object_new_double(m->cfg->op));
	add(cfg, "gc", jstr(model_gc_name(m->cfg->gc)));
	add(cfg, "warmup_bytes", json_object_new_uint64(m->cfg->warmup));
	add(cfg, "rus", json_object_new_uint64(m->g->rus));
	add(cfg, "gc_free_rus", jint(MODEL_GC_FREE));
	add(o, "config", cfg);
	for (i = 0; m->assumptions[i]; i++)
		json_object_array_add(as, jstr(m->assumptions[i]));
	add(o, "assumptions", as);
	for (i = 0; i < m->nr; i++) {
		const struct model_result *r = &m->runs[i].r;
		struct json_object *e = json_count(&r->total);
		struct json_object *ph = json_object_new_array();
		struct json_object *src = json_object_new_object();

		add(e, "baseline", json_object_new_boolean(m->runs[i].baseline));
		add(e, "recorded_ph", json_recorded(&m->runs[i]));
		add(e, "rho_data", json_object_new_double(r->rho_data));
		add(e, "warmup_bytes_skipped",
		    json_object_new_uint64(r->warmup_pages * MODEL_PAGE));
		add(e, "gc_other_bytes",
		    json_object_new_uint64(r->gc_other * MODEL_PAGE));
		for (k = 0; k <= FDPBLK_MAX_PH; k++) {
			struct json_object *h;

			if (!r->ph[k].host && !r->ph[k].gc)
				continue;
			h = json_count(&r->ph[k]);
			add(h, "ph", jint(k));
			/* With --device: its handle; null for ph 0 or none. */
			add(h, "pid", k && k <= m->nr_handles ?
			    jint(m->handles[k - 1].pid) : jnull());
			add(h, "ruhid", k && k <= m->nr_handles ?
			    jint(m->handles[k - 1].ruhid) : jnull());
			json_object_array_add(ph, h);
		}
		for (k = 0; k < MODEL_NR_SOURCES; k++)
			if (r->src[k].host || r->src[k].gc)
				add(src, model_source_name(k),
				    json_count(&r->src[k]));
		add(e, "handles", ph);
		add(e, "sources", src);
		add(runs, m->runs[i].name, e);
	}
	add(o, "policies", runs);
	add(o, "page_writes", json_object_new_uint64(m->pages));
	add(o, "seconds", json_object_new_double(m->seconds));
	emit(o, JSON_C_TO_STRING_PRETTY);
}

const struct print_ops print_json = {
	.model		= json_model,
	.features	= json_features,
	.list		= json_list,
	.status		= json_status,
	.configs	= json_configs,
	.usage		= json_usage,
	.stats		= json_stats,
	.events		= json_events,
	.event_cfg	= json_event_cfg,
	.update		= json_update,
	.policy		= json_policy,
	.policy_change	= json_policy_change,
	.ranks		= json_ranks,
	.waf		= json_waf,
	.top		= json_top,
	.device		= json_device,
	.rank_change	= json_rank_change,
	.rank_load	= json_rank_load,
	.conf_changes	= json_conf_changes,
	.run		= json_run,
	.error		= json_error,
};
