// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl_errors: every error path of the /dev/fdpblk-control ioctls rejects
 * the call with the documented errno and changes nothing (the policy and
 * the ranks read back unchanged). Run by test_ioctl_01.sh with the id of a
 * device created on an FDP namespace with 8 handles and 8 streams, and of
 * one on a device with 4 KiB logical blocks, and the path of a namespace no
 * device uses (for CREATE):
 *
 *   ioctl_errors DEV_ID [DEV_4K_ID [FREE_NS]]
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/fdpblk.h>

#include "kselftest_harness.h"

static int dev_id = -1;
static int dev_4k_id = -1;
static const char *free_lower;	/* a namespace no device uses */

FIXTURE(ctl) {
	int fd;
	struct fdpblk_policy base;
};

static int get_policy(int fd, struct fdpblk_policy *p)
{
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->dev_id = dev_id;
	return ioctl(fd, FDPBLK_IOC_GET_POLICY, p);
}

static unsigned int nr_ranges(int fd)
{
	struct fdpblk_range_ranks h = {
		.size = sizeof(h), .dev_id = dev_id,
	};

	return ioctl(fd, FDPBLK_IOC_LIST_RANGE_RANKS, &h) ? ~0U : h.count;
}

FIXTURE_SETUP(ctl)
{
	if (dev_id < 0)
		SKIP(return, "no device id given");
	self->fd = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR);
	if (self->fd < 0)
		SKIP(return, "no /dev/fdpblk-control: %s", strerror(errno));
	ASSERT_EQ(0, get_policy(self->fd, &self->base));
	ASSERT_EQ(0U, nr_ranges(self->fd));
}

FIXTURE_TEARDOWN(ctl)
{
	struct fdpblk_policy now;

	/* Whatever a test did wrong, nothing may have changed. */
	ASSERT_EQ(0, get_policy(self->fd, &now));
	EXPECT_EQ(0, memcmp(&now, &self->base, sizeof(now)));
	EXPECT_EQ(0U, nr_ranges(self->fd));
	close(self->fd);
}

#define EXPECT_ERRNO(err, call) do {		\
	errno = 0;				\
	EXPECT_EQ(-1, (call));			\
	EXPECT_EQ((err), errno);		\
} while (0)

/*
 * Call @cmd with the struct at @arg (@len bytes, as this header has it)
 * presented as @size bytes: cut short, or extended by zeroes whose last byte
 * is @tail. What the kernel wrote is copied back to @arg (but @size).
 */
static int sized_ioctl(int fd, unsigned long cmd, void *arg, size_t len,
		       size_t size, unsigned char tail)
{
	static __u64 buf[8192 / 8];
	size_t n = len < size ? len : size;
	__u32 usize = size;
	int ret;

	memset(buf, 0, sizeof(buf));
	memcpy(buf, arg, n);
	memcpy(buf, &usize, sizeof(usize));
	if (size > len)
		((unsigned char *)buf)[size - 1] = tail;
	ret = ioctl(fd, cmd, buf);
	/* All but @size, which stays what the caller's struct says. */
	memcpy((char *)arg + 4, (char *)buf + 4, n - 4);	/* keeps errno */
	return ret;
}

TEST_F(ctl, unknown_commands)
{
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(FDPBLK_IOCTL_MAGIC, 0x7f)));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(FDPBLK_IOCTL_MAGIC,
						 FDPBLK_CMD_REVALIDATE + 1)));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IOWR('X', 0x00, struct fdpblk_features)));
	/* A number with a size or direction is not ours (ABI 1 had them). */
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IOWR(FDPBLK_IOCTL_MAGIC, 0x00,
						   struct fdpblk_features)));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IOR(FDPBLK_IOCTL_MAGIC,
						  FDPBLK_CMD_GET_POLICY, __u32)));
}

/*
 * Every command, with its struct at every size that matters: below the
 * command's minimum (EINVAL), at the minimum (the rest zero-extended), at
 * our size, longer with a zero tail (accepted), longer with a non-zero tail
 * (E2BIG), and beyond a page (E2BIG). Each call that is accepted reaches a
 * harmless answer: a read, or an error after the size checks (no such
 * device, a stale version, a bad descriptor), so nothing changes.
 */
TEST_F(ctl, sizes)
{
	struct fdpblk_features f = { .flags = 0 };
	struct fdpblk_create c = { .lower_fd = -1 };
	struct fdpblk_remove r = { .dev_id = 4242 };
	struct fdpblk_policy gp = self->base, sp = self->base;
	struct fdpblk_range_ranks rh = { .dev_id = 4242 };
	struct fdpblk_range_ranks rl = { .dev_id = dev_id };
	struct fdpblk_cgroup_ranks ch = { .dev_id = 4242 };
	struct fdpblk_cgroup_ranks cl = { .dev_id = dev_id };
	struct fdpblk_revalidate rv = { .dev_id = 4242 };
	struct {
		const char *name;
		unsigned long cmd;
		void *arg;
		size_t len, min;
		int err;	/* of an accepted size: 0 or the errno */
	} t[] = {
		{ "GET_FEATURES", FDPBLK_IOC_GET_FEATURES, &f, sizeof(f),
		  FDPBLK_FEATURES_SIZE_MIN, 0 },
		{ "CREATE", FDPBLK_IOC_CREATE, &c, sizeof(c),
		  FDPBLK_CREATE_SIZE_MIN, EBADF },
		{ "REMOVE", FDPBLK_IOC_REMOVE, &r, sizeof(r),
		  FDPBLK_REMOVE_SIZE_MIN, ENODEV },
		{ "GET_POLICY", FDPBLK_IOC_GET_POLICY, &gp, sizeof(gp),
		  FDPBLK_POLICY_SIZE_MIN, 0 },
		{ "SET_POLICY", FDPBLK_IOC_SET_POLICY, &sp, sizeof(sp),
		  FDPBLK_POLICY_SIZE_MIN, ESTALE },
		{ "SET_RANGE_RANKS", FDPBLK_IOC_SET_RANGE_RANKS, &rh, sizeof(rh),
		  FDPBLK_RANKS_SIZE_MIN, ENODEV },
		{ "CLEAR_RANGE_RANKS", FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh,
		  sizeof(rh), FDPBLK_RANKS_SIZE_MIN, ENODEV },
		{ "LIST_RANGE_RANKS", FDPBLK_IOC_LIST_RANGE_RANKS, &rl,
		  sizeof(rl), FDPBLK_RANKS_SIZE_MIN, 0 },
		{ "SET_CGROUP_RANKS", FDPBLK_IOC_SET_CGROUP_RANKS, &ch,
		  sizeof(ch), FDPBLK_RANKS_SIZE_MIN, ENODEV },
		{ "CLEAR_CGROUP_RANKS", FDPBLK_IOC_CLEAR_CGROUP_RANKS, &ch,
		  sizeof(ch), FDPBLK_RANKS_SIZE_MIN, ENODEV },
		{ "LIST_CGROUP_RANKS", FDPBLK_IOC_LIST_CGROUP_RANKS, &cl,
		  sizeof(cl), FDPBLK_RANKS_SIZE_MIN, 0 },
		{ "REVALIDATE", FDPBLK_IOC_REVALIDATE, &rv, sizeof(rv),
		  FDPBLK_REVALIDATE_SIZE_MIN, ENODEV },
	};
	size_t sizes[4];
	unsigned int i, j;

	sp.flags = FDPBLK_POLICY_F_IF_VERSION;
	sp.version = self->base.version + 1;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ASSERT_LE(t[i].min, t[i].len);
		TH_LOG("%s: %zu bytes, at least %zu", t[i].name, t[i].len, t[i].min);
		errno = 0;
		EXPECT_EQ(-1, sized_ioctl(self->fd, t[i].cmd, t[i].arg, t[i].len,
					  t[i].min - 1, 0));
		EXPECT_EQ(EINVAL, errno);

		sizes[0] = t[i].min;
		sizes[1] = t[i].len;
		sizes[2] = t[i].len + 8;
		sizes[3] = t[i].len + 1;
		for (j = 0; j < 4; j++) {
			int ret;

			errno = 0;
			ret = sized_ioctl(self->fd, t[i].cmd, t[i].arg,
					  t[i].len, sizes[j], 0);
			EXPECT_EQ(t[i].err ? -1 : 0, ret);
			EXPECT_EQ(t[i].err, errno);
		}
		for (j = 2; j < 4; j++)
			EXPECT_ERRNO(E2BIG, sized_ioctl(self->fd, t[i].cmd,
							t[i].arg, t[i].len,
							sizes[j], 1));
		EXPECT_ERRNO(E2BIG, sized_ioctl(self->fd, t[i].cmd, t[i].arg,
						t[i].len, 4097, 0));
	}
}

/*
 * A caller that stops at the minimum gets the fields it has and nothing
 * written beyond them; one with a longer struct gets ours and zeroes kept.
 */
TEST_F(ctl, struct_sizes)
{
	struct {
		struct fdpblk_features f;
		__u64 extra;
	} big = { 0 };
	struct fdpblk_features f;

	memset(&f, 0xff, sizeof(f));
	f.size = FDPBLK_FEATURES_SIZE_MIN;
	f.flags = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	EXPECT_NE(0ULL, f.features & FDPBLK_F_POLICY);
	EXPECT_EQ(0xffffffffU, f.abi_version);	/* beyond @size: not written */
	big.f.size = sizeof(big);
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &big));
	EXPECT_EQ((unsigned int)FDPBLK_ABI_VERSION, big.f.abi_version);
	EXPECT_EQ(2U, big.f.abi_version);
	EXPECT_EQ(0ULL, big.extra);
}

TEST_F(ctl, unknown_flags_and_reserved)
{
	struct fdpblk_features f = { .size = sizeof(f), .flags = 1 };
	struct fdpblk_remove r = { .size = sizeof(r), .dev_id = dev_id };
	struct fdpblk_create c = { .size = sizeof(c), .flags = 2,
				   .lower_fd = -1 };
	struct fdpblk_range_rank rr = { .start = 0, .nr_sectors = 8, .rank = 1,
					.reserved = 1 };
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_id,
					 .count = 1, .ranges = (uintptr_t)&rr };
	struct fdpblk_policy p = self->base;

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.flags = 0;
	c.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	r.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_REMOVE, &r));
	r.flags = 0;
	r.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_REMOVE, &r));
	p.flags = 2;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p));
	p.flags = 0;
	p.reserved = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p));
	p = self->base;
	p.hint_map[6] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p));
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr.reserved = 0;
	rh.flags = FDPBLK_RANKS_F_ALL;	/* only CLEAR takes it */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rh.flags = 4;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh));
	p = self->base;
	p.flags = 0;
	get_policy(self->fd, &p);
	p.size = 4;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p));
}

TEST_F(ctl, ph_out_of_range)
{
	struct fdpblk_policy p;

	/* The device has 8 handles and 8 streams. */
#define BAD(stmt) do {							\
		p = self->base;						\
		p.flags = 0;						\
		stmt;							\
		EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p)); \
	} while (0)
	BAD(p.default_ph = 9);
	BAD(p.hint_map[0] = 1);
	BAD(p.hint_map[2] = 9);
	BAD(p.stream_map[0] = 1);
	BAD(p.stream_map[6] = FDPBLK_PH_FOLLOW_HINT);
	BAD(p.stream_map[8] = 9);
	BAD(p.stream_map[9] = 1);
	BAD((p.data_pool_len = 2, p.data_pool[1] = 9));
	BAD((p.data_pool_len = 1, p.data_pool[1] = 3));
	BAD((p.meta_pool_len = 1, p.meta_pool[0] = 200));
	BAD(p.data_pool_len = FDPBLK_POOL_MAX + 1);
	BAD(p.meta_chunk_kib = 3);
	BAD(p.meta_chunk_kib = 2);
	BAD(p.meta_chunk_kib = 2 << 20);
#undef BAD
}

TEST_F(ctl, bad_ranks)
{
	struct fdpblk_range_rank rr[2] = {
		{ .start = 0, .nr_sectors = 16, .rank = 1 },
		{ .start = 8, .nr_sectors = 16, .rank = 2 },
	};
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_id,
					 .count = 2, .ranges = (uintptr_t)rr };
	struct fdpblk_cgroup_rank cr = { .cgroup_id = 0, .rank = 1 };
	struct fdpblk_cgroup_ranks ch = { .size = sizeof(ch), .dev_id = dev_id,
					  .count = 1, .ranks = (uintptr_t)&cr };
	struct fdpblk_features f = { .size = sizeof(f) };

	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	/* Overlapping entries in one batch. */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	/* Empty, beyond the device, wrapping around. */
	rh.count = 1;
	rr[0].nr_sectors = 0;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr[0].start = 1ULL << 40;
	rr[0].nr_sectors = 8;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr[0].start = 8;
	rr[0].nr_sectors = ~0ULL;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	/* A rank in a CLEAR entry. */
	rr[0].nr_sectors = 8;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh));
	/* Counts beyond the limit are refused before any allocation. */
	rh.count = f.max_range_ranks + 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rh.count = 1;
	rh.ranges = 0;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rh.ranges = 8;	/* unmapped */
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	/* ALL with a count. */
	rh.ranges = (uintptr_t)rr;
	rh.flags = FDPBLK_RANKS_F_ALL;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh));

	/* cgroups: id 0, a missing cgroup, clearing what is not there. */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	cr.cgroup_id = 1ULL << 62;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	cr.rank = 0;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, FDPBLK_IOC_CLEAR_CGROUP_RANKS, &ch));
	ch.count = f.max_cgroup_ranks + 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	ch.count = 0;
	ch.flags = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_LIST_CGROUP_RANKS, &ch));
	EXPECT_EQ(0U, ch.count);
}

TEST_F(ctl, bad_devices)
{
	struct fdpblk_create c = { .size = sizeof(c) };
	struct fdpblk_remove r = { .size = sizeof(r), .dev_id = 4242 };
	struct fdpblk_policy p = self->base;

	EXPECT_ERRNO(ENODEV, ioctl(self->fd, FDPBLK_IOC_REMOVE, &r));
	p.dev_id = 4242;
	EXPECT_ERRNO(ENODEV, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p));
	EXPECT_ERRNO(ENODEV, ioctl(self->fd, FDPBLK_IOC_GET_POLICY, &p));
	c.lower_fd = -1;
	EXPECT_ERRNO(EBADF, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.lower_fd = open("/dev/null", O_RDWR);
	ASSERT_LE(0, c.lower_fd);
	EXPECT_ERRNO(ENOTBLK, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.nr_streams = FDPBLK_MAX_STREAMS + 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.nr_streams = 0;
	c.dev_id = 1;		/* out only */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	close(c.lower_fd);
	c.dev_id = 0;
	c.lower_fd = open("/proc/self/exe", O_RDONLY);
	ASSERT_LE(0, c.lower_fd);
	EXPECT_ERRNO(ENOTBLK, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	close(c.lower_fd);
}

static int nr_fdpblk_disks(void)
{
	struct dirent *de;
	DIR *d = opendir("/sys/block");
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, "fdpblk", 6);
	closedir(d);
	return n;
}

/*
 * A CREATE whose result cannot be copied out (the struct is read-only)
 * fails with EFAULT and leaves no device behind: nobody would know its id.
 * The lower is free again afterwards.
 */
TEST_F(ctl, create_copy_out)
{
	struct fdpblk_create c = { .size = sizeof(c) }, *cro;
	struct fdpblk_remove r = { .size = sizeof(r) };
	int before = nr_fdpblk_disks();
	void *ro;

	if (!free_lower)
		SKIP(return, "no free namespace given");
	ASSERT_LE(0, before);
	c.lower_fd = open(free_lower, O_RDWR);
	ASSERT_LE(0, c.lower_fd);
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	cro = ro;
	*cro = c;
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_CREATE, cro));
	munmap(ro, 4096);
	EXPECT_EQ(before, nr_fdpblk_disks());

	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	EXPECT_EQ(before + 1, nr_fdpblk_disks());
	r.dev_id = c.dev_id;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_REMOVE, &r));
	EXPECT_EQ(before, nr_fdpblk_disks());
	close(c.lower_fd);
}

/*
 * SET_POLICY tells the caller the new version in its struct. A struct
 * that cannot be written back fails the call with EFAULT, and the policy
 * stays as it was (the teardown compares it, version included): the
 * caller could not have learnt what it changed.
 */
TEST_F(ctl, set_policy_copy_out)
{
	struct fdpblk_policy *pro, now;
	void *ro;

	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	pro = ro;
	*pro = self->base;
	pro->flags = 0;
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, pro));
	/* And so does one whose version check passes. */
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ | PROT_WRITE));
	pro->flags = FDPBLK_POLICY_F_IF_VERSION;
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_SET_POLICY, pro));
	munmap(ro, 4096);
	ASSERT_EQ(0, get_policy(self->fd, &now));
	EXPECT_EQ(self->base.version, now.version);
}

/* The name of fdpblk@id in sysfs, or "" */
static const char *sysfs_name(unsigned int id)
{
	static char buf[64];
	char path[96];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/name", id);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return buf;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return buf;
}

/*
 * CREATE takes the lower by a descriptor open for writing, and a name: a
 * bad one is refused before anything happens, a taken one with EEXIST; no
 * name (a struct of the minimum size, or an empty one) gives fdpblkN.
 * REMOVE at its minimum size and with a zero tail works, with a non-zero
 * tail it is refused and the device stays.
 */
TEST_F(ctl, create_fd_and_name)
{
	static const char * const bad[] = {
		"-x", ".x", "a/b", "a b", "a\n", "fdpblk12", "fdpblk0",
		"\xc3\xa9", "\xc3",
	};
	struct fdpblk_create c = { .size = sizeof(c) };
	struct fdpblk_remove r = { .size = sizeof(r) };
	int before = nr_fdpblk_disks(), rofd, id;
	char want[32];
	unsigned int i;

	if (!free_lower)
		SKIP(return, "no free namespace given");
	ASSERT_LE(0, before);
	rofd = open(free_lower, O_RDONLY);
	ASSERT_LE(0, rofd);
	c.lower_fd = rofd;
	EXPECT_ERRNO(EBADF, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	close(rofd);
	c.lower_fd = open(free_lower, O_RDWR);
	ASSERT_LE(0, c.lower_fd);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(c.name, 0, sizeof(c.name));
		strcpy(c.name, bad[i]);
		TH_LOG("name '%s'", bad[i]);
		EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	}
	memset(c.name, 'a', sizeof(c.name));		/* no NUL */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	memset(c.name, 0, sizeof(c.name));
	strcpy(c.name, "ok");
	c.name[5] = 'x';				/* not NUL-padded */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	EXPECT_EQ(before, nr_fdpblk_disks());

	/* No name: the minimum struct. */
	memset(c.name, 0, sizeof(c.name));
	ASSERT_EQ(0, sized_ioctl(self->fd, FDPBLK_IOC_CREATE, &c, sizeof(c),
				 FDPBLK_CREATE_SIZE_MIN, 0));
	id = c.dev_id;
	snprintf(want, sizeof(want), "fdpblk%d", id);
	EXPECT_STREQ(want, sysfs_name(id));
	r.dev_id = id;
	EXPECT_EQ(0, sized_ioctl(self->fd, FDPBLK_IOC_REMOVE, &r, sizeof(r),
				 FDPBLK_REMOVE_SIZE_MIN, 0));
	EXPECT_EQ(before, nr_fdpblk_disks());

	/* A name, in a longer struct with a zero tail. */
	c.dev_id = 0;
	strcpy(c.name, "Abi-test_1.x");
	ASSERT_EQ(0, sized_ioctl(self->fd, FDPBLK_IOC_CREATE, &c, sizeof(c),
				 sizeof(c) + 8, 0));
	id = c.dev_id;
	EXPECT_STREQ("Abi-test_1.x", sysfs_name(id));
	/* Taken: refused before the lower (busy now) is even opened. */
	c.dev_id = 0;
	EXPECT_ERRNO(EEXIST, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	memset(c.name, 0, sizeof(c.name));
	strcpy(c.name, "other");
	EXPECT_ERRNO(EBUSY, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	EXPECT_EQ(before + 1, nr_fdpblk_disks());

	r.dev_id = id;
	EXPECT_ERRNO(E2BIG, sized_ioctl(self->fd, FDPBLK_IOC_REMOVE, &r,
					sizeof(r), sizeof(r) + 8, 1));
	EXPECT_STREQ("Abi-test_1.x", sysfs_name(id));
	EXPECT_EQ(0, sized_ioctl(self->fd, FDPBLK_IOC_REMOVE, &r, sizeof(r),
				 sizeof(r) + 8, 0));
	EXPECT_EQ(before, nr_fdpblk_disks());
	close(c.lower_fd);
}

/* Without CAP_SYS_ADMIN only the read commands work. */
TEST_F(ctl, unprivileged)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct __user_cap_header_struct h = {
			.version = _LINUX_CAPABILITY_VERSION_3,
		};
		struct __user_cap_data_struct d[2];
		struct fdpblk_features f = { .size = sizeof(f) };
		struct fdpblk_remove r = { .size = sizeof(r), .dev_id = dev_id };
		struct fdpblk_policy p = self->base;
		struct fdpblk_range_rank rr = { .start = 0, .nr_sectors = 8 };
		struct fdpblk_range_ranks rh = { .size = sizeof(rh),
						 .dev_id = dev_id, .count = 1,
						 .ranges = (uintptr_t)&rr };

		if (syscall(SYS_capget, &h, d))
			_exit(10);
		d[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		if (ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f))
			_exit(12);
		if (ioctl(self->fd, FDPBLK_IOC_GET_POLICY, &p))
			_exit(13);
		if (!ioctl(self->fd, FDPBLK_IOC_SET_POLICY, &p) || errno != EPERM)
			_exit(14);
		if (!ioctl(self->fd, FDPBLK_IOC_REMOVE, &r) || errno != EPERM)
			_exit(15);
		if (!ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh) || errno != EPERM)
			_exit(16);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * LIST reports how many ranges the device has and writes only as many as
 * fit; a copy-out to memory that cannot be written fails with EFAULT; the
 * device's total (max_range_ranks=, which test_ioctl_01.sh sets small) is
 * enforced with ENOSPC; none of it changes the ranks.
 */
TEST_F(ctl, range_list_and_limit)
{
	struct fdpblk_features f = { .size = sizeof(f) };
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_id };
	struct fdpblk_range_ranks *hro;
	struct fdpblk_range_rank *rr, out[3];
	unsigned int i, n;
	void *ro;

	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	n = f.max_range_ranks;
	if (n > 4096)
		SKIP(return, "max_range_ranks=%u: load fdpblk with a small one", n);
	rr = calloc(n + 1, sizeof(*rr));
	ASSERT_NE(NULL, rr);
	for (i = 0; i <= n; i++) {
		rr[i].start = i * 16;
		rr[i].nr_sectors = 8;
		rr[i].rank = i;
	}
	rh.count = n;
	rh.ranges = (uintptr_t)rr;
	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	/* One more is beyond the device's total. */
	rh.count = 1;
	rh.ranges = (uintptr_t)&rr[n];
	EXPECT_ERRNO(ENOSPC, ioctl(self->fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	EXPECT_EQ(n, nr_ranges(self->fd));

	/* Room for 2: the count of all, the first 2, nothing past them. */
	memset(out, 0xa5, sizeof(out));
	rh.count = 2;
	rh.ranges = (uintptr_t)out;
	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_LIST_RANGE_RANKS, &rh));
	EXPECT_EQ(n, rh.count);
	EXPECT_EQ(0ULL, out[0].start);
	EXPECT_EQ(16ULL, out[1].start);
	EXPECT_EQ(1U, out[1].rank);
	EXPECT_EQ(0xa5a5a5a5a5a5a5a5ULL, out[2].start);

	/* Copy-out to a read-only page, to an unmapped one, of the header. */
	ro = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	hro = ro;
	*hro = rh;
	hro->count = 2;
	hro->ranges = (uintptr_t)out;
	ASSERT_EQ(0, mprotect(ro, 4096, PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_LIST_RANGE_RANKS, hro));
	rh.count = 2;
	rh.ranges = (uintptr_t)ro;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_LIST_RANGE_RANKS, &rh));
	rh.ranges = 8;
	EXPECT_ERRNO(EFAULT, ioctl(self->fd, FDPBLK_IOC_LIST_RANGE_RANKS, &rh));
	munmap(ro, 4096);
	EXPECT_EQ(n, nr_ranges(self->fd));

	rh.flags = FDPBLK_RANKS_F_ALL;
	rh.count = 0;
	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh));
	free(rr);
}

#define CG_LIMIT_DIR "/sys/fs/cgroup/fdpblk-limit"

/*
 * The device's total of cgroup ranks (max_cgroup_ranks=) holds for
 * real cgroups: that many in one batch are taken, one more is refused
 * with ENOSPC and changes nothing. The rank of a cgroup that was removed
 * stops counting (a set that needs its room drops it) and can be cleared
 * by id; a batch naming a cgroup twice is refused. test_ioctl_01.sh loads
 * the module with a small limit; making thousands of cgroups takes
 * minutes in the TCG test VM.
 */
TEST_F_TIMEOUT(ctl, cgroup_limit, 480)
{
	struct fdpblk_features f = { .size = sizeof(f) };
	unsigned int n;
	struct fdpblk_cgroup_ranks ch = { .size = sizeof(ch), .dev_id = dev_id };
	struct fdpblk_cgroup_rank *cr;
	char path[64];
	struct stat st;
	unsigned int i;

	ASSERT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	n = f.max_cgroup_ranks;
	if (n > 4096)
		SKIP(return, "max_cgroup_ranks=%u: load fdpblk with a small one", n);
	if (mkdir(CG_LIMIT_DIR, 0755) && errno != EEXIST)
		SKIP(return, "cannot make cgroups: %s", strerror(errno));
	cr = calloc(n + 1, sizeof(*cr));
	ASSERT_NE(NULL, cr);
	for (i = 0; i <= n; i++) {
		snprintf(path, sizeof(path), CG_LIMIT_DIR "/%u", i);
		ASSERT_TRUE(!mkdir(path, 0755) || errno == EEXIST);
		ASSERT_EQ(0, stat(path, &st));
		cr[i].cgroup_id = st.st_ino;
		cr[i].rank = i;
	}
	ch.count = n;
	ch.ranks = (uintptr_t)cr;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	ch.count = 1;
	ch.ranks = (uintptr_t)&cr[n];
	EXPECT_ERRNO(ENOSPC, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	ch.count = 0;
	ch.ranks = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_LIST_CGROUP_RANKS, &ch));
	EXPECT_EQ(n, ch.count);

	/* The rank of a removed cgroup no longer counts against the limit. */
	snprintf(path, sizeof(path), CG_LIMIT_DIR "/%u", 0);
	ASSERT_EQ(0, rmdir(path));
	ch.count = 1;
	ch.ranks = (uintptr_t)&cr[n];
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	ch.count = 0;
	ch.ranks = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_LIST_CGROUP_RANKS, &ch));
	EXPECT_EQ(n, ch.count);
	/* It is gone; a removed cgroup's rank can be cleared by its id. */
	ch.count = 1;
	ch.ranks = (uintptr_t)&cr[0];
	cr[0].rank = 0;
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, FDPBLK_IOC_CLEAR_CGROUP_RANKS, &ch));
	snprintf(path, sizeof(path), CG_LIMIT_DIR "/%u", 1);
	ASSERT_EQ(0, rmdir(path));
	cr[1].rank = 0;
	ch.ranks = (uintptr_t)&cr[1];
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_CLEAR_CGROUP_RANKS, &ch));
	/* A cgroup named twice in a batch is refused, whole. */
	cr[1] = cr[2];
	ch.count = 2;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_SET_CGROUP_RANKS, &ch));
	ch.count = 0;
	ch.ranks = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_LIST_CGROUP_RANKS, &ch));
	EXPECT_EQ(n - 1, ch.count);

	ch.flags = FDPBLK_RANKS_F_ALL;
	ch.count = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_CLEAR_CGROUP_RANKS, &ch));
	for (i = 0; i <= n; i++) {
		snprintf(path, sizeof(path), CG_LIMIT_DIR "/%u", i);
		rmdir(path);
	}
	rmdir(CG_LIMIT_DIR);
	free(cr);
}

/* A valid change bumps the version; a stale IF_VERSION is refused. */
TEST(versions)
{
	struct fdpblk_policy p, q;
	int fd = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR);

	if (dev_id < 0 || fd < 0)
		SKIP(return, "no device");
	ASSERT_EQ(0, get_policy(fd, &p));
	p.flags = FDPBLK_POLICY_F_IF_VERSION;
	p.default_ph = 3;
	ASSERT_EQ(0, ioctl(fd, FDPBLK_IOC_SET_POLICY, &p));
	ASSERT_EQ(0, get_policy(fd, &q));
	EXPECT_EQ(p.version, q.version);
	EXPECT_EQ(3, (int)q.default_ph);
	p.flags = FDPBLK_POLICY_F_IF_VERSION;
	p.version--;
	p.default_ph = 4;
	EXPECT_ERRNO(ESTALE, ioctl(fd, FDPBLK_IOC_SET_POLICY, &p));
	ASSERT_EQ(0, get_policy(fd, &q));
	EXPECT_EQ(3, (int)q.default_ph);
	/* Back to the default, for whoever runs next. */
	q.flags = 0;
	q.default_ph = 0;
	ASSERT_EQ(0, ioctl(fd, FDPBLK_IOC_SET_POLICY, &q));
	close(fd);
}

/* On 4 KiB logical blocks a range must start and end between blocks. */
TEST(misaligned_ranges)
{
	struct fdpblk_range_rank rr = { .start = 4, .nr_sectors = 8, .rank = 1 };
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_4k_id,
					 .count = 1, .ranges = (uintptr_t)&rr };
	struct fdpblk_range_ranks list = { .size = sizeof(list),
					   .dev_id = dev_4k_id };
	int fd = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR);

	if (dev_4k_id < 0 || fd < 0)
		SKIP(return, "no device with 4 KiB blocks");
	EXPECT_ERRNO(EINVAL, ioctl(fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr.start = 8;
	rr.nr_sectors = 4;
	EXPECT_ERRNO(EINVAL, ioctl(fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr.nr_sectors = 12;
	EXPECT_ERRNO(EINVAL, ioctl(fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	ASSERT_EQ(0, ioctl(fd, FDPBLK_IOC_LIST_RANGE_RANKS, &list));
	EXPECT_EQ(0U, list.count);
	rr.nr_sectors = 16;
	EXPECT_EQ(0, ioctl(fd, FDPBLK_IOC_SET_RANGE_RANKS, &rh));
	rr.rank = 0;
	EXPECT_EQ(0, ioctl(fd, FDPBLK_IOC_CLEAR_RANGE_RANKS, &rh));
	close(fd);
}

int main(int argc, char **argv)
{
	/* Device ids first, then the harness's own options. */
	if (argc > 1 && argv[1][0] != '-') {
		dev_id = atoi(argv[1]);
		argc--;
		argv++;
	}
	if (argc > 1 && argv[1][0] != '-') {
		dev_4k_id = atoi(argv[1]);
		argc--;
		argv++;
	}
	if (argc > 1 && argv[1][0] != '-') {
		free_lower = argv[1];
		argc--;
		argv++;
	}
	argv[0] = "ioctl_errors";
	return test_harness_run(argc, argv);
}
