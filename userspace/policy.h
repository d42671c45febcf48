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
 * comma separated, may be empty; no ph 0, no ph twice), meta_chunk_kib. A
 * ph is 0 (no directive), 1..N, or pid:P, the ph whose handle has NVMe
 * placement ID P. No key may be given twice. Keys not given keep the
 * values of the policy the file is parsed onto: the device's current one.
 *
 * A header binds a file to a device and a version of its policy, as
 * policy show writes it: lower (the namespace's identity), placement_ids
 * (the placement ID of ph 1..N, in order) and version. They set nothing;
 * the caller compares them with the device (policy_header_check()).
 */
#ifndef FDPCTL_POLICY_H
#define FDPCTL_POLICY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/fdpblk.h>

/* What the lower namespace says about one ph (RUH status, log 20h). */
struct policy_handle {
	uint16_t pid;		/* NVMe placement ID */
	uint16_t ruhid;		/* reclaim unit handle id */
	uint8_t ruht;		/* its type, FDP_RUHT_*; 0 if unknown */
};

/* What a policy must fit: the device's handles and streams. */
struct policy_limits {
	unsigned int max_ph;		/* N: handles of the lower namespace */
	unsigned int nr_streams;	/* V: the device's virtual streams */
	/*
	 * ph 1..N's handles, [0] being ph 1 (RUH status descriptor 0), for
	 * pid:P and the header; NULL when they could not be read.
	 */
	const struct policy_handle *handles;
};

#define POLICY_ERR_LEN		256
#define POLICY_LOWER_LEN	128

/* A file's header: what it was written for; nothing set, nothing checked. */
struct policy_header {
	char lower[POLICY_LOWER_LEN];	/* "": not given */
	int nr_pids;			/* -1: placement_ids not given */
	uint16_t pid[FDPBLK_MAX_PH];
	bool has_version;
	uint64_t version;
};
#define POLICY_META_CHUNK_DEFAULT	1024

/* The name of RWH_WRITE_LIFE_* value @h (1..5), "not_set" for 0. */
const char *policy_hint_name(unsigned int h);

/* The table a device gets at creation (kmod/policy.c's default). */
void policy_default(const struct policy_limits *lim, struct fdpblk_policy *p);

/*
 * Read a policy file onto @p: each entry it names replaces @p's (which
 * the caller fills first, with the device's policy or policy_default()),
 * and its header goes to @h. On error returns -1 with "NAME:LINE: ..."
 * naming the bad entry in @err.
 */
int policy_parse(FILE *f, const char *name, const struct policy_limits *lim,
		 struct fdpblk_policy *p, struct policy_header *h, char *err);

/*
 * The same for @n arguments, each one line of the file format
 * ("hint.short=6"); -1 with "argument I: ..." in @err, I being
 * @first_idx for @args[0].
 */
int policy_parse_args(char *const *args, unsigned int n,
		      unsigned int first_idx, const struct policy_limits *lim,
		      struct fdpblk_policy *p, struct policy_header *h,
		      char *err);

/*
 * Whether a file with header @h may be pushed to a device whose lower has
 * identity @lower (its wwid, or name) and handles @lim->handles: 0, or -1
 * with the first mismatch in @err (also when @h names placement IDs and
 * the device's are unknown). The version is not checked here.
 */
int policy_header_check(const struct policy_header *h, const char *lower,
			const struct policy_limits *lim, char *err);

/* Check every entry against @lim; -1 with the bad entry named in @err. */
int policy_check(const struct policy_limits *lim,
		 const struct fdpblk_policy *p, char *err);

/*
 * Write @p in the file format, every key, one per line, after the header:
 * lower = @lower (unless NULL), placement_ids (if @lim has the handles),
 * version = @p->version.
 */
void policy_write(FILE *out, const struct fdpblk_policy *p,
		  const struct policy_limits *lim, const char *lower);

/* The entries alone, every key, one per line: no header. */
void policy_write_entries(FILE *out, const struct fdpblk_policy *p,
			  const struct policy_limits *lim);

/* Call @fn for each entry that differs between two tables, in file order. */
void policy_diff(const struct fdpblk_policy *old,
		 const struct fdpblk_policy *new,
		 const struct policy_limits *lim,
		 void (*fn)(void *arg, const char *key, const char *old,
			    const char *new),
		 void *arg);

/*
 * The ph 1..@lim->max_ph that the values @old and @new of a policy_diff()
 * change of @key name, ascending, into @ph: their number. None for
 * meta_chunk_kib, a size.
 */
unsigned int policy_change_phs(const char *key, const char *old,
			       const char *new, const struct policy_limits *lim,
			       unsigned int *ph);

/* One reason per decision of policy_auto(). */
#define POLICY_AUTO_MAX_REASONS	16
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
