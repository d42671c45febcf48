// SPDX-License-Identifier: GPL-2.0
/*
 * fail_nth: an allocation-failure sweep (Documentation/fault-injection,
 * "fail-nth"). For each operation, for n = 1, 2, ...: make the n-th fault
 * point the calling thread reaches fail (failslab, fail_page_alloc and the
 * rest of fault injection share the counter), run the operation once, and
 * judge it. Until the operation runs without reaching its n-th fault point,
 * every call in which a fault was injected must either fail with an error
 * and leave the device exactly as it was (policy, range and cgroup ranks,
 * the device list), or succeed (an allocation with a fallback) and be
 * undone. test_fail_nth_01.sh sets failslab and fail_page_alloc up to fail
 * sleeping allocations too; kmemleak, in the verdict, finds what leaked.
 *
 *   fail_nth DEV_ID CGROUP_DIR FREE_LOWER
 *
 * Prints per operation how many fault points it has; exit 0, or 1 with
 * the operation and n that broke the rule.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/fdpblk.h>

#include "ctl_state.h"

#define MAX_N		2000

static int ctl, fail_fd;
static unsigned int dev_id;
static uint64_t cgroup_id;
static const char *free_lower;

/* The disks are counted only if @disks: a readdir of /sys/block per call. */
static void read_state(struct ctl_state *s, bool disks)
{
	if (ctl_state_read(ctl, dev_id, s, disks)) {
		perror("fail_nth: reading the device's state");
		exit(2);
	}
}

/* ---- the operations: each returns 0 or -errno, and can be undone ------- */

static int op_policy(bool undo)
{
	struct fdpblk_policy p;

	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	p.dev_id = dev_id;
	if (ioctl(ctl, FDPBLK_IOC_GET_POLICY, &p))
		return -errno;
	p.default_ph = undo ? 0 : 2;
	p.data_pool_len = undo ? 0 : 2;
	p.data_pool[0] = undo ? 0 : 3;
	p.data_pool[1] = undo ? 0 : 4;
	return ioctl(ctl, FDPBLK_IOC_SET_POLICY, &p) ? -errno : 0;
}

static int ranges(unsigned long cmd, unsigned int rank)
{
	struct fdpblk_range_rank r[3] = {
		{ .start = 0, .nr_sectors = 8, .rank = rank },
		{ .start = 64, .nr_sectors = 64, .rank = rank },
		{ .start = 4096, .nr_sectors = 4096, .rank = rank },
	};
	struct fdpblk_range_ranks h = { .size = sizeof(h), .dev_id = dev_id,
					.count = 3, .ranges = (uintptr_t)r };

	return ioctl(ctl, cmd, &h) ? -errno : 0;
}

static int op_range_set(bool undo)
{
	return undo ? ranges(FDPBLK_IOC_CLEAR_RANGE_RANKS, 0) :
		      ranges(FDPBLK_IOC_SET_RANGE_RANKS, 5);
}

static int op_range_clear(bool undo)
{
	return undo ? ranges(FDPBLK_IOC_SET_RANGE_RANKS, 5) :
		      ranges(FDPBLK_IOC_CLEAR_RANGE_RANKS, 0);
}

static int cgroups(unsigned long cmd, unsigned int rank)
{
	struct fdpblk_cgroup_rank c = { .cgroup_id = cgroup_id, .rank = rank };
	struct fdpblk_cgroup_ranks h = { .size = sizeof(h), .dev_id = dev_id,
					 .count = 1, .ranks = (uintptr_t)&c };

	return ioctl(ctl, cmd, &h) ? -errno : 0;
}

static int op_cgroup_set(bool undo)
{
	return undo ? cgroups(FDPBLK_IOC_CLEAR_CGROUP_RANKS, 0) :
		      cgroups(FDPBLK_IOC_SET_CGROUP_RANKS, 7);
}

static int op_cgroup_clear(bool undo)
{
	return undo ? cgroups(FDPBLK_IOC_SET_CGROUP_RANKS, 7) :
		      cgroups(FDPBLK_IOC_CLEAR_CGROUP_RANKS, 0);
}

static unsigned int created;

static int op_create(bool undo)
{
	struct fdpblk_create c = { .size = sizeof(c),
				   .flags = FDPBLK_CREATE_F_PASSTHROUGH };
	struct fdpblk_remove r = { .size = sizeof(r) };
	int ret = 0;

	if (undo) {
		r.dev_id = created;
		return ioctl(ctl, FDPBLK_IOC_REMOVE, &r) ? -errno : 0;
	}
	c.lower_fd = open(free_lower, O_RDWR | O_CLOEXEC);
	if (c.lower_fd < 0)
		return -errno;
	if (ioctl(ctl, FDPBLK_IOC_CREATE, &c))
		ret = -errno;
	close(c.lower_fd);
	created = c.dev_id;
	return ret;
}

/* A sysfs attribute of the device: written VALUE, undone with OLD. */
static const char *attr, *attr_value;
static char attr_old[4096];

static int op_sysfs(bool undo)
{
	const char *v = undo ? attr_old : attr_value;
	char path[128];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/%s", dev_id, attr);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* ---- the sweep ----------------------------------------------------------- */

static void set_fail_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_fd, buf, len, 0) != len) {
		perror("fail_nth: writing fail-nth");
		exit(2);
	}
}

/* Whether the fault set up last was injected (fail-nth reads 0). */
static bool injected(void)
{
	char buf[16] = "";

	if (pread(fail_fd, buf, sizeof(buf) - 1, 0) <= 0) {
		perror("fail_nth: reading fail-nth");
		exit(2);
	}
	return atoi(buf) == 0;
}

static int sweep(const char *name, int (*op)(bool undo), bool disks)
{
	unsigned int n, failed = 0, absorbed = 0;
	struct ctl_state before, after;

	for (n = 1; n <= MAX_N; n++) {
		int ret;
		bool hit;

		read_state(&before, disks);
		set_fail_nth(n);
		ret = op(false);
		hit = injected();
		set_fail_nth(0);
		if (!hit) {
			/* Ran to the end without its n-th fault point. */
			if (ret) {
				fprintf(stderr, "fail_nth: %s failed (%s) with no fault injected\n",
					name, strerror(-ret));
				return 1;
			}
			if (op(true)) {
				fprintf(stderr, "fail_nth: %s: cannot undo\n", name);
				return 1;
			}
			printf("# %s: %u fault points: %u failed cleanly, %u absorbed\n",
			       name, n - 1, failed, absorbed);
			return 0;
		}
		if (!ret) {
			/* The fault was absorbed (a fallback): undo it. */
			absorbed++;
			if (op(true)) {
				fprintf(stderr, "fail_nth: %s, n=%u: cannot undo\n",
					name, n);
				return 1;
			}
			continue;
		}
		failed++;
		read_state(&after, disks);
		if (memcmp(&before, &after, sizeof(before))) {
			fprintf(stderr, "fail_nth: %s, n=%u: failed (%s) but changed the device: policy v%llu -> v%llu, ranges %u -> %u, cgroup ranks %u -> %u",
				name, n, strerror(-ret),
				(unsigned long long)before.policy.version,
				(unsigned long long)after.policy.version,
				before.nr_ranges, after.nr_ranges,
				before.nr_cgroups, after.nr_cgroups);
			if (disks)
				fprintf(stderr, ", disks %u -> %u",
					before.nr_disks, after.nr_disks);
			fputc('\n', stderr);
			return 1;
		}
	}
	fprintf(stderr, "fail_nth: %s: still failing after %u fault points\n",
		name, MAX_N);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *attr, *value;
	} attrs[] = {
		{ "default_ph", "3" },
		{ "hint_map", NULL },	/* NULL: its current value */
		{ "stream_map", NULL },
		{ "data_pool", "1 2 3" },
		{ "meta_pool", "7 8" },
		{ "meta_chunk_kib", "64" },
		{ "reset_stats", "1" },
		{ "revalidate", "1" },
	};
	char path[128];
	struct stat st;
	unsigned int i;
	int ret = 0, fd;
	ssize_t n;

	if (argc != 4) {
		fprintf(stderr, "usage: fail_nth DEV_ID CGROUP_DIR FREE_LOWER\n");
		return 2;
	}
	dev_id = strtoul(argv[1], NULL, 0);
	if (stat(argv[2], &st)) {
		perror(argv[2]);
		return 2;
	}
	cgroup_id = st.st_ino;
	free_lower = argv[3];
	ctl = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR | O_CLOEXEC);
	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (ctl < 0 || fail_fd < 0) {
		perror("fail_nth: setup (control device, /proc/thread-self/fail-nth)");
		return 2;
	}

	ret |= sweep("SET_POLICY", op_policy, false);
	ret |= sweep("SET_RANGE_RANKS", op_range_set, false);
	if (!ranges(FDPBLK_IOC_SET_RANGE_RANKS, 5)) {
		ret |= sweep("CLEAR_RANGE_RANKS", op_range_clear, false);
		ranges(FDPBLK_IOC_CLEAR_RANGE_RANKS, 0);
	}
	ret |= sweep("SET_CGROUP_RANKS", op_cgroup_set, false);
	if (!cgroups(FDPBLK_IOC_SET_CGROUP_RANKS, 7)) {
		ret |= sweep("CLEAR_CGROUP_RANKS", op_cgroup_clear, false);
		cgroups(FDPBLK_IOC_CLEAR_CGROUP_RANKS, 0);
	}
	ret |= sweep("CREATE", op_create, true);
	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		attr = attrs[i].attr;
		attr_value = attrs[i].value;
		snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/%s",
			 dev_id, attr);
		attr_old[0] = '\0';
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {	/* write-only ones undo with their value */
			n = read(fd, attr_old, sizeof(attr_old) - 1);
			attr_old[n > 0 ? n : 0] = '\0';
			close(fd);
		}
		if (!attr_value)
			attr_value = strdup(attr_old);
		if (!attr_old[0])
			snprintf(attr_old, sizeof(attr_old), "%s", attr_value);
		snprintf(path, sizeof(path), "sysfs %s", attr);
		ret |= sweep(strdup(path), op_sysfs, false);
	}
	return ret;
}
