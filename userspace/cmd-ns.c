// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe namespaces and their FDP logs: list, status, configs, usage,
 * stats, events. Everything is read through io_uring passthrough (nvme.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

/* -n and -r: a flag each. */
static int list_opt(int key, const char *arg, void *flags)
{
	(void)arg;
	*(unsigned int *)flags |= key == 'n' ? LIST_NOHEADINGS : LIST_RAW;
	return 0;
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

		ns_queue_info(names[i], &l->q);
		l->err = open_ns(names[i], NS_QUIET, &l->ns, &l->info, NULL);
		if (!l->err && l->info.enabled &&
		    !fdp_ruh_status(&l->ns, &d, &l->nr_ruhs))
			free(d);
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

/* Fetch it and print it: 0, or what explain_nvme() explains. */
static int ns_show(const struct ns_ctx *c, enum ns_show what, bool host)
{
	unsigned int endgid = c->info->endgid, n;
	struct fdp_ruhs_desc *d = NULL;
	struct fdp_conf *conf = NULL;
	struct fdp_event *ev = NULL;
	uint8_t *ruha = NULL;
	struct fdp_stats st;
	int ret = 0;

	switch (what) {
	case SHOW_STATUS:
		ret = fdp_ruh_status(c->ns, &d, &n);
		if (!ret)
			out->status(c, d, n);
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
		if (!ret)
			out->events(c, host, ev, n);
		break;
	}
	free(d);
	free(conf);
	free(ruha);
	free(ev);
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
