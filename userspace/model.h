/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of an FDP SSD with garbage collection, to replay a trace's
 * writes under a placement policy and show the write amplification (WAF)
 * it would give. It is a model, not a drive; its assumptions:
 *
 * - Page-mapped FTL, 4 KiB pages. A write covers every page it touches,
 *   whole (a sub-page write costs a page: the drive's read-modify-write);
 *   a discard invalidates only the pages it covers whole. Host figures
 *   count pages written, so WAF = media pages / host pages.
 * - Physical space = capacity * (1 + op/100), in whole reclaim units (RUs)
 *   of ru_size bytes; an RU is erased whole and written in page order.
 * - One open RU per handle for host writes. ph 0 (no directive) goes to
 *   ph 1's handle: the controller places it with placement ID 0, the
 *   first handle's.
 * - Garbage collection runs before a host write takes a new RU while
 *   MODEL_GC_FREE or fewer RUs are free; it picks a full RU (greedy: the
 *   fewest valid pages; fifo: the first filled; cost-benefit: the highest
 *   (1-u)/(2u) * age, age since the RU was filled), copies its valid pages
 *   and erases it. Copies of a persistently isolated handle's data go to
 *   an open GC RU of that handle; those of initially isolated handles to
 *   one GC RU shared by all of them.
 * - The spare left for data: the free RUs GC keeps (MODEL_GC_FREE) and the
 *   open RUs (half full on average) hold no settled data, so
 *   rho_data = (RUs - MODEL_GC_FREE - open/2) * pages per RU / pages - 1.
 * - No wear levelling, no read disturb, no RAID parity, no caching: media
 *   writes are host writes plus GC copies.
 *
 * Memory: a bit-packed forward map (log2 of the physical pages + 1 bits
 * per logical page), a bit-packed reverse map (log2 of the logical pages
 * bits per physical page; a page is valid when the forward map points
 * back), 4 bits of (ph, source) class per logical page, and a few words
 * per RU: 1 TiB at op 7 takes 1.97 GiB (29 + 4 bits per logical page, 28
 * per physical page); at op 28, 2.15 GiB.
 */
#ifndef FDPCTL_MODEL_H
#define FDPCTL_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/fdpblk.h>

#include "fdpblk-rules.h"

#define MODEL_PAGE		4096
#define MODEL_PAGE_SECTORS	(MODEL_PAGE / 512)
/* Free RUs garbage collection keeps: one for GC to copy into, one spare. */
#define MODEL_GC_FREE		2
/* Per-source figures of baselines: placed by the trace, not by a rule. */
#define MODEL_SRC_TRACE		FDPBLK_NR_SOURCES
#define MODEL_NR_SOURCES	(FDPBLK_NR_SOURCES + 1)
/* (ph, source) pairs told apart in GC copies; the rest are "other". */
#define MODEL_NR_CLASSES	16

enum model_gc {
	MODEL_GC_GREEDY,
	MODEL_GC_FIFO,
	MODEL_GC_COST_BENEFIT,
};

struct model_cfg {
	uint64_t capacity;		/* bytes the host sees */
	uint64_t ru_size;		/* bytes, a multiple of MODEL_PAGE */
	unsigned int nr_handles;	/* N: ph 1..N */
	bool persistent[FDPBLK_MAX_PH + 1];	/* per ph: persistently isolated */
	double op;			/* over-provisioning, percent */
	enum model_gc gc;
	uint64_t warmup;		/* host bytes left out of the figures */
};

/* Pages written, after the warm-up. */
struct model_count {
	uint64_t host;
	uint64_t gc;			/* copied by garbage collection */
};

struct model_result {
	struct model_count total;
	struct model_count ph[FDPBLK_MAX_PH + 1];
	struct model_count src[MODEL_NR_SOURCES];
	uint64_t gc_other;		/* GC copies of pairs beyond the classes */
	uint64_t warmup_pages;		/* host pages left out */
	uint64_t discarded;		/* pages invalidated by discards */
	unsigned int open_rus;		/* open RUs at the end, host and GC */
	double rho_data;
};

/* The geometry a configuration gives. */
struct model_geom {
	uint64_t pages;			/* logical */
	uint64_t rus;
	uint64_t ru_pages;
	uint64_t mem;			/* bytes the model allocates, at most */
	unsigned int max_open;		/* host and GC RUs open at most */
};

struct model;

/*
 * The geometry of @cfg; -1 with the reason in @err (256 bytes) when the
 * model cannot run it (too little space beyond the data for GC).
 */
int model_geom(const struct model_cfg *cfg, struct model_geom *g, char *err);
/* NULL with the reason in @err. */
struct model *model_new(const struct model_cfg *cfg, char *err);
void model_free(struct model *m);

/* Pages [@page, @page + @n) written on @ph by rule @src (or MODEL_SRC_TRACE). */
void model_write(struct model *m, uint64_t page, uint64_t n, unsigned int ph,
		 unsigned int src);
void model_discard(struct model *m, uint64_t page, uint64_t n);
void model_result(const struct model *m, struct model_result *r);

/* "greedy", "fifo", "cost-benefit"; -1 for another name. */
int model_gc_parse(const char *s, enum model_gc *gc);
const char *model_gc_name(enum model_gc gc);

#endif /* FDPCTL_MODEL_H */
