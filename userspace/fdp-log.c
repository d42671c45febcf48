// SPDX-License-Identifier: GPL-2.0
/*
 * The FDP data structures as bytes, and how they are read: transfer
 * limits, log page chunks, log pages 20h and 23h, RUH status. No device
 * here, so that host unit tests (test-nvme.c) reach all of it. Layouts:
 * NVMe Base Specification 2.1, 5.1.12.1.20 (FDP configurations),
 * 5.1.12.1.23 (FDP events), 7.5.1 (Reclaim Unit Handle Status).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "nvme.h"

#define CONFS_HDR_LEN		16
#define CONF_DESC_HDR_LEN	64
#define CONF_RUH_DESC_LEN	4
#define EVENTS_HDR_LEN		64
#define EVENT_LEN		64
#define RUHS_HDR_LEN		16
#define RUHS_DESC_LEN		32
/* MDTS is a power of two of pages: past this the limit is no limit. */
#define MDTS_MAX_SHIFT		20

int fdp_max_xfer(unsigned int mdts, uint64_t hw_bytes, const char *env,
		 uint32_t *xfer)
{
	uint64_t x = UINT32_MAX & ~3U;
	unsigned long long v;
	char *end;

	if (mdts && mdts < MDTS_MAX_SHIFT)
		x = (uint64_t)NVME_XFER_DEFAULT << mdts;
	if (hw_bytes && hw_bytes < x)
		x = hw_bytes & ~3ULL;
	if (env) {
		errno = 0;
		v = strtoull(env, &end, 10);
		if (errno || end == env || *end || *env == '-' ||
		    v < FDP_XFER_MIN || v % 4)
			return -EDOM;
		if (v < x)
			x = v;
	}
	*xfer = x;
	return 0;
}

int fdp_log_chunks(uint32_t len, uint32_t xfer, bool offsets,
		   int (*fn)(void *ctx, uint32_t off, uint32_t len, bool last),
		   void *ctx)
{
	uint32_t off = 0, n;
	int ret;

	xfer &= ~3U;
	if (!xfer)
		xfer = NVME_XFER_DEFAULT;
	if (len > xfer && !offsets)
		return -EMSGSIZE;
	do {
		n = len - off < xfer ? len - off : xfer;
		ret = fn(ctx, off, n, off + n == len);
		if (ret)
			return ret;
		off += n;
	} while (off < len);
	return 0;
}

/* One configuration descriptor: its length, or 0 when malformed. */
static uint32_t parse_conf(const uint8_t *p, uint32_t room, struct fdp_conf *c)
{
	uint32_t dsze, i;

	if (room < CONF_DESC_HDR_LEN)
		return 0;
	memset(c, 0, sizeof(*c));
	dsze = le16(p);
	c->rgif = p[2] & 0xf;
	c->vwc = p[2] & 0x10;
	c->valid = p[2] & 0x80;
	c->vss = p[3] * 8;
	c->nrg = le32(p + 4);
	c->nruh = le16(p + 8);
	c->max_pids = le16(p + 10) + 1U;
	c->nnss = le32(p + 12);
	c->runs = le64(p + 16);
	c->erutl = le32(p + 24);
	/* The RUH descriptors, then the vendor-specific bytes: all in DSZE. */
	if (dsze < CONF_DESC_HDR_LEN + CONF_RUH_DESC_LEN * c->nruh + c->vss ||
	    dsze > room)
		return 0;
	for (i = 0; i < c->nruh && i < sizeof(c->ruht); i++)
		c->ruht[i] = p[CONF_DESC_HDR_LEN + CONF_RUH_DESC_LEN * i];
	return dsze;
}

int fdp_parse_configs(const uint8_t *buf, uint32_t len,
		      struct fdp_conf **out, unsigned int *nr)
{
	uint32_t off, n, i, dsze;
	struct fdp_conf *c;

	if (len < CONFS_HDR_LEN)
		return -EPROTO;
	n = le16(buf) + 1;		/* NUMFDPC is 0's based */
	c = calloc(n, sizeof(*c));
	if (!c)
		return -ENOMEM;
	for (i = 0, off = CONFS_HDR_LEN; i < n; i++, off += dsze) {
		dsze = parse_conf(buf + off, off < len ? len - off : 0, &c[i]);
		if (!dsze) {
			free(c);
			return -EPROTO;
		}
	}
	*out = c;
	*nr = n;
	return 0;
}

/*
 * The parsed entries of a log of @len bytes (at least @hdr, its header),
 * which says it holds @count entries of @desc bytes: *nr gets as many as
 * @len holds (a log read after its header may be short), and the array
 * of that many entries of @size bytes is returned, or NULL.
 */
static void *entries(uint32_t len, uint32_t hdr, uint32_t desc, uint32_t count,
		     size_t size, unsigned int *nr)
{
	*nr = count < (len - hdr) / desc ? count : (len - hdr) / desc;
	return calloc(*nr ? *nr : 1, size);
}

int fdp_parse_events(const uint8_t *buf, uint32_t len,
		     struct fdp_event **out, unsigned int *nr)
{
	struct fdp_event *ev;
	unsigned int n, i;

	if (len < EVENTS_HDR_LEN)
		return -EPROTO;
	/* Events logged after the header was read are not in @buf. */
	ev = entries(len, EVENTS_HDR_LEN, EVENT_LEN, le32(buf), sizeof(*ev), &n);
	if (!ev)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const uint8_t *p = buf + EVENTS_HDR_LEN + i * EVENT_LEN;
		struct fdp_event *e = &ev[i];

		e->type = p[0];
		e->flags = p[1];
		if (e->flags & FDP_EVENT_PIV)
			e->pid = le16(p + 2);
		e->timestamp = le64(p + 4) & FDP_TIMESTAMP_MASK;
		if (e->flags & FDP_EVENT_NSIDV)
			e->nsid = le32(p + 12);
		if (e->flags & FDP_EVENT_LV) {
			e->rgid = le16(p + 32);
			e->ruhid = p[34];
		}
		/* Event type specific, bytes 31:16. */
		if (e->type == FDP_EVENT_MEDIA_REALLOCATED) {
			e->sef = p[16];
			e->nlbam = le16(p + 18);
			if (e->sef & FDP_REALLOC_LBAV)
				e->lba = le64(p + 20);
		}
	}
	*out = ev;
	*nr = n;
	return 0;
}

int fdp_parse_ruhs(const uint8_t *buf, uint32_t len,
		   struct fdp_ruhs_desc **out, unsigned int *nr,
		   unsigned int *total)
{
	struct fdp_ruhs_desc *d;
	unsigned int i, n;

	if (len < RUHS_HDR_LEN)
		return -EPROTO;
	*total = le16(buf + 14);
	d = entries(len, RUHS_HDR_LEN, RUHS_DESC_LEN, *total, sizeof(*d), &n);
	if (!d)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const uint8_t *p = buf + RUHS_HDR_LEN + i * RUHS_DESC_LEN;

		d[i].pid = le16(p);
		d[i].ruhid = le16(p + 2);
		d[i].earutr = le32(p + 4);
		d[i].ruamw = le64(p + 8);
	}
	*out = d;
	*nr = n;
	return 0;
}

uint8_t fdp_ruht(const struct fdp_conf *conf, unsigned int ruhid)
{
	if (ruhid >= conf->nruh || ruhid >= sizeof(conf->ruht))
		return 0;
	return conf->ruht[ruhid];
}

uint64_t fdp_ruamw_drop(uint64_t before, uint64_t after, uint64_t ru_blocks)
{
	if (!ru_blocks)
		return before >= after ? before - after : 0;
	return (before % ru_blocks + ru_blocks - after % ru_blocks) % ru_blocks;
}
