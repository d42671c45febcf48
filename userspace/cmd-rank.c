// SPDX-License-Identifier: GPL-2.0
/*
 * rank set|clear|list: ranks of LBA ranges and of cgroups.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cmd.h"
#include "ctl.h"
#include "parse.h"

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

/* A range must lie on the device and between its logical blocks. */
static int check_range(const struct fdpblk_info *d, const char *arg,
		       const struct fdpblk_range_rank *r)
{
	struct ns_queue_info q;
	uint64_t sectors, lbs;

	if (ns_queue_info(d->name, &q))
		return 0;	/* the module checks anyway */
	sectors = q.bytes / 512;
	lbs = q.lbsize / 512;
	if (r->start >= sectors || r->nr_sectors > sectors - r->start) {
		errorf(0, "%s: range %" PRIu64 "+%" PRIu64 " runs past the end of the device (%" PRIu64 " sectors)",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, sectors);
		return 1;
	}
	if (lbs > 1 && ((r->start | r->nr_sectors) & (lbs - 1))) {
		errorf(0, "%s: range %" PRIu64 "+%" PRIu64 " does not fall on the device's %u-byte logical blocks",
			arg, (uint64_t)r->start, (uint64_t)r->nr_sectors, q.lbsize);
		return 1;
	}
	return 0;
}

static int rank_list(int ctl, const struct fdpblk_info *d, const char *arg)
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
	out->ranks(d, r, nr, c, paths, nc);
	for (i = 0; i < nc; i++)
		free(paths[i]);
	free(paths);
	free(r);
	free(c);
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
	if (o.have_range && check_range(&d, argv[idx], &o.r))
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
