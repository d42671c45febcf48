// SPDX-License-Identifier: GPL-2.0
/*
 * apply, save, udev-lower: configuration files (conf.h), which make a
 * device survive a reboot.
 *
 * apply makes each device what its file says, and only what differs: it
 * creates the device if missing, pushes the policy only when an entry
 * differs (so no version bump otherwise) and sets and clears only the
 * ranks that differ. A file naming an absent namespace is skipped and the
 * others still apply. Exit status: 0 when every file was applied, 1 when
 * one was refused or failed, 3 when none was but one was skipped for an
 * absent namespace (the boot unit takes 3 as success: a missing disk must
 * not fail the boot), 2 for a usage error.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"
#include "conf.h"
#include "ctl.h"

#define EXIT_ABSENT	3
#define APPLY_LOCK	"/run/fdpblk.lock"

struct conf_opts {
	bool all, dry_run;
	const char *dir;	/* --config-dir */
};

static int conf_opt(int c, const char *arg, void *data)
{
	struct conf_opts *o = data;

	switch (c) {
	case 'a':
		o->all = true;
		break;
	case 'n':
		o->dry_run = true;
		break;
	default:
		o->dir = arg;
	}
	return 0;
}

/* The changes of one apply, in order. */
static struct conf_change *changes;
static unsigned int nr_changes;

static char *xstrdup(const char *s)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d) {
		fprintf(stderr, "fdpctl: %s\n", strerror(ENOMEM));
		exit(1);
	}
	return d;
}

__attribute__((format(printf, 7, 8)))
static void change(const struct fdpblk_conf *c, const char *file,
		   const char *kind, const char *key, const char *old,
		   const char *new, const char *fmt, ...)
{
	const char *base = NULL;
	struct conf_change *ch;
	char detail[1024];
	size_t len = 0;
	va_list ap;

	ch = realloc(changes, (nr_changes + 1) * sizeof(*ch));
	if (!ch) {
		fprintf(stderr, "fdpctl: %s\n", strerror(ENOMEM));
		exit(1);
	}
	changes = ch;
	ch = &changes[nr_changes++];
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(detail, sizeof(detail), fmt, ap);
		va_end(ap);
	}
	/* A file that did not parse: its NAME as best we can. */
	if (!c->name[0]) {
		base = strrchr(file, '/');
		base = base ? base + 1 : file;
		len = strlen(base);
		if (len > strlen(CONF_SUFFIX) &&
		    !strcmp(base + len - strlen(CONF_SUFFIX), CONF_SUFFIX))
			len -= strlen(CONF_SUFFIX);
	}
	*ch = (struct conf_change){
		.device = c->name[0] ? xstrdup(c->name) : strndup(base, len),
		.file = xstrdup(file),
		.kind = kind, .key = xstrdup(key), .old = xstrdup(old),
		.new = xstrdup(new), .detail = fmt ? xstrdup(detail) : NULL,
	};
}

/* The last change: the handles of its ph (-1: unknown), copied. */
static void change_set_handles(const struct change_handle *h, int n)
{
	struct conf_change *ch = &changes[nr_changes - 1];

	ch->nr_handles = n;
	if (n <= 0)
		return;
	ch->handles = malloc(n * sizeof(*h));
	if (!ch->handles) {
		fprintf(stderr, "fdpctl: %s\n", strerror(ENOMEM));
		exit(1);
	}
	memcpy(ch->handles, h, n * sizeof(*h));
}

static void changes_free(void)
{
	unsigned int i;

	for (i = 0; i < nr_changes; i++) {
		free((char *)changes[i].device);
		free((char *)changes[i].file);
		free(changes[i].key);
		free(changes[i].old);
		free(changes[i].new);
		free(changes[i].detail);
		free(changes[i].handles);
	}
	free(changes);
	changes = NULL;
	nr_changes = 0;
}

/* The wwid of namespace @ns, trimmed, or "" without one. */
static void ns_wwid(const char *ns, char *buf, size_t len)
{
	char path[DEV_NAME_LEN + 32];
	struct fdpblk_info d = { 0 };

	snprintf(d.lower, sizeof(d.lower), "%s", ns);
	lower_id(&d, buf, len);
	/* lower_id() falls back to the name: that is no wwid. */
	snprintf(path, sizeof(path), "/sys/block/%s/wwid", ns);
	if (!strcmp(buf, ns) && access(path, F_OK))
		buf[0] = '\0';
}

/* The namespace identity @id names, into @ns: 0, or -ENOENT. */
static int find_ns(const char *id, char *ns, size_t len)
{
	char (*names)[DEV_NAME_LEN], wwid[POLICY_LOWER_LEN];
	unsigned int n, i;
	int ret = -ENOENT;

	if (ns_list(&names, &n))
		return -ENOENT;
	for (i = 0; i < n && ret; i++) {
		ns_wwid(names[i], wwid, sizeof(wwid));
		if (conf_lower_is(id, names[i], *wwid ? wwid : NULL)) {
			snprintf(ns, len, "%s", names[i]);
			ret = 0;
		}
	}
	free(names);
	return ret;
}

/*
 * Tell udev to look at namespace @ns again (a synthetic change uevent),
 * now that it became or stopped being a lower, so that its rules hide it
 * or show it, as multipathd does for its paths. Nothing without udev.
 */
void lower_changed(const char *ns)
{
	char path[DEV_NAME_LEN + 32];

	snprintf(path, sizeof(path), "/sys/block/%s/uevent", ns);
	/* Best effort: the device works the same without udev. */
	(void)sysfs_write(path, "change");
}

/* The device named @name, and the one on namespace @ns: ids or -1. */
static void find_devs(const char *name, const char *ns, struct fdpblk_info *by_name,
		      struct fdpblk_info *on_ns, bool *have_name, bool *have_ns)
{
	struct fdpblk_info *d;
	unsigned int n, i;

	*have_name = *have_ns = false;
	if (fdpblk_list(&d, &n))
		return;
	for (i = 0; i < n; i++) {
		if (!strcmp(d[i].dev_name, name)) {
			*by_name = d[i];
			*have_name = true;
		}
		if (!strcmp(d[i].lower, ns)) {
			*on_ns = d[i];
			*have_ns = true;
		}
	}
	free(d);
}

static void policy_change_cb(void *arg, const char *key, const char *old,
			     const char *new)
{
	const void **a = arg;
	struct change_handle h[FDPBLK_MAX_PH];

	change(a[0], a[1], "policy", key, old, new, NULL);
	change_set_handles(h, change_handles(a[2], key, old, new, h));
}

/* The policy: pushed if an entry differs. 0, or 1 after a message. */
static int apply_policy(const struct fdpblk_conf *c, const char *path,
			struct fdpblk_info *d, bool exists, bool dry_run)
{
	struct policy_handle tab[FDPBLK_MAX_PH];
	struct fdpblk_policy old, new;
	char err[CONF_ERR_LEN];
	unsigned int before = nr_changes;
	const void *arg[3] = { c, path, &d->lim };
	int ctl, ret;

	/* Quietly: without RUH status only pid:P and placement_ids fail. */
	read_handles(d, c->name, true, tab, NULL);
	if (conf_policy(c, path, &d->lim, &new, err)) {
		errorf(0, "%s", err);
		return 1;
	}
	/*
	 * A device created a moment ago has the default policy, at the
	 * version the module gave it: read it, as for one that existed. Only
	 * a dry run has no device to read.
	 */
	if (!exists && dry_run) {
		policy_default(&d->lim, &old);
	} else {
		ctl = open_control();
		if (ctl < 0)
			return 1;
		ret = fdpblk_get_policy(ctl, d->id, &old);
		if (ret)
			return explain_ioctl(c->name, "GET_POLICY", -ret);
	}
	policy_diff(&old, &new, &d->lim, policy_change_cb, arg);
	if (nr_changes == before || dry_run)
		return 0;
	new.dev_id = d->id;
	new.version = old.version;
	new.flags = FDPBLK_POLICY_F_IF_VERSION;
	ret = fdpblk_set_policy(open_control(), &new);
	if (ret == -ESTALE) {
		errorf(0, "%s: the policy changed while apply ran: nothing pushed; apply again",
			c->name);
		return 1;
	}
	return ret ? explain_ioctl(c->name, "SET_POLICY", -ret) : 0;
}

/*
 * Cgroups named by a path that does not exist (yet: a service's cgroup at
 * boot) are left out of @rf with a warning, and counted in *@skipped.
 */
static void drop_missing_cgroups(struct rank_file *rf, const char *path,
				 unsigned int *skipped)
{
	char cg[4096];
	unsigned int i, k = 0;
	__u64 id;

	for (i = 0; i < rf->n; i++) {
		struct rank_entry *e = &rf->e[i];

		if (e->cgroup && e->path) {
			cgroup_path(e->path, cg, sizeof(cg));
			if (cgroup_id(cg, &id)) {
				fprintf(stderr, "fdpctl: warning: %s:%u: cgroup %s: no such cgroup (yet?): its rank is not set; apply again once it exists\n",
					path, e->line, e->path);
				free(e->path);
				rf->nr_cgroups--;
				(*skipped)++;
				continue;
			}
		}
		rf->e[k++] = *e;
	}
	rf->n = k;
}

static void range_key(char *buf, size_t len, __u64 start, __u64 n)
{
	snprintf(buf, len, "range %" PRIu64 "+%" PRIu64, (uint64_t)start,
		 (uint64_t)n);
}

/*
 * The ranks: exactly the file's. Those the device has and the file does
 * not are cleared, those the file has and the device does not are set; a
 * device that has them all is not touched. 0, or 1 after a message.
 */
static int apply_ranks(struct fdpblk_conf *c, const char *path,
		       const struct fdpblk_info *d, bool exists, bool dry_run)
{
	struct rank_set cur = { 0 };
	struct fdpblk_range_rank *rset = NULL, *rclr = NULL;
	struct fdpblk_cgroup_rank *cset = NULL, *cclr = NULL;
	unsigned int nrs = 0, nrc = 0, ncs = 0, ncc = 0, skipped = 0, i, j;
	char key[4200], a[16], b[16], err[RANKFILE_ERR_LEN];
	int ctl = -1, ret = 1;

	drop_missing_cgroups(&c->ranks, path, &skipped);
	if (rank_resolve(&c->ranks, path, d, &skipped))
		return 1;
	if (rankfile_check_ids(&c->ranks, path, err)) {
		errorf(0, "%s", err);
		return 1;
	}
	if (exists) {
		ctl = open_control();
		if (ctl < 0 || get_ranks(ctl, d, c->name, &cur))
			return 1;
	}
	rset = calloc(c->ranks.n + 1, sizeof(*rset));
	cset = calloc(c->ranks.n + 1, sizeof(*cset));
	rclr = calloc(cur.nr + 1, sizeof(*rclr));
	cclr = calloc(cur.nc + 1, sizeof(*cclr));
	if (!rset || !cset || !rclr || !cclr) {
		fail(c->name, ENOMEM);
		goto out;
	}
	/* Wanted and not there (or there with another rank): set. */
	for (i = 0; i < c->ranks.n; i++) {
		const struct rank_entry *e = &c->ranks.e[i];
		const char *was = "none";

		if (!e->cgroup) {
			for (j = 0; j < cur.nr; j++) {
				if (cur.r[j].start != e->start ||
				    cur.r[j].nr_sectors != e->nr_sectors)
					continue;
				snprintf(a, sizeof(a), "%u", cur.r[j].rank);
				was = a;
				break;
			}
			if (j < cur.nr && cur.r[j].rank == e->rank)
				continue;
			rset[nrs++] = (struct fdpblk_range_rank){
				.start = e->start, .nr_sectors = e->nr_sectors,
				.rank = e->rank,
			};
			range_key(key, sizeof(key), e->start, e->nr_sectors);
		} else {
			if (!e->cgroup_id)	/* skipped by rank_resolve() */
				continue;
			for (j = 0; j < cur.nc; j++) {
				if (cur.c[j].cgroup_id != e->cgroup_id)
					continue;
				snprintf(a, sizeof(a), "%u", cur.c[j].rank);
				was = a;
				break;
			}
			if (j < cur.nc && cur.c[j].rank == e->rank)
				continue;
			/* Another rank: cleared first, whatever SET does with it. */
			if (j < cur.nc)
				cclr[ncc++].cgroup_id = e->cgroup_id;
			cset[ncs++] = (struct fdpblk_cgroup_rank){
				.cgroup_id = e->cgroup_id, .rank = e->rank,
			};
			snprintf(key, sizeof(key), "cgroup %s", e->path ? e->path :
				 "?");
		}
		snprintf(b, sizeof(b), "%u", e->rank);
		change(c, path, "rank", key, was, b, NULL);
	}
	/* There and not wanted: cleared (a range set above replaces its own). */
	for (j = 0; j < cur.nr; j++) {
		for (i = 0; i < c->ranks.n; i++) {
			const struct rank_entry *e = &c->ranks.e[i];

			if (!e->cgroup && e->start == cur.r[j].start &&
			    e->nr_sectors == cur.r[j].nr_sectors)
				break;
		}
		if (i < c->ranks.n)
			continue;
		rclr[nrc++] = (struct fdpblk_range_rank){
			.start = cur.r[j].start, .nr_sectors = cur.r[j].nr_sectors,
		};
		range_key(key, sizeof(key), cur.r[j].start, cur.r[j].nr_sectors);
		snprintf(a, sizeof(a), "%u", cur.r[j].rank);
		change(c, path, "rank", key, a, "none", NULL);
	}
	for (j = 0; j < cur.nc; j++) {
		for (i = 0; i < c->ranks.n; i++)
			if (c->ranks.e[i].cgroup &&
			    c->ranks.e[i].cgroup_id == cur.c[j].cgroup_id)
				break;
		if (i < c->ranks.n)
			continue;
		cclr[ncc++].cgroup_id = cur.c[j].cgroup_id;
		if (cur.paths[j])
			snprintf(key, sizeof(key), "cgroup %s", cur.paths[j]);
		else
			snprintf(key, sizeof(key), "cgroup " RANKFILE_ID "%" PRIu64,
				 (uint64_t)cur.c[j].cgroup_id);
		snprintf(a, sizeof(a), "%u", cur.c[j].rank);
		change(c, path, "rank", key, a, "none", NULL);
	}
	ret = 0;
	if (dry_run || !(nrs + nrc + ncs + ncc))
		goto out;
	if (ctl < 0)
		ctl = open_control();
	if (ctl < 0) {
		ret = 1;
		goto out;
	}
	if (nrc)
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_CLEAR_RANGE_RANKS, d->id, 0,
					 rclr, &nrc);
	if (!ret && ncc)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS, d->id,
					  0, cclr, &ncc);
	if (!ret && ncs)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_SET_CGROUP_RANKS, d->id, 0,
					  cset, &ncs);
	if (!ret && nrs)
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_SET_RANGE_RANKS, d->id, 0,
					 rset, &nrs);
	if (ret)
		ret = explain_rank(c->name, -ret);
out:
	if (exists)
		rank_set_free(&cur);
	free(rset);
	free(cset);
	free(rclr);
	free(cclr);
	return ret;
}

/*
 * Create the device @c names on namespace @ns, or (dry run) fill @d as it
 * would be: 0, or 1 after a message.
 */
static int apply_create(const struct fdpblk_conf *c, const char *path,
			const char *ns, struct fdpblk_info *d, bool dry_run)
{
	char lower[DEV_NAME_LEN + 8];
	struct ns_queue_info q;
	unsigned int id, v = conf_streams(c);
	int ctl, ret;

	memset(d, 0, sizeof(*d));
	snprintf(d->lower, sizeof(d->lower), "%s", ns);
	snprintf(d->dev_name, sizeof(d->dev_name), "%s", c->name);
	d->passthrough = c->passthrough;
	if (dry_run) {
		ns_queue_info(ns, &q);
		d->lim.max_ph = c->passthrough ? 0 :
				q.max_write_streams < FDPBLK_MAX_PH ?
				q.max_write_streams : FDPBLK_MAX_PH;
		d->lim.nr_streams = c->passthrough ? 0 : v;
		snprintf(d->name, sizeof(d->name), "fdpblk?");
		change(c, path, "create", NULL, NULL, NULL, "on %s (%s), %u streams%s",
		       ns, c->lower, c->passthrough ? 0 : v,
		       c->passthrough ? ", pass-through" : "");
		return 0;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;
	snprintf(lower, sizeof(lower), "/dev/%s", ns);
	ret = fdpblk_create(ctl, lower, c->name, c->passthrough ? 0 : v,
			    c->passthrough ? FDPBLK_CREATE_F_PASSTHROUGH : 0, &id);
	if (ret == -EOPNOTSUPP && !c->passthrough) {
		errorf(0, "%s: %s (%s) has no FDP write streams: not created (passthrough = yes creates it without)",
			path, ns, c->lower);
		return 1;
	}
	if (ret)
		return explain_ioctl(c->name, "create", -ret);
	ret = fdpblk_info(id, d);
	if (ret)
		return fail(c->name, -ret);
	lower_changed(ns);
	change(c, path, "create", NULL, NULL, NULL, "/dev/%s on %s (%s), %u streams%s",
	       d->name, ns, c->lower, d->lim.nr_streams,
	       d->passthrough ? ", pass-through" : "");
	return 0;
}

/* Apply one file: 0, 1 (refused or failed), or EXIT_ABSENT. */
static int apply_file(const char *path, const struct conf_opts *o)
{
	struct fdpblk_info d, other;
	struct fdpblk_conf c = { 0 };
	char err[CONF_ERR_LEN], ns[DEV_NAME_LEN];
	bool have_name, have_ns, exists;
	unsigned int before = nr_changes;
	FILE *f;
	int ret;

	f = fopen(path, "r");
	if (!f) {
		snprintf(err, sizeof(err), "%s: %s", path, strerror(errno));
		goto refused;
	}
	ret = conf_parse(f, path, &c, err);
	fclose(f);
	if (ret)
		goto refused;
	if (find_ns(c.lower, ns, sizeof(ns))) {
		snprintf(err, sizeof(err), "%s: lower = %s: no such namespace: skipped",
			 path, c.lower);
		errorf(0, "%s", err);
		change(&c, path, "skipped", NULL, NULL, NULL, "%s", err);
		conf_free(&c);
		return EXIT_ABSENT;
	}
	find_devs(c.name, ns, &d, &other, &have_name, &have_ns);
	exists = have_name;
	if (have_name && strcmp(d.lower, ns)) {
		snprintf(err, sizeof(err), "%s: device %s (/dev/%s) is on %s, but lower = %s is %s: remove it (fdpctl remove %s) or fix the file",
			 path, c.name, d.name, d.lower, c.lower, ns, c.name);
		goto refused;
	}
	if (!have_name && have_ns) {
		snprintf(err, sizeof(err), "%s: %s (lower = %s) carries fdpblk device %s (/dev/%s): remove it (fdpctl remove %s) to apply %s",
			 path, ns, c.lower, other.dev_name, other.name,
			 other.dev_name, c.name);
		goto refused;
	}
	if (exists && d.passthrough != c.passthrough) {
		snprintf(err, sizeof(err), "%s: device %s is %s, the file says passthrough = %s: remove the device and apply again",
			 path, c.name, d.passthrough ? "pass-through" : "not pass-through",
			 c.passthrough ? "yes" : "no");
		goto refused;
	}
	if (exists && !d.passthrough && d.lim.nr_streams != conf_streams(&c)) {
		snprintf(err, sizeof(err), "%s: device %s has %u streams, the file says %u: remove the device and apply again",
			 path, c.name, d.lim.nr_streams, conf_streams(&c));
		goto refused;
	}
	ret = exists ? 0 : apply_create(&c, path, ns, &d, o->dry_run);
	if (!ret && !c.passthrough)
		ret = apply_policy(&c, path, &d, exists, o->dry_run);
	if (!ret && !c.passthrough)
		ret = apply_ranks(&c, path, &d, exists, o->dry_run);
	if (ret) {
		change(&c, path, "refused", NULL, NULL, NULL,
		       "not all applied: see the error before");
	} else if (nr_changes == before) {
		change(&c, path, "none", NULL, NULL, NULL, NULL);
	}
	conf_free(&c);
	return ret ? 1 : 0;
refused:
	errorf(0, "%s", err);
	change(&c, path, "refused", NULL, NULL, NULL, "%s", err);
	conf_free(&c);
	return 1;
}

static int is_conf(const struct dirent *de)
{
	size_t n = strlen(de->d_name), s = strlen(CONF_SUFFIX);

	return de->d_name[0] != '.' && n > s &&
	       !strcmp(de->d_name + n - s, CONF_SUFFIX);
}

/*
 * One apply at a time (the boot unit and a hotplug one may race): an
 * advisory lock, and none where /run cannot hold it.
 */
static void apply_lock(void)
{
	int fd = open(APPLY_LOCK, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd >= 0 && flock(fd, LOCK_EX) < 0)
		close(fd);
	/* Held until exit. */
}

/* An operand: a path, or NAME for DIR/NAME.conf. */
static void operand_path(const char *arg, const char *dir, char *path,
			 size_t len)
{
	size_t n = strlen(arg), s = strlen(CONF_SUFFIX);

	if (strchr(arg, '/') || (n > s && !strcmp(arg + n - s, CONF_SUFFIX)))
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, "%s/%s" CONF_SUFFIX, dir, arg);
}

int cmd_apply(int argc, char **argv)
{
	struct conf_opts o = { 0 };
	struct dirent **de = NULL;
	char path[4096];
	const char *dir;
	int idx, i, n = 0, ret, worst = 0;

	idx = parse_opts(argc, argv, conf_opt, &o);
	if (idx < 0)
		return 2;
	if (o.all == (idx < argc))
		return usage_error();
	dir = conf_dir(o.dir);
	if (o.all) {
		n = scandir(dir, &de, is_conf, alphasort);
		if (n < 0 && errno != ENOENT)
			return fail(dir, errno);
	}
	if (!o.dry_run)
		apply_lock();
	for (i = 0; o.all && i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, de[i]->d_name);
		ret = apply_file(path, &o);
		worst = ret == 1 || worst == 1 ? 1 : ret ? ret : worst;
		free(de[i]);
	}
	free(de);
	for (i = idx; i < argc; i++) {
		operand_path(argv[i], dir, path, sizeof(path));
		ret = apply_file(path, &o);
		worst = ret == 1 || worst == 1 ? 1 : ret ? ret : worst;
	}
	out->conf_changes(changes, nr_changes, o.dry_run);
	changes_free();
	return worst;
}

/* Write device @d's configuration to @f: 0, or 1 after a message. */
static int write_conf(FILE *f, struct fdpblk_info *d, const char *arg)
{
	struct policy_handle tab[FDPBLK_MAX_PH];
	char lower[POLICY_LOWER_LEN];
	struct fdpblk_policy p;
	struct rank_set s;
	unsigned int i;
	int ctl, ret;

	ns_wwid(d->lower, lower, sizeof(lower));
	if (!*lower) {
		errorf(0, "%s: %s has no wwid: write the configuration by hand, lower = a /dev/disk/by-id/ link",
			arg, d->lower);
		return 1;
	}
	ctl = open_control();
	if (ctl < 0)
		return 1;
	fprintf(f, "# fdpblk device %s: /dev/%s on %s when saved. fdpctl apply makes a\n"
		"# device what this file says; its name is the file's, NAME.conf.\n"
		"# See fdpctl(8), CONFIGURATION.\n", d->dev_name, d->name, d->lower);
	conf_write_device(f, lower, d->lim.nr_streams, d->passthrough);
	if (d->passthrough)
		return 0;
	ret = fdpblk_get_policy(ctl, d->id, &p);
	if (ret)
		return explain_ioctl(arg, "GET_POLICY", -ret);
	read_handles(d, arg, true, tab, NULL);
	fprintf(f, "\n[policy]\n");
	print_handle_table(f, &d->lim, d->lower);
	if (d->lim.handles) {
		fprintf(f, "placement_ids =");
		for (i = 0; i < d->lim.max_ph; i++)
			fprintf(f, " %u", d->lim.handles[i].pid);
		fprintf(f, "\n");
	}
	policy_write_entries(f, &p, &d->lim);
	if (get_ranks(ctl, d, arg, &s))
		return 1;
	fprintf(f, "\n[ranks]\n");
	for (i = 0; i < s.nr; i++)
		rankfile_write_range(f, &s.r[i]);
	for (i = 0; i < s.nc; i++) {
		if (s.paths[i])
			rankfile_write_cgroup(f, s.paths[i], s.c[i].cgroup_id,
					      s.c[i].rank);
		else
			fprintf(f, "# cgroup " RANKFILE_ID "%" PRIu64 " %u: the cgroup is gone, not saved\n",
				(uint64_t)s.c[i].cgroup_id, s.c[i].rank);
	}
	rank_set_free(&s);
	return 0;
}

/*
 * save DEV [FILE|-]: the configuration of a live device; a FILE is
 * written whole or not at all (a temporary file renamed over it).
 */
int cmd_save(int argc, char **argv)
{
	char tmp[4200], name[FDPBLK_NAME_LEN], err[CONF_ERR_LEN];
	const char *file = "-";
	struct fdpblk_info d;
	int idx, ret, fd;
	FILE *f;

	idx = parse_opts(argc, argv, NULL, NULL);
	if (idx < 0)
		return 2;
	if (argc - idx != 1 && argc - idx != 2)
		return usage_error();
	if (argc - idx == 2)
		file = argv[idx + 1];
	if (dev_arg(argv[idx], &d))
		return 1;
	if (!strcmp(file, "-"))
		return write_conf(stdout, &d, argv[idx]);
	if (conf_name(file, name, err)) {
		errorf(0, "%s", err);
		return 1;
	}
	if (strcmp(name, d.dev_name))
		fprintf(stderr, "fdpctl: warning: %s: apply names the device %s, not %s (a device's name is its file's)\n",
			file, name, d.dev_name);
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", file);
	fd = mkstemp(tmp);
	if (fd < 0)
		return fail(file, errno);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return fail(file, errno);
	}
	ret = write_conf(f, &d, argv[idx]);
	if (!ret && (fflush(f) || fsync(fileno(f)) || fchmod(fileno(f), 0644)))
		ret = fail(file, errno);
	if (fclose(f) && !ret)
		ret = fail(file, errno);
	if (!ret && rename(tmp, file))
		ret = fail(file, errno);
	if (ret)
		unlink(tmp);
	return ret;
}

/* The lower = of configuration @path, as conf_parse() would read it; "" if none. */
static void conf_lower(const char *path, char *id, size_t len)
{
	char line[4096], *s, *e;
	FILE *f = fopen(path, "r");

	*id = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		s = line + strspn(line, " \t");
		if (*s == '[')
			break;
		if (strncmp(s, "lower", 5))
			continue;
		s += 5 + strspn(s + 5, " \t");
		if (*s != '=')
			continue;
		s += 1 + strspn(s + 1, " \t");
		e = s + strcspn(s, " \t\r\n#");
		*e = '\0';
		snprintf(id, len, "%s", s);
		break;
	}
	fclose(f);
}

/*
 * udev-lower NS: for the udev rules (IMPORT{program}), whether namespace
 * NS is, or is to be, the lower of an fdpblk device: FDPBLK_LOWER=1, with
 * FDPBLK_DEV=NAME of the device on it now and FDPBLK_CONF=NAME of the
 * configuration that names it. Nothing when it is neither. Reads sysfs
 * and the configuration directory only: quick, never blocking, no module
 * needed; it fails only for a usage error.
 */
int cmd_udev_lower(int argc, char **argv)
{
	char wwid[POLICY_LOWER_LEN], id[POLICY_LOWER_LEN], path[4200];
	char dev[DEV_NAME_LEN] = "", conf[FDPBLK_NAME_LEN] = "";
	struct conf_opts o = { 0 };
	struct fdpblk_info d;
	struct ns_queue_info q;
	struct dirent **de = NULL;
	const char *ns, *dir;
	int idx, n, i;

	idx = parse_args(argc, argv, 1, conf_opt, &o);
	if (idx < 0)
		return 2;
	ns = argv[idx];
	if (!strncmp(ns, "/dev/", 5))
		ns += 5;
	if (strchr(ns, '/') || ns_queue_info(ns, &q))
		return 0;
	if (q.holder[0] && fdpblk_disk_id(q.holder) >= 0) {
		if (fdpblk_info(fdpblk_disk_id(q.holder), &d))
			snprintf(dev, sizeof(dev), "%s", q.holder);
		else
			snprintf(dev, sizeof(dev), "%s", d.dev_name);
	}
	ns_wwid(ns, wwid, sizeof(wwid));
	dir = conf_dir(o.dir);
	n = scandir(dir, &de, is_conf, alphasort);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, de[i]->d_name);
		conf_lower(path, id, sizeof(id));
		if (!conf[0] && *id && conf_lower_is(id, ns, *wwid ? wwid : NULL))
			snprintf(conf, sizeof(conf), "%.*s",
				 (int)(strlen(de[i]->d_name) - strlen(CONF_SUFFIX)),
				 de[i]->d_name);
		free(de[i]);
	}
	free(de);
	if (!dev[0] && !conf[0])
		return 0;
	printf("FDPBLK_LOWER=1\n");
	if (dev[0])
		printf("FDPBLK_DEV=%s\n", dev);
	if (conf[0])
		printf("FDPBLK_CONF=%s\n", conf);
	return 0;
}
