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

TEST_F(ctl, unknown_commands)
{
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IO(FDPBLK_IOCTL_MAGIC, 0x7f)));
	EXPECT_ERRNO(ENOTTY, ioctl(self->fd, _IOWR('X', 0x00, struct fdpblk_features)));
}

TEST_F(ctl, struct_sizes)
{
	struct {
		struct fdpblk_features f;
		__u64 extra;
	} big = { 0 };
	struct fdpblk_features f;

	/* Shorter than size + flags. */
	memset(&f, 0, sizeof(f));
	f.size = 4;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	/* An older, shorter struct is zero-extended and answered. */
	memset(&f, 0xff, sizeof(f));
	f.size = 8;
	f.flags = 0;
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
	EXPECT_EQ(0xffffffffffffffffULL, f.features);	/* not written */
	/* A longer one: trailing zeroes are fine, anything else is not. */
	big.f.size = sizeof(big);
	EXPECT_EQ(0, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &big));
	EXPECT_EQ((unsigned int)FDPBLK_ABI_VERSION, big.f.abi_version);
	EXPECT_NE(0ULL, big.f.features & FDPBLK_F_POLICY);
	big.f.flags = 0;
	big.extra = 1;
	EXPECT_ERRNO(E2BIG, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &big));
}

TEST_F(ctl, unknown_flags_and_reserved)
{
	struct fdpblk_features f = { .size = sizeof(f), .flags = 1 };
	struct fdpblk_remove r = { .size = sizeof(r), .dev_id = dev_id };
	struct fdpblk_create c = { .size = sizeof(c), .flags = 2,
				   .path = (uintptr_t)"/dev/null" };
	struct fdpblk_range_rank rr = { .start = 0, .nr_sectors = 8, .rank = 1,
					.reserved = 1 };
	struct fdpblk_range_ranks rh = { .size = sizeof(rh), .dev_id = dev_id,
					 .count = 1, .ranges = (uintptr_t)&rr };
	struct fdpblk_policy p = self->base;

	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_GET_FEATURES, &f));
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
	ch.count = FDPBLK_MAX_CGROUP_RANKS + 1;
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
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));	/* no path */
	c.path = (uintptr_t)"/dev/fdpblk-no-such-device";
	EXPECT_ERRNO(ENOENT, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.nr_streams = FDPBLK_MAX_STREAMS + 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.nr_streams = 0;
	c.dev_id = 1;		/* out only */
	EXPECT_ERRNO(EINVAL, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
	c.dev_id = 0;
	c.path = (uintptr_t)"/dev/null";
	EXPECT_ERRNO(ENOTBLK, ioctl(self->fd, FDPBLK_IOC_CREATE, &c));
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
	c.path = (uintptr_t)free_lower;
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
 * The device's total of cgroup ranks (FDPBLK_MAX_CGROUP_RANKS) holds for
 * real cgroups: that many in one batch are taken, one more is refused
 * with ENOSPC and changes nothing. Making 4097 cgroups takes minutes in
 * the TCG test VM: not the harness's default 30 s.
 */
TEST_F_TIMEOUT(ctl, cgroup_limit, 480)
{
	const unsigned int n = FDPBLK_MAX_CGROUP_RANKS;
	struct fdpblk_cgroup_ranks ch = { .size = sizeof(ch), .dev_id = dev_id };
	struct fdpblk_cgroup_rank *cr;
	char path[64];
	struct stat st;
	unsigned int i;

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
