/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rank files: what rank save writes and rank load reads, every range rank
 * and cgroup rank of a device. Nothing here prints or touches a device:
 * errors come back as text for the caller to report, so that host-side
 * unit tests can run the parser.
 *
 * The format (see fdpctl(8)): one entry a line, '#' starts a comment.
 *
 *	range START LEN RANK	START and LEN as --range takes them
 *	cgroup PATH RANK	absolute, or relative to /sys/fs/cgroup
 *	cgroup id:ID RANK	a cgroup by id
 *
 * Ranges must not overlap each other (the module refuses a batch that
 * does).
 */
#ifndef FDPCTL_RANKFILE_H
#define FDPCTL_RANKFILE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/fdpblk.h>

#define RANKFILE_ERR_LEN	512
/* The prefix of a cgroup given by id. */
#define RANKFILE_ID		"id:"

/* One entry, and the line it came from. */
struct rank_entry {
	unsigned int line;
	bool cgroup;
	__u32 rank;
	uint64_t start, nr_sectors;	/* a range */
	uint64_t cgroup_id;		/* a cgroup: by id:, or once resolved */
	char *path;			/* a cgroup by path, as written; or NULL */
};

struct rank_file {
	struct rank_entry *e;
	unsigned int n, nr_ranges, nr_cgroups;
};

/*
 * Read a whole rank file into @rf. On error returns -1 with "NAME:LINE:
 * ..." in @err and @rf empty; overlapping ranges are named by both lines.
 */
int rankfile_parse(FILE *f, const char *name, struct rank_file *rf,
		   char *err);

/*
 * Once every cgroup has its id: -1 with "NAME:LINE: ..." in @err if two
 * lines name the same cgroup (the module refuses that too).
 */
int rankfile_check_ids(const struct rank_file *rf, const char *name,
		       char *err);

void rankfile_free(struct rank_file *rf);

/* One line of the format. */
void rankfile_write_range(FILE *f, const struct fdpblk_range_rank *r);
/*
 * A cgroup by @path (absolute, as the module's cgroup has it) if there is
 * one that reads back as the same, else by @id.
 */
void rankfile_write_cgroup(FILE *f, const char *path, __u64 id, __u32 rank);

#endif /* FDPCTL_RANKFILE_H */
