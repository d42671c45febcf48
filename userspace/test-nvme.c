// SPDX-License-Identifier: GPL-2.0
/*
 * Description: the FDP data structures on the host (fdp-log.c): the
 * transfer limit from MDTS, the kernel and FDPCTL_MAX_XFER; log pages cut
 * into transfers at increasing offsets; configuration descriptors with
 * vendor-specific bytes; RUH types looked up within bounds; events with
 * and without their valid bits, timestamps masked to 48 bits, media
 * reallocated fields; RUH status larger than a transfer; RUAMW drops
 * with any RU size.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nvme.h"
#include "test.h"

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static void test_max_xfer(void)
{
	uint32_t x = 0;

	check(!fdp_max_xfer(1, 0, NULL, &x) && x == 8192, "MDTS 1: 8 KiB");
	check(!fdp_max_xfer(5, 64 << 10, NULL, &x) && x == 64 << 10,
	      "MDTS 128 KiB, kernel 64 KiB: 64 KiB");
	check(!fdp_max_xfer(0, 512 << 10, NULL, &x) && x == 512 << 10,
	      "MDTS 0 (no limit): the kernel's");
	check(!fdp_max_xfer(1, 0, "256", &x) && x == 256,
	      "FDPCTL_MAX_XFER=256 lowers it");
	check(!fdp_max_xfer(1, 0, "1048576", &x) && x == 8192,
	      "FDPCTL_MAX_XFER cannot raise it");
	check(fdp_max_xfer(1, 0, "255", &x) == -EDOM, "FDPCTL_MAX_XFER=255: refused");
	check(fdp_max_xfer(1, 0, "0", &x) == -EDOM, "FDPCTL_MAX_XFER=0: refused");
	check(fdp_max_xfer(1, 0, "60", &x) == -EDOM,
	      "FDPCTL_MAX_XFER=60: below a log header, refused");
	check(!fdp_max_xfer(1, 0, "64", &x) && x == 64, "FDPCTL_MAX_XFER=64 taken");
	check(fdp_max_xfer(1, 0, "4k", &x) == -EDOM, "FDPCTL_MAX_XFER=4k: refused");
	check(fdp_max_xfer(1, 0, "", &x) == -EDOM, "FDPCTL_MAX_XFER empty: refused");
}

struct chunks {
	unsigned int n;
	uint32_t off[16], len[16];
	bool last[16];
};

static int record(void *ctx, uint32_t off, uint32_t len, bool last)
{
	struct chunks *c = ctx;

	if (c->n == 16)
		return -ENOSPC;
	c->off[c->n] = off;
	c->len[c->n] = len;
	c->last[c->n++] = last;
	return 0;
}

static void test_chunks(void)
{
	struct chunks c = { 0 };
	unsigned int i;
	bool ok;

	check(!fdp_log_chunks(1000, 256, true, record, &c) && c.n == 4,
	      "1000 bytes in 256: 4 transfers");
	ok = true;
	for (i = 0; i < c.n; i++)
		ok &= c.off[i] == 256 * i && c.len[i] == (i < 3 ? 256 : 232) &&
		      c.last[i] == (i == 3);
	check(ok, "offsets 0, 256, 512, 768; the last 232 bytes, marked last");
	memset(&c, 0, sizeof(c));
	check(!fdp_log_chunks(64, 256, false, record, &c) && c.n == 1 &&
	      c.len[0] == 64 && c.last[0], "a log within one transfer: no offset needed");
	memset(&c, 0, sizeof(c));
	check(fdp_log_chunks(320, 256, false, record, &c) == -EMSGSIZE && !c.n,
	      "larger than a transfer, no log page offset: -EMSGSIZE, nothing read");
	memset(&c, 0, sizeof(c));
	check(!fdp_log_chunks(512, 258, true, record, &c) && c.n == 2 &&
	      c.len[0] == 256 && c.off[1] == 256,
	      "a transfer size not a multiple of 4 is rounded down");
}

/* A configuration descriptor at @p: its DSZE as given. */
static void put_conf(uint8_t *p, uint16_t dsze, uint8_t vss, uint16_t nruh,
		     uint16_t maxpids, uint64_t runs)
{
	unsigned int i;

	put16(p, dsze);
	p[2] = 0x80;
	p[3] = vss;
	put32(p + 4, 1);
	put16(p + 8, nruh);
	put16(p + 10, maxpids);
	put32(p + 12, 1);
	put64(p + 16, runs);
	for (i = 0; i < nruh; i++)
		p[64 + 4 * i] = i & 1 ? FDP_RUHT_PERSISTENTLY_ISOLATED :
					FDP_RUHT_INITIALLY_ISOLATED;
}

static void test_configs(void)
{
	uint8_t buf[16 + 80 + 68] = { 0 };
	struct fdp_conf *c = NULL;
	unsigned int nr = 0;

	put16(buf, 1);		/* two configurations */
	put32(buf + 4, sizeof(buf));
	/* 2 RUH descriptors, then VSS 1: 8 vendor-specific bytes, 0xff. */
	put_conf(buf + 16, 64 + 8 + 8, 1, 2, 0, 8 << 20);
	memset(buf + 16 + 72, 0xff, 8);
	put_conf(buf + 16 + 80, 64 + 4, 0, 1, 7, 16 << 20);
	check(!fdp_parse_configs(buf, sizeof(buf), &c, &nr) && nr == 2,
	      "two configurations, the first with vendor-specific bytes");
	if (nr == 2) {
		check(c[0].vss == 8 && c[0].nruh == 2 &&
		      c[0].ruht[1] == FDP_RUHT_PERSISTENTLY_ISOLATED,
		      "the first: VSS 8 bytes, its RUH types");
		check(c[1].runs == 16 << 20 && c[1].nruh == 1,
		      "the second found past the vendor-specific bytes");
		check(c[0].max_pids == 1 && c[1].max_pids == 8,
		      "MAXPIDS is 0's based: 0 is 1 PID, 7 is 8");
	}
	free(c);
	c = NULL;
	/* A DSZE that holds the RUH descriptors but not the VSS bytes. */
	put16(buf + 16, 64 + 8);
	check(fdp_parse_configs(buf, sizeof(buf), &c, &nr) == -EPROTO,
	      "DSZE short of the vendor-specific bytes: malformed");
	free(c);
	c = NULL;
	put16(buf + 16, 64 + 8 + 8);
	check(fdp_parse_configs(buf, sizeof(buf) - 1, &c, &nr) == -EPROTO,
	      "a descriptor past the log's end: malformed");
	free(c);
}

static void test_ruht(void)
{
	struct fdp_conf c = { .nruh = 300 };

	c.ruht[255] = FDP_RUHT_PERSISTENTLY_ISOLATED;
	c.ruht[3] = FDP_RUHT_INITIALLY_ISOLATED;
	check(fdp_ruht(&c, 255) == FDP_RUHT_PERSISTENTLY_ISOLATED, "RUHID 255 of 300");
	check(fdp_ruht(&c, 256) == 0 && fdp_ruht(&c, 299) == 0,
	      "RUHID 256, 299 of 300: past the table, none");
	check(fdp_ruht(&c, 65535) == 0, "RUHID 65535: none");
	c.nruh = 3;
	check(fdp_ruht(&c, 3) == 0, "RUHID 3 of 3: none, whatever the table holds");
}

static void test_events(void)
{
	uint8_t buf[64 + 3 * 64] = { 0 };
	struct fdp_event *e = NULL;
	unsigned int nr = 0;
	uint8_t *p;

	put32(buf, 4);		/* one more than the buffer holds */
	/* 0: every field valid; the timestamp's attribute bits set. */
	p = buf + 64;
	p[0] = 0x00;
	p[1] = FDP_EVENT_PIV | FDP_EVENT_NSIDV | FDP_EVENT_LV;
	put16(p + 2, 5);
	put64(p + 4, 0xffff123456789abcULL);
	put32(p + 12, 1);
	put16(p + 32, 2);
	p[34] = 6;
	/* 1: nothing valid, yet every field filled in. */
	p = buf + 128;
	p[0] = 0x01;
	put16(p + 2, 5);
	put32(p + 12, 1);
	put16(p + 32, 2);
	p[34] = 6;
	/* 2: media reallocated, its LBA valid. */
	p = buf + 192;
	p[0] = FDP_EVENT_MEDIA_REALLOCATED;
	p[1] = FDP_EVENT_NSIDV;
	put32(p + 12, 1);
	p[16] = FDP_REALLOC_LBAV;
	put16(p + 18, 24);
	put64(p + 20, 123456789);
	check(!fdp_parse_events(buf, sizeof(buf), &e, &nr) && nr == 3,
	      "4 events counted, 3 in the log read: 3");
	if (nr != 3) {
		free(e);
		return;
	}
	check(e[0].pid == 5 && e[0].nsid == 1 && e[0].rgid == 2 && e[0].ruhid == 6,
	      "valid fields read");
	check(e[0].timestamp == 0x123456789abcULL && e[0].timestamp < 1ULL << 48,
	      "timestamp: bits 47:0 only");
	check(!e[1].pid && !e[1].nsid && !e[1].rgid && !e[1].ruhid,
	      "fields without their valid bit: not taken");
	check(e[2].nlbam == 24 && e[2].lba == 123456789 &&
	      (e[2].sef & FDP_REALLOC_LBAV) && !e[2].rgid,
	      "media reallocated: NLBAM, LBA; no location");
	free(e);
	e = NULL;
	buf[192 + 16] = 0;
	check(!fdp_parse_events(buf, sizeof(buf), &e, &nr) && nr == 3 &&
	      e[2].nlbam == 24 && !e[2].lba, "media reallocated without LBAV: no LBA");
	free(e);
}

static void test_ruhs(void)
{
	uint8_t buf[16 + 3 * 32] = { 0 };
	struct fdp_ruhs_desc *d = NULL;
	unsigned int nr = 0, total = 0;

	put16(buf + 14, 10);
	put16(buf + 16 + 64, 7);
	put64(buf + 16 + 64 + 8, 2048);
	check(!fdp_parse_ruhs(buf, sizeof(buf), &d, &nr, &total) && nr == 3 &&
	      total == 10, "NRUHSD 10, room for 3: 3 read of 10");
	check(nr == 3 && d[2].pid == 7 && d[2].ruamw == 2048, "the third descriptor");
	free(d);
}

static void test_drop(void)
{
	check(fdp_ruamw_drop(100, 40, 2048) == 60, "RUAMW 100 -> 40: 60 blocks");
	check(fdp_ruamw_drop(10, 2000, 2048) == 58, "a new RU meanwhile: 58 blocks");
	check(fdp_ruamw_drop(100, 40, 0) == 60, "no RU size: 60 blocks, no division");
	check(fdp_ruamw_drop(40, 100, 0) == 0, "no RU size, RUAMW rose: 0");
	check(fdp_ruamw_drop(3, 3, 3) == 0, "RUAMW == RU size: 0");
}

int main(void)
{
	test_max_xfer();
	test_chunks();
	test_configs();
	test_ruht();
	test_events();
	test_ruhs();
	test_drop();
	return test_done();
}
