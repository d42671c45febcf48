// SPDX-License-Identifier: GPL-2.0
/*
 * Offline classification (classify.h): the inputs of the module's rules
 * from a trace line, then the rules themselves, from the module's header.
 */
#include <stdlib.h>
#include <string.h>

#include "classify.h"

const char *classify_source_name(enum fdpblk_source src)
{
	return fdpblk_rules_source_name(src);
}

static int cmp_range(const void *a, const void *b)
{
	const struct fdpblk_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static int cmp_cgroup(const void *a, const void *b)
{
	const struct classify_cgroup *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* log2 of the metadata chunk in sectors, as fdpblk_meta_chunk_shift(). */
static unsigned int chunk_shift(uint32_t kib)
{
	unsigned int s = 0;

	while ((1U << s) < kib)
		s++;
	return s + 1;
}

int classify_init(struct classify *c, const struct fdpblk_policy *p,
		  unsigned int nr_streams, const struct rank_file *rf)
{
	unsigned int i;

	memset(c, 0, sizeof(*c));
	c->p = *p;
	c->t = (struct fdpblk_rules_table){
		.hint_map = c->p.hint_map,
		.stream_map = c->p.stream_map,
		.data_pool = c->p.data_pool,
		.meta_pool = c->p.meta_pool,
		.data_pool_len = c->p.data_pool_len,
		.meta_pool_len = c->p.meta_pool_len,
		.nr_streams = nr_streams,
		.meta_chunk_shift = chunk_shift(c->p.meta_chunk_kib),
		.default_ph = c->p.default_ph,
	};
	if (!rf)
		return 0;
	c->r = calloc(rf->nr_ranges + 1, sizeof(*c->r));
	c->cg = calloc(rf->nr_cgroups + 1, sizeof(*c->cg));
	if (!c->r || !c->cg) {
		classify_free(c);
		return -1;
	}
	for (i = 0; i < rf->n; i++) {
		const struct rank_entry *e = &rf->e[i];

		if (e->cgroup)
			c->cg[c->ncg++] = (struct classify_cgroup){
				e->cgroup_id, e->rank, true };
		else
			c->r[c->nr++] = (struct fdpblk_range){
				e->start, e->start + e->nr_sectors, e->rank };
	}
	qsort(c->r, c->nr, sizeof(*c->r), cmp_range);
	qsort(c->cg, c->ncg, sizeof(*c->cg), cmp_cgroup);
	return 0;
}

void classify_free(struct classify *c)
{
	free(c->r);
	free(c->cg);
	free(c->memo);
	c->r = NULL;
	c->cg = c->memo = NULL;
}

static struct classify_cgroup *find(struct classify_cgroup *a, unsigned int n,
				    uint64_t id)
{
	struct classify_cgroup key = { .id = id };

	return n ? bsearch(&key, a, n, sizeof(*a), cmp_cgroup) : NULL;
}

/* The rank of cgroup @id or of its nearest ranked ancestor. */
static bool cgroup_rank(struct classify *c, uint64_t id, uint32_t *rank)
{
	struct classify_cgroup *e, m = { .id = id };
	uint64_t a;

	if (!c->ncg || !id)
		return false;
	e = find(c->cg, c->ncg, id);
	if (!e)
		e = find(c->memo, c->nmemo, id);
	if (e) {
		*rank = e->rank;
		return e->has;
	}
	for (a = c->parent ? c->parent(id) : 0; a; a = c->parent(a)) {
		e = find(c->cg, c->ncg, a);
		if (e) {
			m.rank = e->rank;
			m.has = true;
			break;
		}
	}
	/* Remember the answer; without room, look it up again next time. */
	if (c->nmemo == c->memo_cap) {
		unsigned int cap = c->memo_cap ? 2 * c->memo_cap : 16;
		struct classify_cgroup *n = realloc(c->memo, cap * sizeof(*n));

		if (n) {
			c->memo = n;
			c->memo_cap = cap;
		}
	}
	if (c->nmemo < c->memo_cap) {
		c->memo[c->nmemo++] = m;
		qsort(c->memo, c->nmemo, sizeof(*c->memo), cmp_cgroup);
	}
	*rank = m.rank;
	return m.has;
}

uint16_t classify_write(struct classify *c, const struct trace_io *io,
			enum fdpblk_source *src, uint32_t *nr)
{
	struct fdpblk_rules_in in = {
		.sector = io->sector,
		.stream = io->stream,
		.hint = io->hint,
		.is_meta = io->meta,
	};
	uint64_t end = io->sector + io->nr_sectors, cut = end;

	if (fdpblk_rules_want_ranks(&c->t, &in)) {
		in.has_range_rank = fdpblk_rules_range(c->r, c->nr, io->sector,
						       end, &in.range_rank, &cut);
		in.has_cgroup_rank = !in.has_range_rank &&
				     cgroup_rank(c, io->cgroup, &in.cgroup_rank);
	}
	*nr = cut - io->sector;
	return fdpblk_rules_place(&c->t, &in, src);
}
