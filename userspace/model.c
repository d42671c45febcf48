// SPDX-License-Identifier: GPL-2.0
/*
 * The FDP SSD model (model.h). Everything is an array indexed by page or
 * by reclaim unit (RU): no allocation after model_new(), no pointer per
 * page, so that 10^8 page writes take seconds and 1 TiB fits in 2 GiB.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

#define NONE		UINT32_MAX
#define RU_FREE		0
#define RU_OPEN		1
#define RU_FULL		2

/* An array of @w-bit numbers (w <= 56), packed; 8 spare bytes at the end. */
struct packed {
	uint8_t *b;
	unsigned int w;
	uint64_t mask;
};

static int packed_alloc(struct packed *p, uint64_t n, unsigned int w)
{
	p->w = w;
	p->mask = (1ULL << w) - 1;
	p->b = calloc((n * w + 7) / 8 + 8, 1);
	return p->b ? 0 : -1;
}

static inline uint64_t packed_get(const struct packed *p, uint64_t i)
{
	uint64_t bit = i * p->w, x;

	memcpy(&x, p->b + (bit >> 3), 8);
	return (x >> (bit & 7)) & p->mask;
}

static inline void packed_set(struct packed *p, uint64_t i, uint64_t v)
{
	uint64_t bit = i * p->w, x;
	unsigned int sh = bit & 7;

	memcpy(&x, p->b + (bit >> 3), 8);
	x = (x & ~(p->mask << sh)) | (v << sh);
	memcpy(p->b + (bit >> 3), &x, 8);
}

static unsigned int bits_for(uint64_t v)
{
	unsigned int b = 1;

	while (b < 56 && (v >> b))
		b++;
	return b;
}

/*
 * Streams: host stream h (1..N) for ph h, GC stream N + h for a
 * persistently isolated ph h, and the shared GC stream 2N + 1.
 */
struct model {
	struct model_cfg cfg;
	struct model_geom g;
	uint32_t P;			/* pages per RU */
	struct packed fwd;		/* logical page -> physical page + 1 */
	struct packed rev;		/* physical page -> logical page */
	uint8_t *cls;			/* 4-bit class per logical page */
	uint32_t *valid, *fill, *next, *prev;
	uint16_t *owner;		/* the stream that wrote the RU */
	uint8_t *state;
	uint64_t *stamp;		/* media clock when the RU filled */
	uint32_t *free_ru, nfree;
	uint32_t *ring, ring_head, ring_tail;	/* fifo: full RUs in order */
	uint32_t *bucket, minb;		/* greedy: full RUs by valid count */
	uint32_t open[2 * (FDPBLK_MAX_PH + 1)];
	uint64_t clock;			/* media pages written */
	uint64_t host_pages;		/* host pages, warm-up included */
	uint64_t warmup_pages;
	bool counting;
	/* Class c: (ph, source); class MODEL_NR_CLASSES - 1: the rest. */
	unsigned int nr_classes;
	uint16_t class_ph[MODEL_NR_CLASSES];
	uint8_t class_src[MODEL_NR_CLASSES];
	uint8_t class_of[FDPBLK_MAX_PH + 1][MODEL_NR_SOURCES];	/* +1 */
	uint64_t class_gc[MODEL_NR_CLASSES];
	struct model_result r;
};

int model_gc_parse(const char *s, enum model_gc *gc)
{
	if (!strcmp(s, "greedy"))
		*gc = MODEL_GC_GREEDY;
	else if (!strcmp(s, "fifo"))
		*gc = MODEL_GC_FIFO;
	else if (!strcmp(s, "cost-benefit"))
		*gc = MODEL_GC_COST_BENEFIT;
	else
		return -1;
	return 0;
}

const char *model_gc_name(enum model_gc gc)
{
	return gc == MODEL_GC_GREEDY ? "greedy" :
	       gc == MODEL_GC_FIFO ? "fifo" : "cost-benefit";
}

int model_geom(const struct model_cfg *cfg, struct model_geom *g, char *err)
{
	unsigned int h, persistent = 0, initial = 0;
	long double phys;
	uint64_t rp;

	memset(g, 0, sizeof(*g));
	if (cfg->ru_size < MODEL_PAGE || cfg->ru_size % MODEL_PAGE) {
		snprintf(err, 256, "the RU size must be a multiple of %d bytes",
			 MODEL_PAGE);
		return -1;
	}
	if (!cfg->nr_handles || cfg->nr_handles > FDPBLK_MAX_PH) {
		snprintf(err, 256, "handles must be 1..%d", FDPBLK_MAX_PH);
		return -1;
	}
	g->ru_pages = cfg->ru_size / MODEL_PAGE;
	g->pages = cfg->capacity / MODEL_PAGE;
	phys = (long double)cfg->capacity * (1.0L + cfg->op / 100.0L);
	g->rus = (uint64_t)(phys / cfg->ru_size);
	for (h = 1; h <= cfg->nr_handles; h++) {
		persistent += cfg->persistent[h];
		initial += !cfg->persistent[h];
	}
	g->max_open = cfg->nr_handles + persistent + !!initial;
	rp = g->rus * g->ru_pages;
	if (!g->pages || rp >= UINT32_MAX || g->ru_pages >= UINT32_MAX) {
		snprintf(err, 256, "the model takes 1 to %u pages of %d bytes",
			 UINT32_MAX - 1, MODEL_PAGE);
		return -1;
	}
	if (g->rus < MODEL_GC_FREE + g->max_open ||
	    (g->rus - MODEL_GC_FREE - g->max_open) * g->ru_pages <= g->pages) {
		snprintf(err, 256,
			 "too little over-provisioning: %llu RUs of %llu pages hold %llu pages of data only if more than %u RUs (%u free for GC, %u open) are spare",
			 (unsigned long long)g->rus,
			 (unsigned long long)g->ru_pages,
			 (unsigned long long)g->pages,
			 MODEL_GC_FREE + g->max_open, MODEL_GC_FREE,
			 g->max_open);
		return -1;
	}
	g->mem = (g->pages * bits_for(rp) + 7) / 8 + (g->pages + 1) / 2 +
		 (rp * bits_for(g->pages - 1) + 7) / 8 +
		 g->rus * (6 * 4 + 2 + 1 + 8) + (g->ru_pages + 1) * 4;
	return 0;
}

void model_free(struct model *m)
{
	if (!m)
		return;
	free(m->fwd.b);
	free(m->rev.b);
	free(m->cls);
	free(m->valid);
	free(m->fill);
	free(m->next);
	free(m->prev);
	free(m->owner);
	free(m->state);
	free(m->stamp);
	free(m->free_ru);
	free(m->ring);
	free(m->bucket);
	free(m);
}

struct model *model_new(const struct model_cfg *cfg, char *err)
{
	struct model *m = calloc(1, sizeof(*m));
	uint64_t i, R;

	if (!m) {
		snprintf(err, 256, "out of memory");
		return NULL;
	}
	m->cfg = *cfg;
	if (model_geom(cfg, &m->g, err)) {
		free(m);
		return NULL;
	}
	R = m->g.rus;
	m->P = m->g.ru_pages;
	if (packed_alloc(&m->fwd, m->g.pages, bits_for(R * m->P)) ||
	    packed_alloc(&m->rev, R * m->P, bits_for(m->g.pages - 1)) ||
	    !(m->cls = calloc((m->g.pages + 1) / 2, 1)) ||
	    !(m->valid = calloc(R, 4)) || !(m->fill = calloc(R, 4)) ||
	    !(m->next = calloc(R, 4)) || !(m->prev = calloc(R, 4)) ||
	    !(m->owner = calloc(R, 2)) || !(m->state = calloc(R, 1)) ||
	    !(m->stamp = calloc(R, 8)) || !(m->free_ru = calloc(R, 4)) ||
	    !(m->ring = calloc(R, 4)) ||
	    !(m->bucket = calloc(m->P + 1, 4))) {
		snprintf(err, 256, "out of memory for %llu MiB of model",
			 (unsigned long long)(m->g.mem >> 20));
		model_free(m);
		return NULL;
	}
	for (i = 0; i < R; i++)
		m->free_ru[i] = R - 1 - i;
	m->nfree = R;
	for (i = 0; i <= m->P; i++)
		m->bucket[i] = NONE;
	m->minb = m->P + 1;
	for (i = 0; i < sizeof(m->open) / sizeof(m->open[0]); i++)
		m->open[i] = NONE;
	m->warmup_pages = cfg->warmup / MODEL_PAGE;
	m->counting = !m->warmup_pages;
	return m;
}

/* ---- greedy's buckets: full RUs by valid count, doubly linked ---------- */

static void bucket_add(struct model *m, uint32_t ru)
{
	uint32_t v = m->valid[ru];

	m->prev[ru] = NONE;
	m->next[ru] = m->bucket[v];
	if (m->bucket[v] != NONE)
		m->prev[m->bucket[v]] = ru;
	m->bucket[v] = ru;
	if (v < m->minb)
		m->minb = v;
}

/* Take @ru out of the bucket of valid count @v. */
static void bucket_del(struct model *m, uint32_t ru, uint32_t v)
{
	if (m->prev[ru] != NONE)
		m->next[m->prev[ru]] = m->next[ru];
	else
		m->bucket[v] = m->next[ru];
	if (m->next[ru] != NONE)
		m->prev[m->next[ru]] = m->prev[ru];
}

/* ---- victims ------------------------------------------------------------ */

static uint32_t victim(struct model *m)
{
	uint32_t ru = NONE, i;
	double best = -1;

	switch (m->cfg.gc) {
	case MODEL_GC_GREEDY:
		while (m->minb <= m->P && m->bucket[m->minb] == NONE)
			m->minb++;
		if (m->minb > m->P)
			return NONE;
		ru = m->bucket[m->minb];
		bucket_del(m, ru, m->minb);
		return ru;
	case MODEL_GC_FIFO:
		if (m->ring_head == m->ring_tail)
			return NONE;
		ru = m->ring[m->ring_head];
		m->ring_head = (m->ring_head + 1) % m->g.rus;
		return ru;
	case MODEL_GC_COST_BENEFIT:
		for (i = 0; i < m->g.rus; i++) {
			double u, score;

			if (m->state[i] != RU_FULL)
				continue;
			if (!m->valid[i])
				return i;
			u = (double)m->valid[i] / m->P;
			score = (1 - u) / (2 * u) * (double)(m->clock - m->stamp[i]);
			if (score > best) {
				best = score;
				ru = i;
			}
		}
		return ru;
	}
	return NONE;
}

static void ru_full(struct model *m, uint32_t ru)
{
	m->state[ru] = RU_FULL;
	m->stamp[ru] = m->clock;
	if (m->cfg.gc == MODEL_GC_GREEDY) {
		bucket_add(m, ru);
	} else if (m->cfg.gc == MODEL_GC_FIFO) {
		m->ring[m->ring_tail] = ru;
		m->ring_tail = (m->ring_tail + 1) % m->g.rus;
	}
}

/* ---- writing ------------------------------------------------------------ */

static void invalidate(struct model *m, uint64_t lp)
{
	uint64_t pp = packed_get(&m->fwd, lp);
	uint32_t ru;

	if (!pp)
		return;
	ru = (pp - 1) / m->P;
	m->valid[ru]--;
	if (m->state[ru] == RU_FULL && m->cfg.gc == MODEL_GC_GREEDY) {
		bucket_del(m, ru, m->valid[ru] + 1);
		bucket_add(m, ru);
	}
	packed_set(&m->fwd, lp, 0);
}

static void gc_one(struct model *m);

/* A page of @lp on stream @s; host streams make room first. */
static void place(struct model *m, uint64_t lp, unsigned int s, bool host)
{
	uint32_t ru = m->open[s];
	uint64_t pp;

	if (ru == NONE || m->fill[ru] == m->P) {
		if (ru != NONE)
			ru_full(m, ru);
		m->open[s] = NONE;
		while (host && m->nfree <= MODEL_GC_FREE)
			gc_one(m);
		/* model_geom() leaves GC an RU to copy into: never empty. */
		ru = m->free_ru[--m->nfree];
		m->state[ru] = RU_OPEN;
		m->owner[ru] = s;
		m->open[s] = ru;
	}
	pp = (uint64_t)ru * m->P + m->fill[ru]++;
	m->valid[ru]++;
	packed_set(&m->rev, pp, lp);
	packed_set(&m->fwd, lp, pp + 1);
	m->clock++;
}

static unsigned int page_class(const struct model *m, uint64_t lp)
{
	return (m->cls[lp >> 1] >> ((lp & 1) * 4)) & 15;
}

static void set_class(struct model *m, uint64_t lp, unsigned int c)
{
	unsigned int sh = (lp & 1) * 4;

	m->cls[lp >> 1] = (m->cls[lp >> 1] & ~(15 << sh)) | (c << sh);
}

/* The GC stream for data of an RU that stream @s wrote. */
static unsigned int gc_stream(const struct model *m, unsigned int s)
{
	unsigned int n = m->cfg.nr_handles;

	if (s <= n)
		return m->cfg.persistent[s] ? n + s : 2 * n + 1;
	return s;	/* a GC stream keeps its own */
}

static void gc_one(struct model *m)
{
	uint32_t ru = victim(m), i;
	unsigned int g;
	uint64_t base;

	if (ru == NONE) {
		/* model_geom() rules this out; a bug if it happens. */
		fprintf(stderr, "fdpctl: model: no RU to collect\n");
		abort();
	}
	g = gc_stream(m, m->owner[ru]);
	base = (uint64_t)ru * m->P;
	for (i = 0; i < m->fill[ru]; i++) {
		uint64_t lp = packed_get(&m->rev, base + i);

		if (packed_get(&m->fwd, lp) != base + i + 1)
			continue;
		place(m, lp, g, false);
		if (m->counting)
			m->class_gc[page_class(m, lp)]++;
	}
	m->valid[ru] = 0;
	m->fill[ru] = 0;
	m->state[ru] = RU_FREE;
	m->free_ru[m->nfree++] = ru;
}

static unsigned int class_get(struct model *m, unsigned int ph,
			      unsigned int src)
{
	unsigned int c = m->class_of[ph][src];

	if (c)
		return c - 1;
	if (m->nr_classes < MODEL_NR_CLASSES - 1) {
		c = m->nr_classes++;
		m->class_ph[c] = ph;
		m->class_src[c] = src;
	} else {
		c = MODEL_NR_CLASSES - 1;	/* "other" */
	}
	m->class_of[ph][src] = c + 1;
	return c;
}

void model_write(struct model *m, uint64_t page, uint64_t n, unsigned int ph,
		 unsigned int src)
{
	unsigned int c = class_get(m, ph, src), s = ph ? ph : 1;
	uint64_t lp, end = page + n;

	if (end > m->g.pages)
		end = m->g.pages;	/* the caller refuses such writes */
	for (lp = page; lp < end; lp++) {
		if (!m->counting && m->host_pages >= m->warmup_pages)
			m->counting = true;
		m->host_pages++;
		invalidate(m, lp);
		place(m, lp, s, true);
		set_class(m, lp, c);
		if (m->counting) {
			m->r.total.host++;
			m->r.ph[ph].host++;
			m->r.src[src].host++;
		}
	}
}

void model_discard(struct model *m, uint64_t page, uint64_t n)
{
	uint64_t lp, end = page + n;

	if (end > m->g.pages)
		end = m->g.pages;
	for (lp = page; lp < end; lp++) {
		if (packed_get(&m->fwd, lp) && m->counting)
			m->r.discarded++;
		invalidate(m, lp);
	}
}

void model_result(const struct model *m, struct model_result *r)
{
	unsigned int c, s;

	*r = m->r;
	r->warmup_pages = m->host_pages < m->warmup_pages ? m->host_pages :
							     m->warmup_pages;
	for (c = 0; c < m->nr_classes; c++) {
		r->ph[m->class_ph[c]].gc += m->class_gc[c];
		r->src[m->class_src[c]].gc += m->class_gc[c];
	}
	r->gc_other = m->class_gc[MODEL_NR_CLASSES - 1];
	for (c = 0; c < MODEL_NR_CLASSES; c++)
		r->total.gc += m->class_gc[c];
	for (s = 0; s < sizeof(m->open) / sizeof(m->open[0]); s++)
		r->open_rus += m->open[s] != NONE;
	r->rho_data = ((double)m->g.rus - MODEL_GC_FREE - r->open_rus / 2.0) *
		      m->P / m->g.pages - 1;
}
