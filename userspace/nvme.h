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

struct fdp_ns {
	char name[32];		/* nvmeXnY */
	char blk[48];		/* /dev/nvmeXnY */
	char ng[48];		/* /dev/ngXnY, the namespace's generic char device */
	char ctrl[48];		/* /dev/nvmeX, a controller for admin commands */
	unsigned int nsid;
};

/* One FDP configuration descriptor (log page 20h). */
struct fdp_conf {
	bool valid;		/* FDPA bit 7 */
	bool vwc;		/* FDPA bit 4: volatile write cache per RU */
	unsigned int rgif;	/* FDPA bits 3:0: reclaim group id bits in a PID */
	uint32_t nrg;		/* reclaim groups */
	uint16_t nruh;		/* reclaim unit handles */
	uint16_t maxpids;	/* most PIDs per namespace, 0's based */
	uint32_t nnss;		/* most namespaces */
	uint64_t runs;		/* reclaim unit nominal size, bytes */
	uint32_t erutl;		/* estimated RU time limit, seconds */
	uint8_t ruht[256];	/* RUH type per RUHID (the first 256): 1 initially, 2 persistently isolated */
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

/* One FDP event (log page 23h). */
struct fdp_event {
	uint8_t type;
	uint8_t flags;		/* bit 0 PID valid, 1 NSID valid, 2 location valid */
	uint16_t pid;
	uint64_t timestamp;	/* the controller's timestamp field, as reported */
	uint32_t nsid;
	uint16_t rgid;
	uint8_t ruhid;
};

/*
 * Resolve a namespace given as /dev/nvmeXnY, /dev/ngXnY or nvmeXnY:
 * -ENOENT (no such path), -ENOTBLK (not an NVMe namespace), or the open's
 * errno on its generic char device.
 */
int fdp_ns_open(const char *path, struct fdp_ns *ns);

/* Whether io_uring with big SQEs and CQEs can be set up at all. */
int fdp_uring_probe(void);

/* Controller support, the endurance group, enabled state, configuration. */
int fdp_info(const struct fdp_ns *ns, struct fdp_info *info);

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

#endif /* FDPCTL_NVME_H */
