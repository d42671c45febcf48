// SPDX-License-Identifier: GPL-2.0
/*
 * NVMe FDP commands over io_uring passthrough (liburing, SQE128/CQE32,
 * IORING_OP_URING_CMD with struct nvme_uring_cmd in the SQE's command
 * area), as in liburing's test/io_uring_passthrough.c. Layouts: NVMe Base
 * Specification 2.1, 5.1.12.1.20-23 (log pages 20h-23h), 7.5 (I/O
 * Management Receive), 5.1.13.2.1 (Identify).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <liburing.h>
#include <linux/nvme_ioctl.h>

#include "dev.h"
#include "le.h"
#include "nvme.h"

#define NVME_ADMIN_GET_LOG_PAGE		0x02
#define NVME_ADMIN_IDENTIFY		0x06
#define NVME_ADMIN_SET_FEATURES		0x09
#define NVME_ADMIN_GET_FEATURES		0x0a
#define NVME_IO_MGMT_RECV		0x12
#define NVME_IO_MGMT_SEND		0x1d

#define NVME_ID_CNS_NS			0x00
#define NVME_ID_CNS_CTRL		0x01
#define NVME_ID_CTRL_MDTS		77
#define NVME_ID_CTRL_CTRATT		96
#define NVME_CTRATT_FDPS		(1U << 19)
#define NVME_ID_CTRL_LPA		261
#define NVME_LPA_EXTENDED		(1U << 2)	/* NUMDU, LPOL, LPOU */
#define NVME_ID_NS_ENDGID		102

#define NVME_FEAT_FDP			0x1d
#define NVME_FEAT_FDP_EVENTS		0x1e
#define NVME_LOG_FDP_CONFIGS		0x20
#define NVME_LOG_FDP_RUH_USAGE		0x21
#define NVME_LOG_FDP_STATS		0x22
#define NVME_LOG_FDP_EVENTS		0x23
#define NVME_LOG_RAE			(1U << 15)
#define NVME_IO_MGMT_RECV_RUHS		0x01
#define NVME_IO_MGMT_SEND_RUH_UPDATE	0x01

#define RUHS_HDR_LEN			16
#define RUHS_DESC_LEN			32
#define CONFS_HDR_LEN			16
#define USAGE_HDR_LEN			8
#define USAGE_DESC_LEN			8
#define STATS_LEN			64
#define EVENTS_HDR_LEN			64
#define EVENT_LEN			64
/* No FDP log fdpctl reads is anywhere near this; a sanity bound. */
#define LOG_MAX_LEN			(1U << 20)
/* Event types a handle can list (NOET is a byte). */
#define FDP_EVENT_TYPES_MAX		255

/* A zeroed, page-aligned buffer for a data transfer. */
static void *xfer_buf(size_t len)
{
	void *p;

	if (posix_memalign(&p, 4096, len ? len : 1))
		return NULL;
	memset(p, 0, len);
	return p;
}

/*
 * A controller able to take admin commands for the namespace @name: its
 * parent device, or for a multipath head the controller of its first path
 * (nvmeScCnN).
 */
static int find_ctrl(const char *name, char *ctrl, size_t len)
{
	char path[PATH_MAX], link[PATH_MAX];
	unsigned int s, c, n;
	struct dirent *de;
	const char *base;
	int end = 0;
	ssize_t l;
	DIR *d;

	snprintf(path, sizeof(path), "/sys/block/%s/device", name);
	l = readlink(path, link, sizeof(link) - 1);
	if (l > 0) {
		link[l] = '\0';
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
		if (sscanf(base, "nvme%u%n", &c, &end) == 1 && !base[end]) {
			snprintf(ctrl, len, "/dev/nvme%u", c);
			return 0;
		}
	}
	snprintf(path, sizeof(path), "/sys/block/%s/multipath", name);
	d = opendir(path);
	if (!d)
		return -ENOTBLK;
	while ((de = readdir(d))) {
		if (sscanf(de->d_name, "nvme%uc%un%u", &s, &c, &n) == 3) {
			snprintf(ctrl, len, "/dev/nvme%u", c);
			closedir(d);
			return 0;
		}
	}
	closedir(d);
	return -ENOTBLK;
}

int fdp_ns_open(const char *path, struct fdp_ns *ns)
{
	char real[PATH_MAX];
	unsigned int ctrl, nsn;
	const char *name;
	int fd, id, n = 0;
	char kb[32];

	memset(ns, 0, sizeof(*ns));
	/* A path may be a link (/dev/disk/by-id/...): name what it leads to. */
	if (strchr(path, '/')) {
		if (!realpath(path, real))
			return -errno;
		path = real;
	}
	name = strrchr(path, '/');
	name = name ? name + 1 : path;
	if ((sscanf(name, "nvme%un%u%n", &ctrl, &nsn, &n) != 2 &&
	     sscanf(name, "ng%un%u%n", &ctrl, &nsn, &n) != 2) || name[n])
		return -ENOTBLK;
	snprintf(ns->name, sizeof(ns->name), "nvme%un%u", ctrl, nsn);
	snprintf(ns->blk, sizeof(ns->blk), "/dev/nvme%un%u", ctrl, nsn);
	snprintf(ns->ng, sizeof(ns->ng), "/dev/ng%un%u", ctrl, nsn);
	if (find_ctrl(ns->name, ns->ctrl, sizeof(ns->ctrl)))
		snprintf(ns->ctrl, sizeof(ns->ctrl), "/dev/nvme%u", ctrl);
	fd = open(ns->ng, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	id = ioctl(fd, NVME_IOCTL_ID);
	close(fd);
	if (id < 0)
		return -ENOTBLK;
	ns->nsid = id;
	/* The kernel refuses a passthrough transfer past this (EINVAL). */
	snprintf(real, sizeof(real), "/sys/block/%s/queue/max_hw_sectors_kb",
		 ns->name);
	if (!sysfs_read(real, kb, sizeof(kb)))
		ns->hw_max = strtoull(kb, NULL, 10) << 10;
	return 0;
}

int fdp_uring_probe(void)
{
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(1, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (!ret)
		io_uring_queue_exit(&ring);
	return ret;
}

/*
 * Run one NVMe command on @dev through io_uring: 0, -errno, or the NVMe
 * status. @result, if given, gets the completion's dword 0.
 */
static int nvme_uring_cmd(const char *dev, uint32_t cmd_op,
			  struct nvme_uring_cmd *cmd, uint32_t *result)
{
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd, ret;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = io_uring_queue_init(1, &ring, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	if (ret)
		goto out_close;
	sqe = io_uring_get_sqe(&ring);
	if (!sqe) {
		ret = -EBUSY;
		goto out_exit;
	}
	memset(sqe, 0, 2 * sizeof(*sqe));	/* a 128-byte SQE */
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = cmd_op;
	memcpy(sqe->cmd, cmd, sizeof(*cmd));
	ret = io_uring_submit_and_wait(&ring, 1);
	if (ret < 0)
		goto out_exit;
	ret = io_uring_wait_cqe(&ring, &cqe);
	if (!ret) {
		ret = cqe->res;
		if (!ret && result)
			*result = cqe->big_cqe[0];
		io_uring_cqe_seen(&ring, cqe);
	}
out_exit:
	io_uring_queue_exit(&ring);
out_close:
	close(fd);
	return ret;
}

static int nvme_identify(const struct fdp_ns *ns, unsigned int cns,
			 uint32_t nsid, void *buf)
{
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_ADMIN_IDENTIFY,
		.nsid = nsid,
		.addr = (uintptr_t)buf,
		.data_len = 4096,
		.cdw10 = cns,
	};

	return nvme_uring_cmd(ns->ctrl, NVME_URING_CMD_ADMIN, &cmd, NULL);
}

static uint32_t max_xfer(const struct fdp_ns *ns)
{
	return ns->max_xfer ? ns->max_xfer : NVME_XFER_DEFAULT;
}

/* One Get Log Page, endurance group scoped (LSI = @endgid). */
struct get_log {
	const struct fdp_ns *ns;
	uint8_t lid, lsp;
	unsigned int endgid;
	uint8_t *buf;
};

static int get_log_chunk(void *ctx, uint32_t off, uint32_t len, bool last)
{
	const struct get_log *g = ctx;
	uint32_t numd = len / 4 - 1;
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_ADMIN_GET_LOG_PAGE,
		.addr = (uintptr_t)(g->buf + off),
		.data_len = len,
		/* As libnvme: Retain Asynchronous Event until the last piece. */
		.cdw10 = g->lid | (uint32_t)(g->lsp & 0x7f) << 8 |
			 (last ? 0 : NVME_LOG_RAE) | (numd & 0xffff) << 16,
		.cdw11 = numd >> 16 | (g->endgid & 0xffff) << 16,
		.cdw12 = off,		/* LPOL; LPOU (cdw13) is 0 below 4 GiB */
	};

	return nvme_uring_cmd(g->ns->ctrl, NVME_URING_CMD_ADMIN, &cmd, NULL);
}

/*
 * Get Log Page of @len bytes (a multiple of 4) into @buf, in transfers
 * the controller and the kernel take, at increasing log page offsets,
 * as libnvme's nvme_get_log() does.
 */
static int nvme_get_log(const struct fdp_ns *ns, uint8_t lid, uint8_t lsp,
			unsigned int endgid, void *buf, uint32_t len)
{
	struct get_log g = {
		.ns = ns, .lid = lid, .lsp = lsp, .endgid = endgid, .buf = buf,
	};

	return fdp_log_chunks(len, max_xfer(ns), ns->log_offsets,
			      get_log_chunk, &g);
}

/*
 * Read a log whose length its header tells: the header (@hdr_len bytes)
 * first, then the whole log, whose length @log_len computes from it.
 */
static int read_log(const struct fdp_ns *ns, uint8_t lid, uint8_t lsp,
		    unsigned int endgid, uint32_t hdr_len,
		    uint64_t (*log_len)(const uint8_t *hdr), uint8_t **out,
		    uint32_t *out_len)
{
	uint64_t len;
	uint8_t *buf;
	int ret;

	buf = xfer_buf(hdr_len);
	if (!buf)
		return -ENOMEM;
	ret = nvme_get_log(ns, lid, lsp, endgid, buf, hdr_len);
	len = ret ? 0 : log_len(buf);
	free(buf);
	if (ret)
		return ret;
	if (len < hdr_len || len > LOG_MAX_LEN)
		return -EPROTO;
	len = (len + 3) & ~3ULL;
	buf = xfer_buf(len);
	if (!buf)
		return -ENOMEM;
	ret = nvme_get_log(ns, lid, lsp, endgid, buf, len);
	if (ret) {
		free(buf);
		return ret;
	}
	*out = buf;
	*out_len = len;
	return 0;
}

static uint64_t confs_len(const uint8_t *hdr)
{
	return le32(hdr + 4);
}

int fdp_configs(const struct fdp_ns *ns, unsigned int endgid,
		struct fdp_conf **out, unsigned int *nr)
{
	uint32_t len;
	uint8_t *buf;
	int ret;

	ret = read_log(ns, NVME_LOG_FDP_CONFIGS, 0, endgid, CONFS_HDR_LEN,
		       confs_len, &buf, &len);
	if (ret)
		return ret;
	ret = fdp_parse_configs(buf, len, out, nr);
	free(buf);
	return ret;
}

/* The controller's limits: MDTS, log page offsets; then FDPCTL_MAX_XFER. */
static int ctrl_limits(struct fdp_ns *ns, const uint8_t *id)
{
	unsigned int mdts = id[NVME_ID_CTRL_MDTS];

	/*
	 * MDTS counts pages of CAP.MPSMIN, which the kernel exposes nowhere;
	 * 4 KiB, as libnvme assumes too. The kernel's own limit is the floor.
	 */
	ns->log_offsets = id[NVME_ID_CTRL_LPA] & NVME_LPA_EXTENDED;
	return fdp_max_xfer(mdts, ns->hw_max, getenv("FDPCTL_MAX_XFER"),
			    &ns->max_xfer);
}

int fdp_info(struct fdp_ns *ns, struct fdp_info *info)
{
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_ADMIN_GET_FEATURES,
		.cdw10 = NVME_FEAT_FDP,		/* SEL 0: current */
	};
	struct fdp_conf *confs;
	unsigned int nconfs;
	uint32_t result = 0;
	uint8_t *id;
	int ret;

	memset(info, 0, sizeof(*info));
	id = xfer_buf(4096);
	if (!id)
		return -ENOMEM;
	ret = nvme_identify(ns, NVME_ID_CNS_CTRL, 0, id);
	if (!ret)
		ret = ctrl_limits(ns, id);
	if (!ret)
		info->supported = le32(id + NVME_ID_CTRL_CTRATT) & NVME_CTRATT_FDPS;
	if (!ret && info->supported)
		ret = nvme_identify(ns, NVME_ID_CNS_NS, ns->nsid, id);
	if (!ret && info->supported)
		info->endgid = le16(id + NVME_ID_NS_ENDGID);
	free(id);
	if (ret || !info->supported)
		return ret;

	cmd.cdw11 = info->endgid;
	ret = nvme_uring_cmd(ns->ctrl, NVME_URING_CMD_ADMIN, &cmd, &result);
	if (ret > 0)
		return 0;	/* no FDP in this endurance group */
	if (ret)
		return ret;
	info->enabled = result & 1;
	info->conf_idx = (result >> 8) & 0xff;
	if (!info->enabled)
		return 0;
	ret = fdp_configs(ns, info->endgid, &confs, &nconfs);
	if (ret)
		return ret;
	if (info->conf_idx >= nconfs) {
		free(confs);
		return -EPROTO;
	}
	info->conf = confs[info->conf_idx];
	free(confs);
	return 0;
}

static uint64_t usage_len(const uint8_t *hdr)
{
	return USAGE_HDR_LEN + (uint64_t)le16(hdr) * USAGE_DESC_LEN;
}

int fdp_ruh_usage(const struct fdp_ns *ns, unsigned int endgid,
		  uint8_t **out, unsigned int *nr)
{
	uint32_t len, n, i;
	uint8_t *buf, *ruha;
	int ret;

	ret = read_log(ns, NVME_LOG_FDP_RUH_USAGE, 0, endgid, USAGE_HDR_LEN,
		       usage_len, &buf, &len);
	if (ret)
		return ret;
	n = le16(buf);
	if (n > (len - USAGE_HDR_LEN) / USAGE_DESC_LEN)
		n = (len - USAGE_HDR_LEN) / USAGE_DESC_LEN;
	ruha = calloc(n ? n : 1, 1);
	if (!ruha) {
		free(buf);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		ruha[i] = buf[USAGE_HDR_LEN + i * USAGE_DESC_LEN];
	free(buf);
	*out = ruha;
	*nr = n;
	return 0;
}

int fdp_stats(const struct fdp_ns *ns, unsigned int endgid,
	      struct fdp_stats *s)
{
	uint8_t *buf = xfer_buf(STATS_LEN);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = nvme_get_log(ns, NVME_LOG_FDP_STATS, 0, endgid, buf, STATS_LEN);
	if (!ret) {
		s->hbmw = le128(buf);
		s->mbmw = le128(buf + 16);
		s->mbe = le128(buf + 32);
	}
	free(buf);
	return ret;
}

static uint64_t events_len(const uint8_t *hdr)
{
	return EVENTS_HDR_LEN + (uint64_t)le32(hdr) * EVENT_LEN;
}

int fdp_events(const struct fdp_ns *ns, unsigned int endgid, bool host,
	       struct fdp_event **out, unsigned int *nr)
{
	uint32_t len;
	uint8_t *buf;
	int ret;

	ret = read_log(ns, NVME_LOG_FDP_EVENTS, host, endgid, EVENTS_HDR_LEN,
		       events_len, &buf, &len);
	if (ret)
		return ret;
	ret = fdp_parse_events(buf, len, out, nr);
	free(buf);
	return ret;
}

static int io_mgmt_recv(const struct fdp_ns *ns, void *buf, uint32_t len)
{
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_IO_MGMT_RECV,
		.nsid = ns->nsid,
		.addr = (uintptr_t)buf,
		.data_len = len,
		.cdw10 = NVME_IO_MGMT_RECV_RUHS,
		.cdw11 = len / 4 - 1,
	};

	return nvme_uring_cmd(ns->ng, NVME_URING_CMD_IO, &cmd, NULL);
}

int fdp_ruh_status_all(const struct fdp_ns *ns, struct fdp_ruhs_desc **out,
		       unsigned int *nr, unsigned int *total)
{
	uint32_t len, room;
	unsigned int n;
	uint8_t *buf;
	int ret;

	/* The header first, for the count; then what one transfer holds. */
	buf = xfer_buf(RUHS_HDR_LEN);
	if (!buf)
		return -ENOMEM;
	ret = io_mgmt_recv(ns, buf, RUHS_HDR_LEN);
	n = le16(buf + 14);
	free(buf);
	if (ret)
		return ret;
	room = max_xfer(ns) < RUHS_HDR_LEN ? 0 :
	       (max_xfer(ns) - RUHS_HDR_LEN) / RUHS_DESC_LEN;
	if (n > room)
		n = room;
	len = RUHS_HDR_LEN + n * RUHS_DESC_LEN;
	buf = xfer_buf(len);
	if (!buf)
		return -ENOMEM;
	ret = io_mgmt_recv(ns, buf, len);
	if (!ret)
		ret = fdp_parse_ruhs(buf, len, out, nr, total);
	free(buf);
	return ret;
}

int fdp_ruh_status(const struct fdp_ns *ns, struct fdp_ruhs_desc **out,
		   unsigned int *nr)
{
	unsigned int total;

	return fdp_ruh_status_all(ns, out, nr, &total);
}

int fdp_ruh_update(const struct fdp_ns *ns, const uint16_t *pids,
		   unsigned int nr)
{
	/* Dword-sized, whatever the count: the rest is zero. */
	uint32_t len = (nr * 2 + 3) & ~3U, i;
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_IO_MGMT_SEND,
		.nsid = ns->nsid,
		.data_len = len,
		/* MOS: the number of PIDs, 0's based */
		.cdw10 = NVME_IO_MGMT_SEND_RUH_UPDATE | (nr - 1) << 16,
	};
	uint8_t *buf;
	int ret;

	if (!nr || nr > 0x10000 || len > max_xfer(ns))
		return -E2BIG;
	buf = xfer_buf(len);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		buf[2 * i] = pids[i] & 0xff;
		buf[2 * i + 1] = pids[i] >> 8;
	}
	cmd.addr = (uintptr_t)buf;
	ret = nvme_uring_cmd(ns->ng, NVME_URING_CMD_IO, &cmd, NULL);
	free(buf);
	return ret;
}

int fdp_set_events(const struct fdp_ns *ns, unsigned int phndl,
		   const uint8_t *types, unsigned int nr, bool enable)
{
	uint32_t len = (nr + 3) & ~3U;
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_ADMIN_SET_FEATURES,
		.nsid = ns->nsid,
		.data_len = len,
		.cdw10 = NVME_FEAT_FDP_EVENTS,		/* SV 0: not saved */
		/* PHNDL, NOET */
		.cdw11 = (phndl & 0xffff) | (nr & 0xff) << 16,
		.cdw12 = enable,			/* FDPEE */
	};
	uint8_t *buf;
	int ret;

	if (!nr || nr > FDP_EVENT_TYPES_MAX)
		return -E2BIG;
	buf = xfer_buf(len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, types, nr);
	cmd.addr = (uintptr_t)buf;
	ret = nvme_uring_cmd(ns->ctrl, NVME_URING_CMD_ADMIN, &cmd, NULL);
	free(buf);
	return ret;
}

int fdp_get_events(const struct fdp_ns *ns, unsigned int phndl,
		   struct fdp_event_cfg **out, unsigned int *nr)
{
	/* Two bytes an event type: its type, and FDPETA (bit 0: enabled). */
	uint32_t noet = FDP_EVENT_TYPES_MAX, len = (2 * noet + 3) & ~3U;
	struct nvme_uring_cmd cmd = {
		.opcode = NVME_ADMIN_GET_FEATURES,
		.nsid = ns->nsid,
		.data_len = len,
		.cdw10 = NVME_FEAT_FDP_EVENTS,		/* SEL 0: current */
		.cdw11 = (phndl & 0xffff) | noet << 16,
	};
	struct fdp_event_cfg *e;
	uint32_t result = 0, i;
	uint8_t *buf;
	int ret;

	buf = xfer_buf(len);
	if (!buf)
		return -ENOMEM;
	cmd.addr = (uintptr_t)buf;
	ret = nvme_uring_cmd(ns->ctrl, NVME_URING_CMD_ADMIN, &cmd, &result);
	/* Dword 0: how many event types it returned. */
	if (result > noet)
		result = noet;
	e = calloc(result ? result : 1, sizeof(*e));
	if (!ret && !e)
		ret = -ENOMEM;
	if (ret) {
		free(e);
		free(buf);
		return ret;
	}
	for (i = 0; i < result; i++) {
		e[i].type = buf[2 * i];
		e[i].enabled = buf[2 * i + 1] & 1;
	}
	free(buf);
	*out = e;
	*nr = result;
	return 0;
}
