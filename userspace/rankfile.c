// SPDX-License-Identifier: GPL-2.0
/*
 * Rank files: parse the whole file before anything is done with it, so
 * that a bad line changes nothing; write what reads back as the same.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "parse.h"
#include "rankfile.h"

/* The reason in @err, and -1. */
#define why(err, ...)	({ snprintf(err, RANKFILE_ERR_LEN, __VA_ARGS__); -1; })

void rankfile_free(struct rank_file *rf)
{
	unsigned int i;

	for (i = 0; i < rf->n; i++)
		free(rf->e[i].path);
	free(rf->e);
	memset(rf, 0, sizeof(*rf));
}

/* The words of a line, up to @max; how many there were (max + 1: more). */
static unsigned int split(char *s, char **w, unsigned int max)
{
	unsigned int n = 0;
	char *save, *tok;

	for (tok = strtok_r(s, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = tok;
	}
	return n;
}

/* One line's entry from its words; the reason in @msg on error. */
static int parse_entry(char **w, unsigned int n, struct rank_entry *e,
		       char *msg)
{
	unsigned long v;

	if (!strcmp(w[0], "range")) {
		if (n != 4)
			return why(msg, "expected range START LEN RANK");
		if (parse_sectors(w[1], &e->start))
			return why(msg, "range start %s: must be sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB",
				   w[1]);
		if (parse_sectors(w[2], &e->nr_sectors) || !e->nr_sectors)
			return why(msg, "range length %s: must be sectors, or bytes with K/M/G/T or KiB/MiB/GiB/TiB, more than 0",
				   w[2]);
		if (e->nr_sectors > UINT64_MAX - e->start)
			return why(msg, "range %s %s: ends past 2^64 sectors",
				   w[1], w[2]);
	} else if (!strcmp(w[0], "cgroup")) {
		if (n != 3)
			return why(msg, "expected cgroup PATH RANK or cgroup id:ID RANK");
		e->cgroup = true;
		if (!strncmp(w[1], RANKFILE_ID, strlen(RANKFILE_ID))) {
			if (parse_uint(w[1] + strlen(RANKFILE_ID), ULONG_MAX, &v) ||
			    !v)
				return why(msg, "cgroup %s: the id must be 1 or more",
					   w[1]);
			e->cgroup_id = v;
		} else {
			e->path = strdup(w[1]);
			if (!e->path)
				return why(msg, "%s", strerror(ENOMEM));
		}
	} else {
		return why(msg, "%s: unknown entry (range or cgroup)", w[0]);
	}
	if (parse_uint(w[n - 1], UINT32_MAX, &v))
		return why(msg, "rank %s: must be 0..4294967295", w[n - 1]);
	e->rank = v;
	return 0;
}

/*
 * The entries of @rf of one kind (ranges or cgroups), sorted by start or
 * by cgroup id, then by line: an array of their indexes (*n of them), or
 * NULL with the error in @err.
 */
static const struct rank_entry *sort_base;

static uint64_t sort_key(const struct rank_entry *e)
{
	return e->cgroup ? e->cgroup_id : e->start;
}

static int by_key(const void *a, const void *b)
{
	const struct rank_entry *x = &sort_base[*(const unsigned int *)a];
	const struct rank_entry *y = &sort_base[*(const unsigned int *)b];

	if (sort_key(x) != sort_key(y))
		return sort_key(x) < sort_key(y) ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static unsigned int *sorted(const struct rank_file *rf, bool cgroup,
			    unsigned int *n, const char *name, char *err)
{
	unsigned int *idx, i;

	*n = 0;
	idx = calloc(rf->n ? rf->n : 1, sizeof(*idx));
	if (!idx) {
		why(err, "%s: %s", name, strerror(ENOMEM));
		return NULL;
	}
	for (i = 0; i < rf->n; i++)
		if (rf->e[i].cgroup == cgroup)
			idx[(*n)++] = i;
	sort_base = rf->e;
	qsort(idx, *n, sizeof(*idx), by_key);
	return idx;
}

/* Ranges that overlap: named by both lines, the earlier first. */
static int check_overlap(const struct rank_file *rf, const char *name,
			 char *err)
{
	const struct rank_entry *a, *b;
	unsigned int *idx, i, n = 0, last;
	int ret = 0;

	idx = sorted(rf, false, &n, name, err);
	if (!idx)
		return -1;
	/* Sorted by start, a range overlaps one before it if it overlaps
	 * the one that ends last. */
	last = idx[0];
	for (i = 1; i < n; i++) {
		a = &rf->e[last];
		b = &rf->e[idx[i]];
		if (b->start < a->start + a->nr_sectors) {
			if (a->line > b->line) {
				const struct rank_entry *t = a;

				a = b;
				b = t;
			}
			ret = why(err, "%s:%u: range %" PRIu64 "+%" PRIu64 " overlaps range %" PRIu64 "+%" PRIu64 " of line %u",
				  name, b->line, (uint64_t)b->start,
				  (uint64_t)b->nr_sectors, (uint64_t)a->start,
				  (uint64_t)a->nr_sectors, a->line);
			break;
		}
		if (b->start + b->nr_sectors > a->start + a->nr_sectors)
			last = idx[i];
	}
	free(idx);
	return ret;
}

int rankfile_parse(FILE *f, const char *name, struct rank_file *rf,
		   char *err)
{
	char line[4096], msg[RANKFILE_ERR_LEN], *w[5], *s;
	unsigned int lineno = 0, n, room = 0;
	struct rank_entry *e;

	memset(rf, 0, sizeof(*rf));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			why(err, "%s:%u: line too long", name, lineno);
			goto fail;
		}
		s = strchr(line, '#');
		if (s)
			*s = '\0';
		n = split(line, w, 4);
		if (!n)
			continue;
		if (rf->n == room) {
			room = room ? 2 * room : 64;
			e = realloc(rf->e, room * sizeof(*e));
			if (!e) {
				why(err, "%s: %s", name, strerror(ENOMEM));
				goto fail;
			}
			rf->e = e;
		}
		e = &rf->e[rf->n];
		memset(e, 0, sizeof(*e));
		e->line = lineno;
		if (n > 4)
			n = 5;	/* too many words: the entry says which */
		if (parse_entry(w, n, e, msg)) {
			free(e->path);
			why(err, "%s:%u: %.400s", name, lineno, msg);
			goto fail;
		}
		rf->n++;
		if (e->cgroup)
			rf->nr_cgroups++;
		else
			rf->nr_ranges++;
	}
	if (ferror(f)) {
		why(err, "%s: %s", name, strerror(errno));
		goto fail;
	}
	if (!check_overlap(rf, name, err))
		return 0;
fail:
	rankfile_free(rf);
	return -1;
}

int rankfile_check_ids(const struct rank_file *rf, const char *name,
		       char *err)
{
	const struct rank_entry *a, *b;
	unsigned int *idx, i, n = 0;
	int ret = 0;

	idx = sorted(rf, true, &n, name, err);
	if (!idx)
		return -1;
	for (i = 1; i < n; i++) {
		a = &rf->e[idx[i - 1]];
		b = &rf->e[idx[i]];
		if (a->cgroup_id == b->cgroup_id) {
			ret = why(err, "%s:%u: cgroup id %" PRIu64 ": named by line %u too",
				  name, b->line, (uint64_t)b->cgroup_id, a->line);
			break;
		}
	}
	free(idx);
	return ret;
}

void rankfile_write_range(FILE *f, const struct fdpblk_range_rank *r)
{
	fprintf(f, "range %" PRIu64 " %" PRIu64 " %u\n", (uint64_t)r->start,
		(uint64_t)r->nr_sectors, r->rank);
}

void rankfile_write_cgroup(FILE *f, const char *path, __u64 id, __u32 rank)
{
	size_t root = strlen(CGROUP_ROOT);

	/* A path that would not read back as one word: the id. */
	if (!path || path[strcspn(path, " \t\r\n#")]) {
		fprintf(f, "cgroup " RANKFILE_ID "%" PRIu64 " %u\n", (uint64_t)id,
			rank);
		return;
	}
	/* Below the root, relative, as rank set --cgroup takes it. */
	if (!strncmp(path, CGROUP_ROOT "/", root + 1) && path[root + 1])
		path += root + 1;
	fprintf(f, "cgroup %s %u\n", path, rank);
}
