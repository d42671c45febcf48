/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fdpctl output: one table of print functions per format (normal, json),
 * chosen once from -o, as nvme-cli does. Commands gather their data, then
 * hand it to the table; nothing else writes to stdout.
 */
#ifndef FDPCTL_PRINT_H
#define FDPCTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/fdpblk.h>

#include "dev.h"
#include "model.h"
#include "nvme.h"
#include "policy.h"

/* One namespace of `fdpctl list`. */
struct list_ns {
	struct fdp_ns ns;
	struct ns_queue_info q;
	int err;		/* 0, or why FDP state could not be read */
	struct fdp_info info;
	unsigned int nr_ruhs;	/* RUH status descriptors, when enabled */
	/* Why the kernel gives it no write stream; "" when it gives some. */
	char no_streams[40];
};

/* list's options, for the normal back end (lsblk's spellings). */
#define LIST_NOHEADINGS	(1U << 0)	/* no header lines */
#define LIST_RAW	(1U << 1)	/* single spaces between fields, no padding */

/* The namespace a status, log or waf command talks about. */
struct ns_ctx {
	const struct fdp_ns *ns;
	const struct fdp_info *info;
	unsigned int max_write_streams;	/* the kernel's handles: ph 1..this */
};

/* One handle of a `fdpctl top` frame. */
struct top_row {
	unsigned int ph;	/* 0: writes without a directive */
	bool have_dev;		/* the device-side numbers are known */
	uint16_t pid;		/* the NVMe placement ID (nvme-cli's PID) */
	uint16_t ruhid;		/* the reclaim unit handle it points at */
	double host_rate;	/* bytes/s placed by fdpblk */
	uint64_t ruamw;		/* logical blocks left in the current RU */
	double dev_rate;	/* bytes/s the device took on this handle */
};

struct top_frame {
	const struct fdpblk_info *dev;
	double interval;	/* seconds since the previous frame */
	unsigned int nr;
	const struct top_row *rows;
};

/* A `fdpctl waf` interval (or the device's lifetime). */
struct waf_report {
	const struct ns_ctx *ctx;
	bool interval;		/* around a command, not since power-on */
	struct fdp_stats before, after;
	int cmd_status;		/* the command's exit status, -1 without one */
};

/* What became of a policy policy_change() shows. */
enum policy_push {
	POLICY_PUSHED,
	POLICY_DRY_RUN,		/* policy set --dry-run */
	POLICY_PREVIEW,		/* policy auto without --apply */
	POLICY_ADVICE,		/* policy advise: never pushed */
};

/*
 * One change fdpctl apply made (or, with --dry-run, would make) to make a
 * device what its configuration says, or why it made none. @kind:
 * "create", "policy" (@key an entry), "rank" (@key "range START+LEN" or
 * "cgroup PATH"; "none" for no rank), "none" (nothing to do), "skipped"
 * (the namespace is absent), "refused" (@detail says why).
 */
struct conf_change {
	const char *device;	/* the configuration's name */
	const char *file;
	const char *kind;
	char *key, *old, *new;	/* NULL where there is none */
	char *detail;
	/* A policy change: the handles of its ph; -1 when unknown. */
	int nr_handles;
	struct change_handle *handles;
};

/* A ph a policy change names, beside its NVMe placement ID and RUH id. */
struct change_handle {
	unsigned int ph;
	uint16_t pid, ruhid;
};

/*
 * The handles of the ph a policy_diff() change names, into @h (room for
 * FDPBLK_MAX_PH): their number, or -1 when @lim has no handles (the RUH
 * status could not be read).
 */
int change_handles(const struct policy_limits *lim, const char *key,
		   const char *old, const char *new, struct change_handle *h);

/*
 * As comments on @f, what each ph is on the namespace: its NVMe placement
 * ID (nvme-cli's 0-based placement handle index is the ph less one), RUH
 * id and type; or that they are unknown, @lower's RUH status unread.
 */
void print_handle_table(FILE *f, const struct policy_limits *lim,
			const char *lower);

/* One replay of `fdpctl model`: a baseline or a policy file. */
struct model_run {
	const char *name;	/* "none", "recorded", or the policy file */
	bool baseline;		/* per-source figures: MODEL_SRC_TRACE only */
	struct model_result r;
	/*
	 * A policy's classification against the trace's own ph=: writes
	 * (pieces, when a range boundary splits one) that carry a ph, how
	 * many got another, and the trace line of the first that did.
	 */
	uint64_t compared, differ;
	unsigned long diff_line;
	unsigned int diff_ph, diff_recorded;
};

/* What `fdpctl model` found. */
struct model_report {
	const char *trace;
	uint64_t writes, discards;	/* I/Os of the trace */
	const struct model_cfg *cfg;
	const struct model_geom *g;
	const char *from;		/* where capacity, RU size, handles came from */
	const char *const *assumptions;	/* NULL-terminated */
	unsigned int nr;
	const struct model_run *runs;
	/* ph 1..nr_handles's handles ([0]: ph 1); NULL without --device. */
	const struct policy_handle *handles;
	unsigned int nr_handles;
	double seconds;			/* modelling time, all runs */
	uint64_t pages;			/* page writes modelled, host and GC */
};

/* A back end leaves NULL what it prints nothing for. */
struct print_ops {
	void (*features)(const struct fdpblk_features *f);
	void (*list)(const struct list_ns *ns, unsigned int nr_ns,
		     const struct fdpblk_info *devs, unsigned int nr_devs,
		     unsigned int flags);
	/* @total: the device's count; more than @nr when they did not fit. */
	void (*status)(const struct ns_ctx *c, const struct fdp_ruhs_desc *d,
		       unsigned int nr, unsigned int total);
	void (*configs)(const struct ns_ctx *c, const struct fdp_conf *conf,
			unsigned int nr);
	void (*usage)(const struct ns_ctx *c, const uint8_t *ruha,
		      unsigned int nr);
	void (*stats)(const struct ns_ctx *c, const struct fdp_stats *s);
	/*
	 * @ph[i]: the ph of event i's placement ID on this namespace, 0 when
	 * it has none (another namespace's event, or no valid PID).
	 */
	void (*events)(const struct ns_ctx *c, bool host,
		       const struct fdp_event *e, const unsigned int *ph,
		       unsigned int nr);
	/*
	 * The event types of handle @ph (1-based; @h its RUH status
	 * descriptor) and whether each is on.
	 */
	void (*event_cfg)(const struct ns_ctx *c, unsigned int ph,
			  const struct fdp_ruhs_desc *h,
			  const struct fdp_event_cfg *e, unsigned int nr);
	/*
	 * Handles given new reclaim units: their ph, placement IDs and RUH
	 * ids (ph 0 and RUH id -1: a PID the RUH status does not list).
	 */
	void (*update)(const struct ns_ctx *c, const unsigned int *ph,
		       const uint16_t *pids, const int *ruhids,
		       unsigned int nr);
	/*
	 * @lower: the lower's identity for the file's header; each ph's
	 * placement ID and RUH in @dev->lim.handles when known.
	 */
	void (*policy)(const struct fdpblk_info *dev,
		       const struct fdpblk_policy *p, const char *lower);
	/* A policy pushed, or (@how) not. */
	void (*policy_change)(const struct fdpblk_info *dev,
			      const struct fdpblk_policy *old,
			      const struct fdpblk_policy *new,
			      const struct policy_reasons *why,
			      const char *lower, enum policy_push how);
	/* @paths[i]: cgroup c[i]'s path, or NULL when not found */
	void (*ranks)(const struct fdpblk_info *dev,
		      const struct fdpblk_range_rank *r, unsigned int nr,
		      const struct fdpblk_cgroup_rank *c, char *const *paths,
		      unsigned int nc);
	void (*waf)(const struct waf_report *w);
	void (*model)(const struct model_report *m);
	void (*top)(const struct top_frame *f);
	/* A device created, removed or revalidated: @action says which. */
	void (*device)(const struct fdpblk_info *dev, const char *action);
	/* Ranks set or cleared (@all: every rank of @dev), as ranks shows them. */
	void (*rank_change)(const struct fdpblk_info *dev, const char *action,
			    bool all, const struct fdpblk_range_rank *r,
			    unsigned int nr, const struct fdpblk_cgroup_rank *c,
			    char *const *paths, unsigned int nc);
	/* rank load: ranks set from @file (after clearing all, @replace). */
	void (*rank_load)(const struct fdpblk_info *dev, const char *file,
			  bool replace, unsigned int nr, unsigned int nc,
			  unsigned int skipped);
	/* fdpctl apply: every change, in order; @dry_run: none was made. */
	void (*conf_changes)(const struct conf_change *ch, unsigned int nr,
			     bool dry_run);
	/* A command run with a rank, and its exit status. */
	void (*run)(const struct fdpblk_info *dev, __u32 rank,
		    const char *cgroup, int status);
	/*
	 * An error (err.c has told stderr already): @err is its errno, or 0
	 * when it has none.
	 */
	void (*error)(const char *msg, int err);
};

extern const struct print_ops print_normal;
extern const struct print_ops print_json;

/* Names of the numbers NVMe reports. */
const char *fdp_event_name(uint8_t type);
const char *fdp_ruht_name(uint8_t ruht);
const char *fdp_ruha_name(uint8_t ruha);
/* The reclaim group of a PID (its high RGIF bits). */
unsigned int fdp_pid_rgid(uint16_t pid, unsigned int rgif);
/* "8 MiB", "96 MiB", "1.5 GiB": @buf holds at least 32 bytes. */
const char *size_str(uint64_t bytes, char *buf);

/*
 * 128-bit counters as decimal text (in JSON too, where a number would lose
 * digits past 2^53 in most readers); @buf holds at least 40 bytes.
 */
const char *u128_str(unsigned __int128 v, char *buf);

/* Write amplification of an interval, or a negative number without host writes. */
double waf_ratio(const struct fdp_stats *before, const struct fdp_stats *after);

/* A model's rule name ("trace" for a baseline's), and WAF (-1: no host writes). */
const char *model_source_name(unsigned int src);
double model_waf(const struct model_count *c);

#endif /* FDPCTL_PRINT_H */
