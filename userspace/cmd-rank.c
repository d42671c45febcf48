// SPDX-License-Identifier: GPL-2.0
/*
 * rank set|clear|list|load|save: ranks of LBA ranges and of cgroups, one
 * at a time or a whole file of them in one ioctl of each kind.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "cmd.h"
#include "ctl.h"
#include "parse.h"
#include "rankfile.h"

static int parse_range_opt(const char *arg, struct fdpblk_range_rank *r)
{
	uint64_t start, len;

	if (parse_range(arg, &start, &len)) {
		errorf(0, "--range %s: must be START+LEN (sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB), LEN > 0",
			arg);
		return -1;
	}
	r->start = start;
	r->nr_sectors = len;
	return 0;
}

/*
 * A range must lie on the device and between its logical blocks; @q is
 * the device's, or NULL when sysfs did not say (the module checks anyway).
 */
static int check_range(const struct ns_queue_info *q, const char *arg,
		       const struct fdpblk_range_rank *r)
{
	uint64_t sectors, lbs;

	if (!q)
		return 0;
	sectors = q->bytes / 512;
	lbs = q->lbsize / 512;
	if (r->start >= sectors || r->nr_sectors > sectors - r->start) {
		errorf(0, "%s: range %" PRIu64 "+%" PRIu64 " runs past the end of the device (%" PRIu64 " sectors)",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, sectors);
		return 1;
	}
	if (lbs > 1 && ((r->start | r->nr_sectors) & (lbs - 1))) {
		errorf(0, "%s: range %" PRIu64 "+%" PRIu64 " does not fall on the device's %u-byte logical blocks",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, q->lbsize);
		return 1;
	}
	return 0;
}

/* The device's queue, for check_range(); NULL if sysfs does not say. */
static const struct ns_queue_info *dev_queue(const struct fdpblk_info *d,
					     struct ns_queue_info *q)
{
	return ns_queue_info(d->name, q) ? NULL : q;
}

void rank_set_free(struct rank_set *s)
{
	unsigned int i;

	for (i = 0; s->paths && i < s->nc; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s->r);
	free(s->c);
}

int get_ranks(int ctl, const struct fdpblk_info *d, const char *arg,
	      struct rank_set *s)
{
	struct fdpblk_range_rank *r = NULL;
	struct fdpblk_cgroup_rank *c = NULL;
	unsigned int nr = 0, nc = 0, i, room;
	char **paths = NULL;
	int ret;

	/* Ask for the count, then for that many; retry if ranks grew. */
	do {
		room = nr;
		free(r);
		r = room ? calloc(room, sizeof(*r)) : NULL;
		ret = room && !r ? -ENOMEM :
		      fdpblk_range_ranks(ctl, FDPBLK_IOC_LIST_RANGE_RANKS, d->id, 0,
					 r, &nr);
	} while (!ret && nr > room);
	do {
		room = nc;
		free(c);
		c = room ? calloc(room, sizeof(*c)) : NULL;
		ret = ret ? ret : room && !c ? -ENOMEM :
		      fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_LIST_CGROUP_RANKS, d->id,
					  0, c, &nc);
	} while (!ret && nc > room);
	if (!ret) {
		paths = calloc(nc ? nc : 1, sizeof(*paths));
		if (!paths)
			ret = -ENOMEM;
	}
	if (ret) {
		free(r);
		free(c);
		return explain_rank(arg, -ret);
	}
	for (i = 0; i < nc; i++)
		paths[i] = cgroup_id_path(c[i].cgroup_id);
	*s = (struct rank_set){ r, c, paths, nr, nc };
	return 0;
}

static int rank_list(int ctl, const struct fdpblk_info *d, const char *arg)
{
	struct rank_set s;

	if (get_ranks(ctl, d, arg, &s))
		return 1;
	out->ranks(d, s.r, s.nr, s.c, s.paths, s.nc);
	rank_set_free(&s);
	return 0;
}

struct rank_opts {
	struct fdpblk_range_rank r;
	struct fdpblk_cgroup_rank cg;
	int have_range, have_cgroup, all;
};

static int rank_opt(int c, const char *arg, void *data)
{
	struct rank_opts *o = data;
	char path[4096];
	unsigned long id;

	switch (c) {
	case 'r':
		o->have_range++;
		return parse_range_opt(arg, &o->r);
	case 'c':
		o->have_cgroup++;
		cgroup_path(arg, path, sizeof(path));
		if (cgroup_id(path, &o->cg.cgroup_id)) {
			errorf(0, "--cgroup %s: not a cgroup v2 directory",
				arg);
			return -1;
		}
		return 0;
	case 'I':
		/* No stat(): the rank of a removed cgroup can be cleared. */
		o->have_cgroup++;
		if (parse_uint(arg, ULONG_MAX, &id) || !id) {
			errorf(0, "--cgroup-id %s: must be a cgroup id, 1 or more",
				arg);
			return -1;
		}
		o->cg.cgroup_id = id;
		return 0;
	default:
		o->all = 1;
		return 0;
	}
}

int parse_rank(const char *arg, __u32 *rank)
{
	unsigned long v;

	if (parse_uint(arg, UINT32_MAX, &v)) {
		errorf(0, "rank %s: must be 0..4294967295", arg);
		return -1;
	}
	*rank = v;
	return 0;
}

/* What rank set or clear did (@action), in rank list's terms. */
static void rank_done(const struct fdpblk_info *d, const char *action,
		      const struct rank_opts *o)
{
	char *path = NULL;

	if (!out->rank_change)
		return;
	if (o->have_cgroup)
		path = cgroup_id_path(o->cg.cgroup_id);
	out->rank_change(d, action, o->all, &o->r, o->have_range, &o->cg,
			 &path, o->have_cgroup);
	free(path);
}

/* rank set|clear|list, by argv[0]; which options each takes is the table's. */
int cmd_rank(int argc, char **argv)
{
	struct rank_opts o = { 0 };
	unsigned int one = 1, zero = 0, pid;
	int ctl, ret, idx, set, list, nsel;
	uint64_t pstart, psize;
	struct fdpblk_info d;
	struct ns_queue_info q;
	char whole[32] = "";

	set = !strcmp(argv[0], "set");
	list = !strcmp(argv[0], "list");
	idx = parse_args(argc, argv, 1 + set, rank_opt, &o);
	if (idx < 0)
		return 2;
	nsel = o.have_range + o.have_cgroup + o.all;
	if (!list && nsel != 1)
		return usage_error();
	if (set && parse_rank(argv[idx + 1], o.have_range ? &o.r.rank : &o.cg.rank))
		return 2;
	/*
	 * A partition: its range is relative to the partition, and must lie
	 * in it; ranks are the whole device's, so nothing else goes there.
	 */
	if (!fdpblk_partition(argv[idx], &pid, &pstart, &psize)) {
		if (!o.have_range) {
			errorf(0, "%s: a partition takes --range only: cgroup ranks and lists are the whole device's",
				argv[idx]);
			return 2;
		}
		if (o.r.start >= psize || o.r.nr_sectors > psize - o.r.start) {
			errorf(0, "%s: range %" PRIu64 "+%" PRIu64 " runs past the end of the partition (%" PRIu64 " sectors)",
				argv[idx], (uint64_t)o.r.start,
				(uint64_t)o.r.nr_sectors, psize);
			return 1;
		}
		o.r.start += pstart;
		snprintf(whole, sizeof(whole), "fdpblk%u", pid);
	}
	if (dev_arg(whole[0] ? whole : argv[idx], &d))
		return 1;
	if (o.have_range && check_range(dev_queue(&d, &q), argv[idx], &o.r))
		return 1;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	if (list)
		return rank_list(ctl, &d, argv[idx]);
	if (o.all) {
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_CLEAR_RANGE_RANKS, d.id,
					 FDPBLK_RANKS_F_ALL, NULL, &zero);
		if (!ret)
			ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS,
						  d.id, FDPBLK_RANKS_F_ALL, NULL, &zero);
	} else if (o.have_range) {
		ret = fdpblk_range_ranks(ctl, set ? FDPBLK_IOC_SET_RANGE_RANKS :
					 FDPBLK_IOC_CLEAR_RANGE_RANKS, d.id, 0,
					 &o.r, &one);
	} else {
		ret = fdpblk_cgroup_ranks(ctl, set ? FDPBLK_IOC_SET_CGROUP_RANKS :
					  FDPBLK_IOC_CLEAR_CGROUP_RANKS, d.id, 0,
					  &o.cg, &one);
	}
	if (ret)
		return explain_rank(argv[idx], -ret);
	rank_done(&d, argv[0], &o);
	return 0;
}

/*
 * load and save: the whole device only (the ranks are the device's), not
 * a partition of it: 0, 2 after a message.
 */
static int whole_dev(const char *arg)
{
	uint64_t start, size;
	unsigned int id;

	if (fdpblk_partition(arg, &id, &start, &size))
		return 0;
	errorf(0, "%s: a partition: rank files hold the ranks of the whole device (/dev/fdpblk%u)",
		arg, id);
	return 2;
}

/*
 * The arguments of load and save, DEV FILE|- and options through @fn:
 * the index of DEV, with its facts in @d; or -1 with the exit status in
 * *@ret after a message.
 */
static int file_args(int argc, char **argv,
		     int (*fn)(int key, const char *arg, void *data), void *data,
		     struct fdpblk_info *d, int *ret)
{
	int idx = parse_args(argc, argv, 2, fn, data);

	*ret = 2;
	if (idx < 0)
		return -1;
	*ret = whole_dev(argv[idx]);
	if (!*ret)
		*ret = dev_arg(argv[idx], d);
	return *ret ? -1 : idx;
}

/* Make @file fdpctl's standard output: 0, or 1 after a message. */
static int output_to(const char *file)
{
	int fd;

	if (!strcmp(file, "-"))
		return 0;
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(file, errno);
	fflush(stdout);
	if (dup2(fd, STDOUT_FILENO) < 0) {
		close(fd);
		return fail(file, errno);
	}
	close(fd);
	return 0;
}

/*
 * rank save DEV FILE|-: every rank in the rank file format, which rank
 * load reads back; with -o json, rank list's document instead. Errors
 * writing FILE are found at exit (close_stdout()).
 */
int cmd_rank_save(int argc, char **argv)
{
	struct fdpblk_info d;
	struct rank_set s;
	unsigned int i;
	int ctl, idx, ret;

	idx = file_args(argc, argv, NULL, NULL, &d, &ret);
	if (idx < 0)
		return ret;
	ctl = open_control();
	if (ctl < 0 || get_ranks(ctl, &d, argv[idx], &s))
		return 1;
	ret = output_to(argv[idx + 1]);
	if (!ret && out == &print_json) {
		out->ranks(&d, s.r, s.nr, s.c, s.paths, s.nc);
	} else if (!ret) {
		printf("# fdpctl rank save /dev/%s: %u range rank%s (sectors), %u cgroup rank%s\n",
		       d.name, s.nr, s.nr == 1 ? "" : "s", s.nc,
		       s.nc == 1 ? "" : "s");
		for (i = 0; i < s.nr; i++)
			rankfile_write_range(stdout, &s.r[i]);
		for (i = 0; i < s.nc; i++)
			rankfile_write_cgroup(stdout, s.paths[i], s.c[i].cgroup_id,
					      s.c[i].rank);
	}
	rank_set_free(&s);
	return ret;
}

int rank_resolve(struct rank_file *rf, const char *name,
		 const struct fdpblk_info *d, unsigned int *skipped)
{
	struct ns_queue_info qbuf;
	const struct ns_queue_info *q = dev_queue(d, &qbuf);
	char where[4200], path[4096], *live;
	struct rank_entry *e;
	unsigned int i;
	__u64 id;

	*skipped = 0;
	for (i = 0; i < rf->n; i++) {
		e = &rf->e[i];
		snprintf(where, sizeof(where), "%s:%u", name, e->line);
		if (!e->cgroup) {
			struct fdpblk_range_rank r = {
				.start = e->start, .nr_sectors = e->nr_sectors,
			};

			if (check_range(q, where, &r))
				return 1;
		} else if (e->path) {
			cgroup_path(e->path, path, sizeof(path));
			if (cgroup_id(path, &id)) {
				errorf(0, "%s: cgroup %s: not a cgroup v2 directory",
					where, e->path);
				return 1;
			}
			e->cgroup_id = id;
		} else {
			live = cgroup_id_path(e->cgroup_id);
			if (!live) {
				fprintf(stderr, "fdpctl: warning: %s: cgroup " RANKFILE_ID "%" PRIu64 ": no such cgroup (removed?): skipped\n",
					where, (uint64_t)e->cgroup_id);
				e->cgroup_id = 0;
				(*skipped)++;
			}
			free(live);
		}
	}
	return 0;
}

struct load_opts {
	bool replace;
};

static int load_opt(int c, const char *arg, void *data)
{
	struct load_opts *o = data;

	(void)c;
	(void)arg;
	o->replace = true;
	return 0;
}

/*
 * rank load DEV FILE|- [--replace]: the whole file is read and checked
 * first, so that a bad line changes nothing; then one SET_RANGE_RANKS
 * with every range and one SET_CGROUP_RANKS with every cgroup. With
 * --replace, every rank is cleared first, so that the device ends with
 * the file's ranks only.
 */
int cmd_rank_load(int argc, char **argv)
{
	struct load_opts o = { 0 };
	struct fdpblk_range_rank *r = NULL;
	struct fdpblk_cgroup_rank *c = NULL;
	unsigned int nr = 0, nc = 0, zero = 0, skipped, i;
	char err[RANKFILE_ERR_LEN];
	const char *file, *name;
	struct fdpblk_info d;
	struct rank_file rf;
	int ctl, idx, ret;
	FILE *f;

	idx = file_args(argc, argv, load_opt, &o, &d, &ret);
	if (idx < 0)
		return ret;
	file = argv[idx + 1];
	name = strcmp(file, "-") ? file : "<stdin>";
	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f)
		return fail(file, errno);
	ret = rankfile_parse(f, name, &rf, err);
	if (f != stdin)
		fclose(f);
	if (ret) {
		errorf(0, "%s", err);
		return 1;
	}
	ret = rank_resolve(&rf, name, &d, &skipped);
	if (!ret && rankfile_check_ids(&rf, name, err)) {
		errorf(0, "%s", err);
		ret = 1;
	}
	if (!ret) {
		r = calloc(rf.nr_ranges ? rf.nr_ranges : 1, sizeof(*r));
		c = calloc(rf.nr_cgroups ? rf.nr_cgroups : 1, sizeof(*c));
		if (!r || !c)
			ret = fail(name, ENOMEM);
	}
	for (i = 0; !ret && i < rf.n; i++) {
		const struct rank_entry *e = &rf.e[i];

		if (!e->cgroup)
			r[nr++] = (struct fdpblk_range_rank){
				.start = e->start, .nr_sectors = e->nr_sectors,
				.rank = e->rank,
			};
		else if (e->cgroup_id)
			c[nc++] = (struct fdpblk_cgroup_rank){
				.cgroup_id = e->cgroup_id, .rank = e->rank,
			};
	}
	rankfile_free(&rf);
	ctl = ret ? -1 : open_control();
	if (ctl < 0) {
		ret = 1;
		goto out;
	}
	if (o.replace) {
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_CLEAR_RANGE_RANKS, d.id,
					 FDPBLK_RANKS_F_ALL, NULL, &zero);
		if (!ret)
			ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_CLEAR_CGROUP_RANKS,
						  d.id, FDPBLK_RANKS_F_ALL, NULL,
						  &zero);
	}
	/* Cgroups first: a cgroup removed since resolve() fails the load. */
	if (!ret && nc)
		ret = fdpblk_cgroup_ranks(ctl, FDPBLK_IOC_SET_CGROUP_RANKS, d.id, 0,
					  c, &nc);
	if (!ret && nr)
		ret = fdpblk_range_ranks(ctl, FDPBLK_IOC_SET_RANGE_RANKS, d.id, 0,
					 r, &nr);
	if (ret) {
		ret = explain_rank(argv[idx], -ret);
		goto out;
	}
	out->rank_load(&d, name, o.replace, nr, nc, skipped);
out:
	free(r);
	free(c);
	return ret;
}
