// SPDX-License-Identifier: GPL-2.0
/*
 * What both output back ends share: names of NVMe values, number helpers.
 */
#include <stdio.h>

#include "classify.h"
#include "print.h"

const char *fdp_event_name(uint8_t type)
{
	switch (type) {
	case 0x00: return "ru_not_fully_written";
	case 0x01: return "ru_time_limit_exceeded";
	case 0x02: return "ctrl_reset_modified_ruhs";
	case 0x03: return "invalid_pid";
	case 0x80: return "media_reallocated";
	case 0x81: return "implicitly_modified_ruh";
	}
	return "unknown";
}

const char *fdp_ruht_name(uint8_t ruht)
{
	switch (ruht) {
	case FDP_RUHT_INITIALLY_ISOLATED: return "initially_isolated";
	case FDP_RUHT_PERSISTENTLY_ISOLATED: return "persistently_isolated";
	}
	return "reserved";
}

const char *fdp_ruha_name(uint8_t ruha)
{
	switch (ruha) {
	case 0: return "unused";
	case 1: return "host_specified";
	case 2: return "controller_specified";
	}
	return "reserved";
}

unsigned int fdp_pid_rgid(uint16_t pid, unsigned int rgif)
{
	return rgif ? pid >> (16 - rgif) : 0;
}

int change_handles(const struct policy_limits *lim, const char *key,
		   const char *old, const char *new, struct change_handle *h)
{
	unsigned int ph[FDPBLK_MAX_PH], n, i;

	if (!lim->handles)
		return -1;
	n = policy_change_phs(key, old, new, lim, ph);
	for (i = 0; i < n; i++)
		h[i] = (struct change_handle){ .ph = ph[i],
			.pid = lim->handles[ph[i] - 1].pid,
			.ruhid = lim->handles[ph[i] - 1].ruhid };
	return n;
}

void print_handle_table(FILE *f, const struct policy_limits *lim,
			const char *lower)
{
	const struct policy_handle *h = lim->handles;
	unsigned int i;

	if (!h) {
		fprintf(f, "# placement IDs unknown: the RUH status of %s could not be read\n",
			lower);
		return;
	}
	fprintf(f, "# %4s %6s %6s  %s\n", "ph", "pid", "ruhid", "type");
	for (i = 0; i < lim->max_ph; i++)
		fprintf(f, "# %4u %6u %6u  %s\n", i + 1, h[i].pid, h[i].ruhid,
			fdp_ruht_name(h[i].ruht));
	fprintf(f, "# pid:P in place of a ph: the ph of placement ID P\n");
}

const char *size_str(uint64_t bytes, char *buf)
{
	static const char * const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	unsigned int u = 0;
	double v = bytes;

	while (v >= 1024 && u < sizeof(units) / sizeof(units[0]) - 1) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v)
		snprintf(buf, 32, "%llu %s", (unsigned long long)v, units[u]);
	else
		snprintf(buf, 32, "%.1f %s", v, units[u]);
	return buf;
}

const char *u128_str(unsigned __int128 v, char *buf)
{
	char tmp[40];
	int i = 0, j = 0;

	do {
		tmp[i++] = '0' + (int)(v % 10);
		v /= 10;
	} while (v);
	while (i)
		buf[j++] = tmp[--i];
	buf[j] = '\0';
	return buf;
}

double waf_ratio(const struct fdp_stats *before, const struct fdp_stats *after)
{
	unsigned __int128 host = after->hbmw - before->hbmw;
	unsigned __int128 media = after->mbmw - before->mbmw;

	return host ? (double)media / (double)host : -1;
}

const char *model_source_name(unsigned int src)
{
	return src == MODEL_SRC_TRACE ? "trace" : classify_source_name(src);
}

double model_waf(const struct model_count *c)
{
	return c->host ? (double)(c->host + c->gc) / c->host : -1;
}
