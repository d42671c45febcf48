/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NVMe Flexible Data Placement over io_uring passthrough: I/O commands on
 * the namespace's generic char device (/dev/ngXnY), admin commands on the
 * controller's (/dev/nvmeX), both IORING_OP_URING_CMD with SQE128/CQE32.
 *
 * Like ctl.c, nothing here prints: every function returns 0, a negative
 * errno, or a positive NVMe status (the completion's status field, with
 * DNR and More bits as the controller set them).
 */
#ifndef FDPCTL_NVME_H
#define FDPCTL_NVME_H

#include <stdbool.h>
#include <stdint.h>

/* NVMe status codes fdpctl explains. */
#define NVME_SC_MASK		0x7ff
#define NVME_SC_INVALID_FIELD	0x002
#define NVME_SC_FDP_DISABLED	0x029

/*
 * What one data transfer may hold when nothing better is known: the
 * smallest memory page, the unit of MDTS.
 */
#define NVME_XFER_DEFAULT	4096
/* The least FDPCTL_MAX_XFER: the largest header read alone (log 23h). */
#define FDP_XFER_MIN		64

struct fdp_ns {
	char name[32];		/* nvmeXnY */
	char blk[48];		/* /dev/nvmeXnY */
	char ng[48];		/* /dev/ngXnY, the namespace's generic char device */
	char ctrl[48];		/* /dev/nvmeX, a controller for admin commands */
	unsigned int nsid;
	/*
	 * The largest data transfer of one command, bytes: the controller's
	 * MDTS and the kernel's max_hw_sectors_kb, lowered by FDPCTL_MAX_XFER;
	 * 0 until fdp_info() read it (NVME_XFER_DEFAULT is used then).
	 */
	uint32_t max_xfer;
	uint64_t hw_max;	/* max_hw_sectors_kb in bytes, 0 if unknown */
	bool log_offsets;	/* Get Log Page takes an offset (LPA bit 2) */
};

/* One FDP configuration descriptor (log page 20h). */
struct fdp_conf {
	bool valid;		/* FDPA bit 7 */
	bool vwc;		/* FDPA bit 4: volatile write cache per RU */
	unsigned int rgif;	/* FDPA bits 3:0: reclaim group id bits in a PID */
	uint32_t nrg;		/* reclaim groups */
	uint16_t nruh;		/* reclaim unit handles */
	uint32_t max_pids;	/* most PIDs per namespace: MAXPIDS + 1 */
	uint32_t nnss;		/* most namespaces */
	uint64_t runs;		/* reclaim unit nominal size, bytes */
	uint32_t erutl;		/* estimated RU time limit, seconds */
	unsigned int vss;	/* vendor-specific bytes of the descriptor */
	/* RUH type per RUHID (the first 256 only): read it with fdp_ruht() */
	uint8_t ruht[256];
};

#define FDP_RUHT_INITIALLY_ISOLATED	1
#define FDP_RUHT_PERSISTENTLY_ISOLATED	2

/* What a namespace says about FDP. */
struct fdp_info {
	bool supported;		/* the controller supports FDP (CTRATT bit 19) */
	bool enabled;		/* FDP is enabled in the endurance group */
	unsigned int endgid;	/* the namespace's endurance group */
	unsigned int conf_idx;	/* the configuration in use */
	struct fdp_conf conf;	/* that configuration (when enabled) */
};

/* One reclaim unit handle status descriptor, in the device's order. */
struct fdp_ruhs_desc {
	uint16_t pid;		/* placement identifier */
	uint16_t ruhid;		/* reclaim unit handle identifier */
	uint32_t earutr;	/* estimated active RU time remaining, seconds */
	uint64_t ruamw;		/* RU available media writes, logical blocks */
};

/* FDP statistics (log page 22h); the device keeps 128-bit counters. */
struct fdp_stats {
	unsigned __int128 hbmw;	/* host bytes with metadata written */
	unsigned __int128 mbmw;	/* media bytes with metadata written */
	unsigned __int128 mbe;	/* media bytes erased */
};

/* FDP event flags (FDPEF) */
#define FDP_EVENT_PIV		(1U << 0)	/* PID valid */
#define FDP_EVENT_NSIDV		(1U << 1)	/* NSID valid */
#define FDP_EVENT_LV		(1U << 2)	/* location (RGID, RUHID) valid */
#define FDP_EVENT_MEDIA_REALLOCATED	0x80
#define FDP_REALLOC_LBAV	(1U << 0)	/* its LBA field is valid */
/* Bits 47:0 of a timestamp are milliseconds; the rest are attributes. */
#define FDP_TIMESTAMP_MASK	((UINT64_C(1) << 48) - 1)

/* One FDP event (log page 23h). */
struct fdp_event {
	uint8_t type;
	uint8_t flags;		/* FDP_EVENT_* */
	uint16_t pid;		/* with FDP_EVENT_PIV */
	uint64_t timestamp;	/* milliseconds: bits 47:0 of the field */
	uint32_t nsid;		/* with FDP_EVENT_NSIDV */
	uint16_t rgid;		/* with FDP_EVENT_LV */
	uint8_t ruhid;		/* with FDP_EVENT_LV */
	/* Media reallocated only: */
	uint8_t sef;		/* event flags: FDP_REALLOC_LBAV */
	uint16_t nlbam;		/* logical blocks moved */
	uint64_t lba;		/* with FDP_REALLOC_LBAV */
};

/* One event type and whether it is enabled on a handle (Get Features 1Eh). */
struct fdp_event_cfg {
	uint8_t type;
	bool enabled;
};

/*
 * Resolve a namespace given as /dev/nvmeXnY, /dev/ngXnY or nvmeXnY:
 * -ENOENT (no such path), -ENOTBLK (not an NVMe namespace), or the open's
 * errno on its generic char device.
 */
int fdp_ns_open(const char *path, struct fdp_ns *ns);

/* Whether io_uring with big SQEs and CQEs can be set up at all. */
int fdp_uring_probe(void);

/*
 * Controller support, the endurance group, enabled state, configuration;
 * and the transfer limits in @ns, which every later command obeys.
 */
int fdp_info(struct fdp_ns *ns, struct fdp_info *info);

/* Log 20h: every configuration; *out is malloc'ed, caller frees. */
int fdp_configs(const struct fdp_ns *ns, unsigned int endgid,
		struct fdp_conf **out, unsigned int *nr);
/* Log 21h: the RUH attributes (RUHA) per RUHID; caller frees *out. */
int fdp_ruh_usage(const struct fdp_ns *ns, unsigned int endgid,
		  uint8_t **out, unsigned int *nr);
/* Log 22h. */
int fdp_stats(const struct fdp_ns *ns, unsigned int endgid,
	      struct fdp_stats *s);
/* Log 23h: host (@host) or controller events, oldest first. */
int fdp_events(const struct fdp_ns *ns, unsigned int endgid, bool host,
	       struct fdp_event **out, unsigned int *nr);

/*
 * I/O Management Receive, RUH Status: *nr descriptors in *out (caller
 * frees). The kernel's write stream (ph) k is descriptor k-1.
 */
int fdp_ruh_status(const struct fdp_ns *ns, struct fdp_ruhs_desc **out,
		   unsigned int *nr);
/*
 * The same, and in *total the device's NRUHSD: at most the descriptors
 * that fit in one transfer are read (there is no offset to read more), so
 * *nr < *total when the rest did not fit.
 */
int fdp_ruh_status_all(const struct fdp_ns *ns, struct fdp_ruhs_desc **out,
		       unsigned int *nr, unsigned int *total);

/*
 * I/O Management Send, RUH Update: each of the @nr placement IDs @pids
 * gets a new reclaim unit.
 */
int fdp_ruh_update(const struct fdp_ns *ns, const uint16_t *pids,
		   unsigned int nr);
/* Set Features 1Eh: enable or disable event types on handle @phndl (0-based). */
int fdp_set_events(const struct fdp_ns *ns, unsigned int phndl,
		   const uint8_t *types, unsigned int nr, bool enable);
/* Get Features 1Eh: the event types of handle @phndl; caller frees *out. */
int fdp_get_events(const struct fdp_ns *ns, unsigned int phndl,
		   struct fdp_event_cfg **out, unsigned int *nr);

/* ---- fdp-log.c: the data structures alone, no device ------------------- */

/*
 * The largest transfer: the smaller of the controller's MDTS (@mdts, a
 * power of two in units of 4 KiB pages; 0 for no limit) and the kernel's
 * limit (@hw_bytes, 0 if unknown), lowered by @env (FDPCTL_MAX_XFER, NULL
 * when unset: a multiple of 4, at least FDP_XFER_MIN). 0, or -EDOM for a
 * bad @env.
 */
int fdp_max_xfer(unsigned int mdts, uint64_t hw_bytes, const char *env,
		 uint32_t *xfer);
/*
 * Cut a log of @len bytes into transfers of at most @xfer bytes, calling
 * @fn for each (offset, length, whether it is the last) in order: 0, the
 * first error of @fn, or -EMSGSIZE when the log needs more than one
 * transfer and the controller takes no log page offset (!@offsets).
 */
int fdp_log_chunks(uint32_t len, uint32_t xfer, bool offsets,
		   int (*fn)(void *ctx, uint32_t off, uint32_t len, bool last),
		   void *ctx);
/* Log 20h of @len bytes: 0, -EPROTO if malformed, -ENOMEM. */
int fdp_parse_configs(const uint8_t *buf, uint32_t len,
		      struct fdp_conf **out, unsigned int *nr);
/* Log 23h of @len bytes: as many events as it holds of those it counts. */
int fdp_parse_events(const uint8_t *buf, uint32_t len,
		     struct fdp_event **out, unsigned int *nr);
/* RUH status of @len bytes: descriptors read, and NRUHSD in *total. */
int fdp_parse_ruhs(const uint8_t *buf, uint32_t len,
		   struct fdp_ruhs_desc **out, unsigned int *nr,
		   unsigned int *total);
/* The RUH type of @ruhid in @conf, 0 (none) if it has no such handle. */
uint8_t fdp_ruht(const struct fdp_conf *conf, unsigned int ruhid);
/*
 * Logical blocks written to a handle between two RUAMW readings, a filled
 * reclaim unit of @ru_blocks replaced meanwhile; without a usable RU size
 * (0) only a drop counts.
 */
uint64_t fdp_ruamw_drop(uint64_t before, uint64_t after, uint64_t ru_blocks);

#endif /* FDPCTL_NVME_H */
