/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpblk policy files: the text form of struct fdpblk_policy that people
 * edit, its defaults, its checks against a device, and a policy derived
 * from a namespace's reclaim unit handles. Nothing here prints to the
 * terminal: errors come back as text for the caller to report.
 *
 * The format (see fdpctl(8)): one "key = value" per line, '#' starts a
 * comment. Keys: default, hint.none|short|medium|long|extreme (or
 * hint.1..hint.5), stream.S (S = 1..V; "hint" follows the hint of the same
 * number, streams 1..5 only), data_pool and meta_pool (ph lists, blank or
 * comma separated, may be empty), meta_chunk_kib. A ph is 0 (no
 * directive) or 1..N. Keys not given keep the device's creation defaults.
 */
#ifndef FDPCTL_POLICY_H
#define FDPCTL_POLICY_H

#include <stdint.h>
#include <stdio.h>
#include <linux/fdpblk.h>

/* What a policy must fit: the device's handles and streams. */
struct policy_limits {
	unsigned int max_ph;		/* N: handles of the lower namespace */
	unsigned int nr_streams;	/* V: the device's virtual streams */
};

#define POLICY_ERR_LEN		256
#define POLICY_META_CHUNK_DEFAULT	1024

/* The name of RWH_WRITE_LIFE_* value @h (1..5), "not_set" for 0. */
const char *policy_hint_name(unsigned int h);

/* The table a device gets at creation (kmod/policy.c's default). */
void policy_default(const struct policy_limits *lim, struct fdpblk_policy *p);

/*
 * Read a policy file into @p (defaults first, then each line). On error
 * returns -1 with "NAME:LINE: ..." naming the bad entry in @err.
 */
int policy_parse(FILE *f, const char *name, const struct policy_limits *lim,
		 struct fdpblk_policy *p, char *err);

/* Check every entry against @lim; -1 with the bad entry named in @err. */
int policy_check(const struct policy_limits *lim,
		 const struct fdpblk_policy *p, char *err);

/* Write @p in the file format, every key, one per line. */
void policy_write(FILE *out, const struct fdpblk_policy *p,
		  const struct policy_limits *lim);

/* Call @fn for each entry that differs between two tables, in file order. */
void policy_diff(const struct fdpblk_policy *old,
		 const struct fdpblk_policy *new,
		 const struct policy_limits *lim,
		 void (*fn)(void *arg, const char *key, const char *old,
			    const char *new),
		 void *arg);

/* One reason per decision of policy_auto(). */
#define POLICY_AUTO_MAX_REASONS	8
struct policy_reasons {
	unsigned int n;
	char line[POLICY_AUTO_MAX_REASONS][POLICY_ERR_LEN];
};

/*
 * Derive a policy for @lim->max_ph handles whose RUH types (from the FDP
 * configuration, per ph) are @ruht: @meta handles for metadata (-1: pick
 * by the handle count), preferring persistently isolated ones; the write
 * hints' lifetimes spread in order over the rest; ranks over the rest.
 * Appends to @why. Returns -1 with @err set when @meta leaves no handle
 * for data.
 */
int policy_auto(const struct policy_limits *lim, const uint8_t *ruht,
		int meta, struct fdpblk_policy *p,
		struct policy_reasons *why, char *err);

#endif /* FDPCTL_POLICY_H */
