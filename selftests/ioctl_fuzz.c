// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_fuzz: random calls to /dev/fdpblk-control. Command numbers (ours,
 * ours with a size or direction, others), struct sizes, flags, device ids,
 * counts, descriptors and pointers (NULL, unmapped, misaligned, read-only,
 * at the end of the mapping, a read-only copy of the struct built) are
 * drawn at random, with the values that matter (the limits, the device's
 * id) drawn more often.
 *
 * After every call that can change something, and after every 8th of the
 * others (the read-only commands and foreign numbers), the device's state
 * (its policy, range and cgroup ranks; and the list of devices after a
 * CREATE or REMOVE) is compared with what it was: it may change only
 * through a call that returned 0. A CREATE that
 * succeeds is undone at once. The device given must not be removed: a
 * REMOVE naming it is sent for another id.
 *
 *   ioctl_fuzz DEV_ID CALLS [SEED]
 *
 * Exit 0 when the state never changed unasked, 1 otherwise (the call is
 * printed), 2 on a usage or setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/fdpblk.h>

#include "ctl_state.h"

#define NR_CMDS		(FDPBLK_CMD_REVALIDATE + 2)	/* one unknown */
#define PAGE		4096
#define ARRAY_ENTRIES	CTL_STATE_ROOM

static int ctl;
static unsigned int dev_id;
static uint64_t rng_state;
static unsigned char *area;	/* RW page, RO page, PROT_NONE page */

/* xorshift64*: reproducible from the seed printed. */
static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}

static unsigned int pick(unsigned int n)
{
	return rnd() % n;
}

/* A value of the kind that finds bugs: edges more often than not. */
static uint64_t value(uint64_t limit)
{
	switch (pick(8)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return limit;
	case 3:
		return limit + 1;
	case 4:
		return limit - 1;
	case 5:
		return ~0ULL >> pick(64);
	default:
		return rnd() % (limit + 2);
	}
}

/* A user pointer: valid, or one of the ways a pointer can be bad. */
static uint64_t pointer(void *valid)
{
	switch (pick(10)) {
	case 0:
		return 0;
	case 1:
		return 8;				/* unmapped */
	case 2:
		return (uintptr_t)area + PAGE + pick(PAGE);	/* read-only */
	case 3:
		return (uintptr_t)area + 2 * PAGE - pick(64);	/* runs off */
	case 4:
		return (uintptr_t)valid + 1 + pick(7);	/* misaligned */
	case 5:
		return rnd();
	default:
		return (uintptr_t)valid;
	}
}

/*
 * The struct built, on the read-only page: a call that would succeed can
 * then not write its answer back, and must fail without changing anything.
 */
static void *read_only_copy(const void *buf)
{
	if (mprotect(area + PAGE, PAGE, PROT_READ | PROT_WRITE)) {
		perror("ioctl_fuzz: mprotect");
		exit(2);
	}
	memcpy(area + PAGE, buf, PAGE);
	if (mprotect(area + PAGE, PAGE, PROT_READ)) {
		perror("ioctl_fuzz: mprotect");
		exit(2);
	}
	return area + PAGE;
}

static struct fdpblk_range_rank ranges[ARRAY_ENTRIES + 1];
static struct fdpblk_cgroup_rank cgroups[ARRAY_ENTRIES + 1];

static void fill_entries(void)
{
	unsigned int i;

	for (i = 0; i <= ARRAY_ENTRIES; i++) {
		ranges[i].start = pick(4) ? (uint64_t)pick(1024) * 8 : rnd();
		ranges[i].nr_sectors = pick(4) ? 8 * (1 + pick(16)) : value(1ULL << 40);
		ranges[i].rank = pick(4) ? pick(16) : rnd();
		ranges[i].reserved = pick(16) ? 0 : rnd();
		cgroups[i].cgroup_id = pick(3) ? 1 + pick(64) : rnd();
		cgroups[i].rank = pick(4) ? pick(16) : rnd();
		cgroups[i].reserved = pick(16) ? 0 : rnd();
	}
}

/* The struct of command @nr, filled at random; returns its size. */
static size_t build(unsigned int nr, void *buf, const struct ctl_state *now,
		    int *fds, unsigned int nr_fds)
{
	struct fdpblk_create *c = buf;
	struct fdpblk_policy *p = buf;
	struct fdpblk_range_ranks *r = buf;
	struct fdpblk_remove *rm = buf;
	uint32_t *w = buf;
	unsigned int i;

	memset(buf, 0, PAGE);
	switch (nr) {
	case FDPBLK_CMD_CREATE:
		c->lower_fd = fds[pick(nr_fds)];
		c->nr_streams = value(FDPBLK_MAX_STREAMS);
		c->flags = pick(2) ? FDPBLK_CREATE_F_PASSTHROUGH : value(4);
		if (pick(2))
			snprintf(c->name, sizeof(c->name), "fz%u", pick(4));
		if (!pick(8))
			c->name[pick(sizeof(c->name))] = rnd();
		c->reserved = pick(8) ? 0 : rnd();
		return sizeof(*c);
	case FDPBLK_CMD_GET_POLICY:
	case FDPBLK_CMD_SET_POLICY:
		*p = now->policy;
		p->flags = pick(3) ? 0 : value(2);
		if (!pick(3))
			p->version = pick(2) ? now->policy.version : rnd();
		p->default_ph = pick(2) ? now->policy.default_ph : value(8);
		for (i = pick(4); i; i--) {
			switch (pick(5)) {
			case 0:
				p->hint_map[pick(FDPBLK_HINT_MAP_LEN)] = value(8);
				break;
			case 1:
				p->stream_map[pick(FDPBLK_MAX_STREAMS + 1)] =
					pick(4) ? value(8) : FDPBLK_PH_FOLLOW_HINT;
				break;
			case 2:
				p->data_pool_len = value(FDPBLK_POOL_MAX);
				p->data_pool[pick(FDPBLK_POOL_MAX)] = value(8);
				break;
			case 3:
				p->meta_pool_len = value(4);
				p->meta_pool[pick(FDPBLK_POOL_MAX)] = value(8);
				break;
			default:
				p->meta_chunk_kib = pick(2) ? 1U << pick(24) : rnd();
			}
		}
		p->reserved = pick(16) ? 0 : rnd();
		p->dev_id = pick(8) ? dev_id : value(dev_id + 4);
		return sizeof(*p);
	case FDPBLK_CMD_SET_RANGE_RANKS ... FDPBLK_CMD_LIST_CGROUP_RANKS:
		fill_entries();
		r->flags = pick(4) ? 0 : value(2);
		/*
		 * Mostly counts the array holds; now and then one at or
		 * beyond the limits (a large copy the array cannot back).
		 */
		if (pick(4))
			r->count = pick(4);
		else if (pick(8))
			r->count = value(ARRAY_ENTRIES + 1);
		else
			r->count = value(1U << 22);
		r->ranges = pointer(nr >= FDPBLK_CMD_SET_CGROUP_RANKS ?
				    (void *)cgroups : (void *)ranges);
		r->dev_id = pick(8) ? dev_id : value(dev_id + 4);
		return sizeof(*r);
	default:
		/* GET_FEATURES, REMOVE, REVALIDATE, unknown: words. */
		for (i = 1; i < 8; i++)
			w[i] = pick(2) ? 0 : value(dev_id + 4);
		if (pick(2))
			rm->dev_id = dev_id;
		if (nr == FDPBLK_CMD_REMOVE && rm->dev_id == dev_id)
			rm->dev_id = dev_id + 1000;
		return sizeof(struct fdpblk_features);
	}
}

static uint32_t struct_size(size_t ksize)
{
	switch (pick(10)) {
	case 0:
		return pick(ksize);
	case 1:
		return ksize + 1 + pick(64);
	case 2:
		return PAGE + pick(2);
	case 3:
		return rnd();
	default:
		return ksize;
	}
}

static unsigned long command(unsigned int *nr)
{
	*nr = pick(NR_CMDS);
	switch (pick(12)) {
	case 0:
		return _IOWR(FDPBLK_IOCTL_MAGIC, *nr, struct fdpblk_features);
	case 1:
		return _IOC(pick(4), FDPBLK_IOCTL_MAGIC, *nr, pick(1 << 14));
	case 2:
		return _IO(pick(256), *nr);
	case 3:
		*nr = pick(256);
		return _IO(FDPBLK_IOCTL_MAGIC, *nr);
	default:
		return _IO(FDPBLK_IOCTL_MAGIC, *nr);
	}
}

/* A command that changes nothing, whatever its argument. */
static bool read_only(unsigned long cmd)
{
	return cmd == FDPBLK_IOC_GET_FEATURES || cmd == FDPBLK_IOC_GET_POLICY ||
	       cmd == FDPBLK_IOC_LIST_RANGE_RANKS ||
	       cmd == FDPBLK_IOC_LIST_CGROUP_RANKS ||
	       _IOC_TYPE(cmd) != FDPBLK_IOCTL_MAGIC;
}

static void print_state(const char *what, const struct ctl_state *s)
{
	fprintf(stderr, "%s: policy version %" PRIu64 ", %u ranges, %u cgroup ranks, %u disks\n",
		what, (uint64_t)s->policy.version, s->nr_ranges, s->nr_cgroups,
		s->nr_disks);
}

int main(int argc, char **argv)
{
	static __u64 buf[PAGE / 8];
	unsigned long calls, i, ok = 0, errs[256] = { 0 };
	/* Where the time goes: calls and seconds per command number. */
	unsigned long t_calls[NR_CMDS + 1] = { 0 };
	double t_sec[NR_CMDS + 1] = { 0 }, t_state = 0, t_all;
	unsigned long creates = 0;
	struct timespec t0, t1, start;
	struct ctl_state before, after;
	int fds[8], nr_fds = 0, ret, ret2;
	uint64_t seed;
	unsigned int e;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: ioctl_fuzz DEV_ID CALLS [SEED]\n");
		return 2;
	}
	dev_id = strtoul(argv[1], NULL, 0);
	calls = strtoul(argv[2], NULL, 0);
	seed = argc > 3 ? strtoull(argv[3], NULL, 0) : (uint64_t)getpid() << 20 ^ time(NULL);
	rng_state = seed | 1;
	printf("# ioctl_fuzz: device %u, %lu calls, seed %" PRIu64 "\n", dev_id,
	       calls, seed);

	ctl = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR);
	area = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ctl < 0 || area == MAP_FAILED ||
	    mprotect(area + PAGE, PAGE, PROT_READ) ||
	    mprotect(area + 2 * PAGE, PAGE, PROT_NONE)) {
		perror("ioctl_fuzz: setup");
		return 2;
	}
	/* Descriptors for CREATE: none, not a block device, read-only, ... */
	fds[nr_fds++] = -1;
	fds[nr_fds++] = 1000;
	fds[nr_fds++] = open("/dev/null", O_RDWR);
	fds[nr_fds++] = ctl;
	snprintf((char *)buf, sizeof(buf), "/dev/fdpblk%u", dev_id);
	fds[nr_fds++] = open((char *)buf, O_RDONLY);
	fds[nr_fds++] = open((char *)buf, O_RDWR);
	if (ctl_state_read(ctl, dev_id, &before, true)) {
		perror("ioctl_fuzz: the device's state");
		return 2;
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < calls; i++) {
		unsigned int nr;
		unsigned long cmd = command(&nr);
		void *arg = buf;
		uint32_t usize;
		bool dev_list, check;

		usize = struct_size(build(nr, buf, &before, fds, nr_fds));
		memcpy(buf, &usize, sizeof(usize));
		/* Not for REMOVE: a shifted struct could name our device. */
		if (!pick(16) && cmd != FDPBLK_IOC_REMOVE)
			arg = (void *)(uintptr_t)pointer(buf);
		else if (!pick(64))
			arg = read_only_copy(buf);
		dev_list = nr == FDPBLK_CMD_CREATE || nr == FDPBLK_CMD_REMOVE;
		/*
		 * The state is read after every call that can change it, and
		 * after every 8th of the read-only commands (and at the end):
		 * reading it costs three calls.
		 */
		check = !read_only(cmd) || !pick(8) || i == calls - 1;
		errno = 0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret = ioctl(ctl, cmd, arg);
		e = ret ? errno : 0;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		t_calls[nr < NR_CMDS ? nr : NR_CMDS]++;
		t_sec[nr < NR_CMDS ? nr : NR_CMDS] += (t1.tv_sec - t0.tv_sec) +
						      (t1.tv_nsec - t0.tv_nsec) / 1e9;
		errs[e < 256 ? e : 255]++;
		if (!ret && cmd == FDPBLK_IOC_CREATE && arg == buf) {
			struct fdpblk_remove r = { .size = sizeof(r) };
			struct fdpblk_create c;

			memcpy(&c, buf, sizeof(c));
			r.dev_id = c.dev_id;

			/* The count of disks sees it: the check is not blind. */
			if (ctl_nr_disks() != before.nr_disks + 1) {
				fprintf(stderr, "ioctl_fuzz: call %lu: CREATE returned 0, but the disks are %u, not %u + 1\n",
					i, ctl_nr_disks(), before.nr_disks);
				return 1;
			}
			/* Undo it: the device list must come back as it was. */
			if (ioctl(ctl, FDPBLK_IOC_REMOVE, &r)) {
				perror("ioctl_fuzz: removing a device CREATE made");
				return 1;
			}
			creates++;
		}
		if (!check) {
			ok += !ret;
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ret2 = ctl_state_read(ctl, dev_id, &after, dev_list);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		t_state += (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (ret2) {
			fprintf(stderr, "ioctl_fuzz: call %lu (cmd 0x%lx): the device's state cannot be read: %s\n",
				i, cmd, strerror(errno));
			return 1;
		}
		if (!dev_list)
			after.nr_disks = before.nr_disks;
		if (ret == 0) {
			ok++;
			before = after;
			continue;
		}
		if (memcmp(&before, &after, sizeof(before))) {
			fprintf(stderr, "ioctl_fuzz: call %lu (cmd 0x%lx, nr %u, size %u) failed with %s and changed the state\n",
				i, cmd, nr, usize, strerror(e));
			print_state("before", &before);
			print_state("after", &after);
			return 1;
		}
	}
	printf("# %lu calls, %lu returned 0; errors:", calls, ok);
	for (e = 1; e < 256; e++)
		if (errs[e])
			printf(" %s %lu", strerrorname_np(e) ?: "?", errs[e]);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	t_all = (t1.tv_sec - start.tv_sec) + (t1.tv_nsec - start.tv_nsec) / 1e9;
	printf("\n# %lu CREATEs succeeded (each seen in the disk count, then removed)",
	       creates);
	printf("\n# %.1f s in all, %.1f s reading the state back", t_all, t_state);
	printf("\n# in the ioctl, by command number (calls, seconds):");
	for (e = 0; e <= NR_CMDS; e++)
		if (t_calls[e])
			printf(" %s%u %lu %.2f", e < NR_CMDS ? "" : ">=", e,
			       t_calls[e], t_sec[e]);
	printf("\n");
	return 0;
}
