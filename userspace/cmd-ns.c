// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe namespaces and their FDP logs: list, status, configs, usage,
 * stats, events. Everything is read through io_uring passthrough (nvme.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

int cmd_list(int argc, char **argv)
{
	char (*names)[DEV_NAME_LEN] = NULL;
	struct fdpblk_info *devs = NULL;
	unsigned int nr_ns, nr_devs, i;
	struct list_ns *ns;
	int ret;

	if (simple_args(argc, argv, 0) < 0)
		return 2;
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
	out->list(ns, nr_ns, devs, nr_devs);
	free(ns);
	free(names);
	free(devs);
	return 0;
}

/*
 * The read commands on one FDP namespace: parse (options through @opt,
 * with @arg), open, then @show fetches and prints (0, or what
 * explain_nvme() explains).
 */
static int ns_cmd(int argc, char **argv,
		  int (*opt)(int key, const char *val, void *arg),
		  int (*show)(const struct ns_ctx *c, const void *arg),
		  void *arg)
{
	struct fdp_info info;
	struct fdp_ns ns;
	struct ns_ctx c;
	int ret, idx;

	idx = parse_opts(argc, argv, opt, arg);
	if (idx < 0)
		return 2;
	if (argc - idx != 1)
		return usage_error();
	ret = open_ns(argv[idx], NS_DEVICE | NS_FDP, &ns, &info, &c);
	if (ret)
		return ret;
	ret = show(&c, arg);
	return ret ? explain_nvme(argv[idx], ret) : 0;
}

static int show_status(const struct ns_ctx *c, const void *arg)
{
	struct fdp_ruhs_desc *d;
	unsigned int n;
	int ret;

	(void)arg;
	ret = fdp_ruh_status(c->ns, &d, &n);
	if (!ret) {
		out->status(c, d, n);
		free(d);
	}
	return ret;
}

static int show_configs(const struct ns_ctx *c, const void *arg)
{
	struct fdp_conf *conf;
	unsigned int n;
	int ret;

	(void)arg;
	ret = fdp_configs(c->ns, c->info->endgid, &conf, &n);
	if (!ret) {
		out->configs(c, conf, n);
		free(conf);
	}
	return ret;
}

static int show_usage(const struct ns_ctx *c, const void *arg)
{
	unsigned int n;
	uint8_t *ruha;
	int ret;

	(void)arg;
	ret = fdp_ruh_usage(c->ns, c->info->endgid, &ruha, &n);
	if (!ret) {
		out->usage(c, ruha, n);
		free(ruha);
	}
	return ret;
}

static int show_stats(const struct ns_ctx *c, const void *arg)
{
	struct fdp_stats st;
	int ret;

	(void)arg;
	ret = fdp_stats(c->ns, c->info->endgid, &st);
	if (!ret)
		out->stats(c, &st);
	return ret;
}

static int show_events(const struct ns_ctx *c, const void *arg)
{
	bool host = *(const bool *)arg;
	struct fdp_event *ev;
	unsigned int n;
	int ret;

	ret = fdp_events(c->ns, c->info->endgid, host, &ev, &n);
	if (!ret) {
		out->events(c, host, ev, n);
		free(ev);
	}
	return ret;
}

int cmd_status(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_status, NULL);
}

int cmd_configs(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_configs, NULL);
}

int cmd_usage(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_usage, NULL);
}

int cmd_stats(int argc, char **argv)
{
	return ns_cmd(argc, argv, NULL, show_stats, NULL);
}

static int events_opt(int c, const char *arg, void *data)
{
	(void)c;
	(void)arg;
	*(bool *)data = true;
	return 0;
}

int cmd_events(int argc, char **argv)
{
	bool host = false;

	return ns_cmd(argc, argv, events_opt, show_events, &host);
}
