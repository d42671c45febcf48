/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offline classification: the ph and source fdpblk gives a write of a
 * trace, by the module's own rules (kmod/fdpblk-rules.h, compiled in
 * here, not copied), under a policy and the ranks of a rank file.
 *
 * The inputs the module takes from the bio come from the trace line:
 * hint=, stream=, meta=1 (REQ_META or the file system's page cache),
 * cgroup= (the bio's blkcg). Range ranks split a write at their
 * boundaries as the module splits a bio. A cgroup rank applies to a write
 * of that cgroup or of a descendant: the trace has the write's own cgroup,
 * so ancestors are found through @parent (NULL: exact ids only).
 */
#ifndef FDPCTL_CLASSIFY_H
#define FDPCTL_CLASSIFY_H

#include <stdint.h>
#include <linux/fdpblk.h>

#include "fdpblk-rules.h"
#include "rankfile.h"
#include "tracefile.h"

struct classify_cgroup {
	uint64_t id;
	uint32_t rank;
	bool has;		/* a cache entry of an ancestor lookup: ranked? */
};

struct classify {
	struct fdpblk_policy p;		/* the tables the rules point into */
	struct fdpblk_rules_table t;
	struct fdpblk_range *r;		/* sorted, disjoint */
	unsigned int nr;
	struct classify_cgroup *cg;	/* ranked ids, sorted */
	unsigned int ncg;
	/* Ancestor lookups, memoised: ids seen that are not ranked. */
	struct classify_cgroup *memo;
	unsigned int nmemo, memo_cap;
	/* The parent cgroup's id of @id, or 0 (root or not found). */
	uint64_t (*parent)(uint64_t id);
};

/*
 * Take @p (checked by the caller) for a device of @nr_streams virtual
 * streams, and the ranks of @rf (NULL: none), whose cgroups must all have
 * ids (rank_entry.cgroup_id). Returns 0, or -1 if out of memory.
 */
int classify_init(struct classify *c, const struct fdpblk_policy *p,
		  unsigned int nr_streams, const struct rank_file *rf);
void classify_free(struct classify *c);

/*
 * The ph of the write @io, and its rule in *@src. *@nr gets the sectors it
 * applies to: all of @io's, or fewer when a range boundary splits it (the
 * caller classifies the rest, from sector + *@nr, again).
 */
uint16_t classify_write(struct classify *c, const struct trace_io *io,
			enum fdpblk_source *src, uint32_t *nr);

/* "meta", "stream", ...: the names the module's statistics use. */
const char *classify_source_name(enum fdpblk_source src);

#endif /* FDPCTL_CLASSIFY_H */
