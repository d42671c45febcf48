// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe namespaces and their FDP logs: list, status, configs, usage,
 * stats, events. Everything is read through io_uring passthrough (nvme.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "parse.h"

/* -n and -r: a flag each. */
static int list_opt(int key, const char *arg, void *flags)
{
	(void)arg;
	*(unsigned int *)flags |= key == 'n' ? LIST_NOHEADINGS : LIST_RAW;
	return 0;
}

/*
 * Why the kernel gives namespace @l no write stream, in the order the
 * kernel's nvme_query_fdp_info() gives up: "" when it gives some, or when
 * nothing could be read.
 */
static void no_streams_reason(struct list_ns *l, int ruhs_err)
{
	const char *why = NULL;

	if (l->q.max_write_streams || l->err)
		return;
	if (!l->info.supported)
		why = "fdp not supported";
	else if (!l->info.enabled)
		why = "fdp disabled";
	else if (l->info.conf.nrg > 1)
		snprintf(l->no_streams, sizeof(l->no_streams),
			 "%u reclaim groups", l->info.conf.nrg);
	else if (!l->info.conf.runs)
		why = "no reclaim unit size";
	else if (ruhs_err)
		why = "ruh status unreadable";
	else if (!l->nr_ruhs)
		why = "no handles";
	else	/* a kernel without write streams, or FDP enabled after the scan */
		why = "not registered by the kernel";
	if (why)
		snprintf(l->no_streams, sizeof(l->no_streams), "%s", why);
}

int cmd_list(int argc, char **argv)
{
	char (*names)[DEV_NAME_LEN] = NULL;
	struct fdpblk_info *devs = NULL;
	unsigned int nr_ns, nr_devs, i, flags = 0;
	struct list_ns *ns;
	int ret;

	if (parse_args(argc, argv, 0, list_opt, &flags) < 0)
		return 2;
	/* A table's layout means nothing in JSON: not taken and ignored. */
	if (flags && out == &print_json)
		return usage_error();
	ret = ns_list(&names, &nr_ns);
	if (ret)
		return fail("/sys/block", -ret);
	ret = fdpblk_list(&devs, &nr_devs);
	if (ret) {
		free(names);
		return fail("/sys/block", -ret);
	}
	ns = calloc(nr_ns ? nr_ns : 1, sizeof(*ns));
	if (!ns) {
		free(names);
		free(devs);
		return fail("list", ENOMEM);
	}
	for (i = 0; i < nr_ns; i++) {
		struct list_ns *l = &ns[i];
		struct fdp_ruhs_desc *d;
		unsigned int total;
		int ruhs_err = 0;

		ns_queue_info(names[i], &l->q);
		l->err = open_ns(names[i], NS_QUIET, &l->ns, &l->info, NULL);
		if (!l->err && l->info.enabled) {
			/* Every handle counts here, not only those read. */
			ruhs_err = fdp_ruh_status_all(&l->ns, &d, &l->nr_ruhs, &total);
			if (!ruhs_err) {
				l->nr_ruhs = total;
				free(d);
			}
		}
		no_streams_reason(l, ruhs_err);
		/* Keep the name even when the namespace could not be opened. */
		if (!l->ns.name[0]) {
			snprintf(l->ns.name, sizeof(l->ns.name), "%s", names[i]);
			snprintf(l->ns.blk, sizeof(l->ns.blk), "/dev/%s", names[i]);
		}
	}
	/* Without root nothing can be read: say so once, list anyway. */
	for (i = 0; i < nr_ns; i++) {
		if (ns[i].err == -EACCES || ns[i].err == -EPERM) {
			fprintf(stderr, "fdpctl: list: FDP state needs root (NVMe passthrough)\n");
			break;
		}
	}
	out->list(ns, nr_ns, devs, nr_devs, flags);
	free(ns);
	free(names);
	free(devs);
	return 0;
}

/* What a read command on one FDP namespace shows. */
enum ns_show {
	SHOW_STATUS,	/* RUH status */
	SHOW_CONFIGS,	/* log pages 20h.. */
	SHOW_USAGE,
	SHOW_STATS,
	SHOW_EVENTS,	/* ..23h */
};

/* The index of placement ID @pid among the first @n descriptors; @n if none. */
static unsigned int ruhs_find_pid(const struct fdp_ruhs_desc *d, unsigned int n,
				  uint16_t pid)
{
	unsigned int k;

	for (k = 0; k < n && d[k].pid != pid; k++)
		;
	return k;
}

/*
 * The ph of each event on this namespace: its placement ID's RUH status
 * descriptor, plus one, within the kernel's handles. An event of another
 * namespace (the log is the endurance group's) or without a valid PID
 * keeps 0, and all do if the RUH status cannot be read.
 */
static void events_ph(const struct ns_ctx *c, const struct fdp_event *ev,
		      unsigned int n, unsigned int *ph)
{
	struct fdp_ruhs_desc *d;
	unsigned int nd, i, k;

	if (fdp_ruh_status(c->ns, &d, &nd))
		return;
	if (nd > c->max_write_streams)
		nd = c->max_write_streams;
	for (i = 0; i < n; i++) {
		if (!(ev[i].flags & FDP_EVENT_PIV) ||
		    !(ev[i].flags & FDP_EVENT_NSIDV) || ev[i].nsid != c->ns->nsid)
			continue;
		k = ruhs_find_pid(d, nd, ev[i].pid);
		if (k < nd)
			ph[i] = k + 1;
	}
	free(d);
}

/* Fetch it and print it: 0, or what explain_nvme() explains. */
static int ns_show(const struct ns_ctx *c, enum ns_show what, bool host)
{
	unsigned int endgid = c->info->endgid, n, total;
	struct fdp_ruhs_desc *d = NULL;
	struct fdp_conf *conf = NULL;
	struct fdp_event *ev = NULL;
	unsigned int *ph = NULL;
	uint8_t *ruha = NULL;
	struct fdp_stats st;
	int ret = 0;

	switch (what) {
	case SHOW_STATUS:
		ret = fdp_ruh_status_all(c->ns, &d, &n, &total);
		if (!ret && n < total)
			fprintf(stderr, "fdpctl: %s: the first %u of %u reclaim unit handles: one transfer (%u bytes) holds no more\n",
				c->ns->name, n, total, c->ns->max_xfer);
		if (!ret)
			out->status(c, d, n, total);
		break;
	case SHOW_CONFIGS:
		ret = fdp_configs(c->ns, endgid, &conf, &n);
		if (!ret)
			out->configs(c, conf, n);
		break;
	case SHOW_USAGE:
		ret = fdp_ruh_usage(c->ns, endgid, &ruha, &n);
		if (!ret)
			out->usage(c, ruha, n);
		break;
	case SHOW_STATS:
		ret = fdp_stats(c->ns, endgid, &st);
		if (!ret)
			out->stats(c, &st);
		break;
	case SHOW_EVENTS:
		ret = fdp_events(c->ns, endgid, host, &ev, &n);
		if (ret)
			break;
		ph = calloc(n ? n : 1, sizeof(*ph));
		if (!ph) {
			ret = -ENOMEM;
			break;
		}
		events_ph(c, ev, n, ph);
		out->events(c, host, ev, ph, n);
		break;
	}
	free(d);
	free(conf);
	free(ruha);
	free(ev);
	free(ph);
	return ret;
}

/* The only option of these but -o: events' -E (or its old spelling). */
static int host_opt(int key, const char *arg, void *host)
{
	(void)key;
	(void)arg;
	*(bool *)host = true;
	return 0;
}

/* Parse, open the namespace, show. */
static int ns_cmd(int argc, char **argv, enum ns_show what)
{
	struct fdp_info info;
	bool host = false;
	struct fdp_ns ns;
	struct ns_ctx c;
	int ret, idx;

	idx = parse_args(argc, argv, 1, host_opt, &host);
	if (idx < 0)
		return 2;
	ret = open_ns(argv[idx], NS_DEVICE | NS_FDP, &ns, &info, &c);
	if (ret)
		return ret;
	ret = ns_show(&c, what, host);
	return ret ? explain_nvme(argv[idx], ret) : 0;
}

int cmd_status(int argc, char **argv)
{
	return ns_cmd(argc, argv, SHOW_STATUS);
}

int cmd_configs(int argc, char **argv)
{
	return ns_cmd(argc, argv, SHOW_CONFIGS);
}

int cmd_usage(int argc, char **argv)
{
	return ns_cmd(argc, argv, SHOW_USAGE);
}

int cmd_stats(int argc, char **argv)
{
	return ns_cmd(argc, argv, SHOW_STATS);
}

int cmd_events(int argc, char **argv)
{
	return ns_cmd(argc, argv, SHOW_EVENTS);
}

/* The handles an update names: ph N (1-based), or pid:N; MAX_UPDATE of them. */
#define MAX_UPDATE	256

struct update_opts {
	unsigned int nr;
	unsigned int ph[MAX_UPDATE];	/* 0: given as a PID */
	uint16_t pid[MAX_UPDATE];
};

/* --ph N[,N...], each N a handle (1..65536) or pid:N (0..65535). */
static int update_opt(int key, const char *arg, void *data)
{
	struct update_opts *o = data;
	char buf[256], *tok, *save;
	unsigned long v;

	(void)key;
	if (!*arg || *arg == ',' || arg[strlen(arg) - 1] == ',' ||
	    strstr(arg, ",,") ||
	    snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		goto bad;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (o->nr == MAX_UPDATE) {
			errorf(0, "--ph: at most %d handles", MAX_UPDATE);
			return -1;
		}
		if (!strncmp(tok, "pid:", 4)) {
			if (parse_uint(tok + 4, 0xffff, &v))
				goto bad;
			o->ph[o->nr] = 0;
			o->pid[o->nr++] = v;
		} else {
			if (parse_uint(tok, 0x10000, &v) || !v)
				goto bad;
			o->ph[o->nr++] = v;
		}
	}
	return 0;
bad:
	errorf(0, "--ph %s: must be handles 1.. or pid:N, separated by commas", arg);
	return -1;
}

/* The namespace update and events-config act on, and its handles. */
struct ns_handles {
	struct fdp_ns ns;
	struct fdp_info info;
	struct ns_ctx c;
	struct fdp_ruhs_desc *d;	/* RUH status: ph k is d[k - 1] */
	unsigned int n;
	int idx;			/* the namespace's argument */
};

/*
 * Parse a command of one namespace (through @fn with @opts), which
 * @required (set by an option) must be given; open the namespace and read
 * its RUH status: 0, or the exit status after a message.
 */
static int open_handles(int argc, char **argv,
			int (*fn)(int key, const char *arg, void *data),
			void *opts, const unsigned int *required,
			struct ns_handles *h)
{
	unsigned int total;
	int ret;

	h->idx = parse_args(argc, argv, 1, fn, opts);
	if (h->idx < 0)
		return 2;
	if (!*required)
		return usage_error();
	ret = open_ns(argv[h->idx], NS_DEVICE | NS_FDP, &h->ns, &h->info, &h->c);
	if (ret)
		return ret;
	ret = fdp_ruh_status_all(h->c.ns, &h->d, &h->n, &total);
	return ret ? explain_nvme(argv[h->idx], ret) : 0;
}

static int ph_out_of_range(const char *what, unsigned int ph, unsigned int nr)
{
	errorf(0, "%s: --ph %u: the namespace has %u handle%s (1..%u)", what, ph,
	       nr, nr == 1 ? "" : "s", nr);
	return 1;
}

int cmd_update(int argc, char **argv)
{
	struct update_opts o = { 0 };
	int ruhid[MAX_UPDATE];
	struct ns_handles h;
	unsigned int i, k;
	int ret;

	ret = open_handles(argc, argv, update_opt, &o, &o.nr, &h);
	if (ret)
		return ret;
	for (i = 0; i < o.nr; i++) {
		ruhid[i] = -1;
		if (!o.ph[i]) {
			/* pid:N: its ph and RUH id, if the status lists it. */
			k = ruhs_find_pid(h.d, h.n, o.pid[i]);
			if (k < h.n) {
				o.ph[i] = k + 1;
				ruhid[i] = h.d[k].ruhid;
			}
			continue;
		}
		if (o.ph[i] > h.n) {
			free(h.d);
			return ph_out_of_range(argv[h.idx], o.ph[i], h.n);
		}
		o.pid[i] = h.d[o.ph[i] - 1].pid;
		ruhid[i] = h.d[o.ph[i] - 1].ruhid;
	}
	free(h.d);
	ret = fdp_ruh_update(h.c.ns, o.pid, o.nr);
	if (ret)
		return explain_nvme(argv[h.idx], ret);
	if (out->update)
		out->update(&h.c, o.ph, o.pid, ruhid, o.nr);
	return 0;
}

struct evcfg_opts {
	unsigned int ph;
	int action;		/* 0: show; 'e' enable, 'd' disable */
	const char *types;
};

static int evcfg_opt(int key, const char *arg, void *data)
{
	struct evcfg_opts *o = data;

	unsigned long v;

	if (key == 'p') {
		if (parse_uint(arg, 0x10000, &v) || !v) {
			errorf(0, "--ph %s: must be a handle, 1..65536", arg);
			return -1;
		}
		o->ph = v;
		return 0;
	}
	if (o->action) {
		errorf(0, "--enable and --disable: one of them, once");
		return -1;
	}
	o->action = key;
	o->types = arg;
	return 0;
}

/* An event type by its name (as events prints it) or its number. */
static int event_type(const char *s, uint8_t *type)
{
	unsigned long v;
	unsigned int t;

	if (!parse_uint(s, 0xff, &v)) {
		*type = v;
		return 0;
	}
	for (t = 0; t <= 0xff; t++) {
		if (!strcmp(fdp_event_name(t), s) && strcmp(s, "unknown")) {
			*type = t;
			return 0;
		}
	}
	return -1;
}

/*
 * TYPES: "all" (what the handle lists), or names and numbers separated by
 * commas. 0, or 1 after a message.
 */
static int event_types(const char *arg, const struct fdp_event_cfg *cur,
		       unsigned int nr_cur, uint8_t *types, unsigned int *nr)
{
	char buf[512], *tok, *save;
	unsigned int i;

	*nr = 0;
	if (!strcmp(arg, "all")) {
		for (i = 0; i < nr_cur && i < 0xff; i++)
			types[(*nr)++] = cur[i].type;
		if (*nr)
			return 0;
		errorf(0, "all: the handle lists no event types");
		return 1;
	}
	if (*arg == ',' || arg[strlen(arg) - 1] == ',' || strstr(arg, ",,") ||
	    snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		goto bad;
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (*nr == 0xff || event_type(tok, &types[*nr]))
			goto bad;
		(*nr)++;
	}
	if (*nr)
		return 0;
bad:
	errorf(0, "%s: event types must be \"all\", or names or numbers separated by commas",
	       arg);
	return 1;
}

int cmd_events_config(int argc, char **argv)
{
	struct evcfg_opts o = { 0 };
	struct fdp_event_cfg *e = NULL;
	uint8_t types[0xff];
	struct ns_handles h;
	struct ns_ctx *c = &h.c;
	struct fdp_ruhs_desc hd;
	unsigned int n, nt;
	int ret;

	ret = open_handles(argc, argv, evcfg_opt, &o, &o.ph, &h);
	if (ret)
		return ret;
	if (o.ph > h.n) {
		free(h.d);
		return ph_out_of_range(argv[h.idx], o.ph, h.n);
	}
	hd = h.d[o.ph - 1];
	free(h.d);
	/* The handle's list first: "all" is what it lists. */
	ret = fdp_get_events(c->ns, o.ph - 1, &e, &n);
	if (!ret && o.action) {
		ret = event_types(o.types, e, n, types, &nt);
		if (ret) {
			free(e);
			return ret;
		}
		ret = fdp_set_events(c->ns, o.ph - 1, types, nt, o.action == 'e');
		free(e);
		e = NULL;
		if (!ret)
			ret = fdp_get_events(c->ns, o.ph - 1, &e, &n);
	}
	if (ret) {
		free(e);
		return explain_nvme(argv[h.idx], ret);
	}
	out->event_cfg(c, o.ph, &hd, e, n);
	free(e);
	return 0;
}
