// SPDX-License-Identifier: GPL-2.0
/*
 * bench_ctl: what the benchmark needs from /dev/fdpblk-control faster
 * than fdpctl can do it one process at a time.
 *
 *   bench_ctl ranks DEV_ID N
 *	set N range ranks in one SET_RANGE_RANKS call, rank i for range i:
 *	contiguous equal ranges from sector 0 that tile the device, each a
 *	multiple of 128 KiB where it can be (else of 4 KiB), so that aligned
 *	I/O up to that size never crosses a boundary and every such write is
 *	placed by a range lookup; prints "setting N range ranks" before
 *	the call and "set N range ranks" after it
 *
 *   bench_ctl churn DEV_ID SECONDS PERIOD_US
 *	for SECONDS, every PERIOD_US push a new policy (two tables, in
 *	turn; on a pass-through device they differ in the metadata chunk
 *	only) and set or clear a range rank; prints "policies N ranks N
 *	errors N" and exits 1 if any call failed
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/fdpblk.h>

static int die(const char *what, int err)
{
	fprintf(stderr, "bench_ctl: %s: %s\n", what, strerror(err));
	exit(1);
}

static uint64_t dev_sectors(unsigned int id)
{
	char path[64];
	uint64_t bytes;
	int fd;

	snprintf(path, sizeof(path), "/dev/fdpblk%u", id);
	fd = open(path, O_RDONLY);
	if (fd < 0 || ioctl(fd, BLKGETSIZE64, &bytes))
		die(path, errno);
	close(fd);
	return bytes >> 9;
}

static int set_ranges(int ctl, unsigned long cmd, unsigned int id,
		      struct fdpblk_range_rank *r, unsigned int n)
{
	struct fdpblk_range_ranks h = {
		.size = sizeof(h), .dev_id = id, .count = n,
		.ranges = (uintptr_t)r,
	};

	return ioctl(ctl, cmd, &h) ? -errno : 0;
}

static int cmd_ranks(int ctl, unsigned int id, unsigned int n)
{
	uint64_t step = dev_sectors(id) / n;
	struct fdpblk_range_rank *r = calloc(n, sizeof(*r));
	unsigned int i;
	int ret;

	if (!r)
		die("calloc", ENOMEM);
	step &= step >= 256 ? ~255ULL : ~7ULL;
	if (!step)
		die("ranks: too many for the device", EINVAL);
	for (i = 0; i < n; i++) {
		r[i].start = i * step;
		r[i].nr_sectors = step;
		r[i].rank = i;
	}
	/* The test of lock hold times waits for the first line. */
	printf("setting %u range ranks\n", n);
	fflush(stdout);
	ret = set_ranges(ctl, FDPBLK_IOC_SET_RANGE_RANKS, id, r, n);
	free(r);
	if (ret)
		die("SET_RANGE_RANKS", -ret);
	printf("set %u range ranks\n", n);
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The device's handles (sysfs max_ph): 0 for a pass-through device. */
static unsigned int max_ph(unsigned int id)
{
	char path[64], buf[16] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/max_ph", id);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		die(path, errno);
	close(fd);
	return strtoul(buf, NULL, 10);
}

static int cmd_churn(int ctl, unsigned int id, double seconds, long period_us)
{
	struct fdpblk_policy p[2];
	struct fdpblk_range_rank r = { .nr_sectors = 2048 };
	struct timespec pause = { 0, period_us * 1000 };
	unsigned long policies = 0, ranks = 0, errors = 0, i;
	double end = now() + seconds;

	memset(&p[0], 0, sizeof(p[0]));
	p[0].size = sizeof(p[0]);
	p[0].dev_id = id;
	if (ioctl(ctl, FDPBLK_IOC_GET_POLICY, &p[0]))
		die("GET_POLICY", errno);
	/*
	 * The second table: the default ph and the data pool reversed, and
	 * the metadata chunk halved or doubled (all a pass-through device,
	 * with no handle but 0, can change).
	 */
	p[1] = p[0];
	if (max_ph(id))
		p[1].default_ph = p[0].default_ph ? 0 : 1;
	p[1].meta_chunk_kib = p[0].meta_chunk_kib > 4 ? p[0].meta_chunk_kib / 2 :
				p[0].meta_chunk_kib * 2;
	for (i = 0; i < p[0].data_pool_len; i++)
		p[1].data_pool[i] = p[0].data_pool[p[0].data_pool_len - 1 - i];

	for (i = 0; now() < end; i++) {
		struct fdpblk_policy *q = &p[i & 1];

		q->flags = 0;
		if (ioctl(ctl, FDPBLK_IOC_SET_POLICY, q))
			errors++;
		else
			policies++;
		/* A range rank set on odd rounds, cleared on even ones. */
		r.start = ((i + 1) / 2 % 64) * 4096;
		r.rank = i & 1 ? (unsigned int)i : 0;
		if (set_ranges(ctl, i & 1 ? FDPBLK_IOC_SET_RANGE_RANKS :
			       FDPBLK_IOC_CLEAR_RANGE_RANKS, id, &r, 1))
			errors++;
		else
			ranks++;
		nanosleep(&pause, NULL);
	}
	printf("policies %lu ranks %lu errors %lu\n", policies, ranks, errors);
	return errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	int ctl;

	if (argc < 4 || (strcmp(argv[1], "ranks") && strcmp(argv[1], "churn")) ||
	    (!strcmp(argv[1], "churn") && argc != 5)) {
		fprintf(stderr, "usage: bench_ctl ranks DEV_ID N | churn DEV_ID SECONDS PERIOD_US\n");
		return 2;
	}
	ctl = open("/dev/" FDPBLK_CONTROL_NAME, O_RDWR);
	if (ctl < 0)
		die("/dev/" FDPBLK_CONTROL_NAME, errno);
	if (!strcmp(argv[1], "ranks"))
		return cmd_ranks(ctl, atoi(argv[2]), strtoul(argv[3], NULL, 0));
	return cmd_churn(ctl, atoi(argv[2]), atof(argv[3]), atol(argv[4]));
}
