// SPDX-License-Identifier: GPL-2.0
/*
 * fdp_io: the selftests' I/O generator. Writes or verifies a deterministic
 * pattern on a block device or file, carrying lifetime information the way
 * applications do:
 *
 *   fdp_io write  PATH OFFSET LEN [options]
 *   fdp_io verify PATH OFFSET LEN [options]
 *
 *   --mode direct|buffered|uring   O_DIRECT pwrite (default), buffered
 *                                  pwrite + fsync, or io_uring O_DIRECT
 *   --stream S                     io_uring sqe->write_stream (uring mode)
 *   --hint H                       F_SET_RW_HINT on the file first (reset to
 *                                  0 afterwards: the hint is sticky on a
 *                                  block device's inode)
 *   --bs BYTES                     I/O size (default 128 KiB)
 *   --atomic                       each write with RWF_ATOMIC (direct mode)
 *   --no-fsync                     no fsync after the writes (direct mode):
 *                                  the lower then sees the writes alone
 *   --seed N                       pattern seed (default 1)
 *   --from-cache OFF               write, not a pattern, the page cache of
 *                                  PATH itself from byte OFF on (a shared
 *                                  mapping of it; O_DIRECT or uring mode)
 *
 * OFFSET, LEN and BYTES take K, M and G suffixes. Exits 0 on success, 1 on
 * any error or mismatch, with one line saying what failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <linux/fs.h>		/* RWF_ATOMIC: the kernel's uapi, newer than glibc's */
#include <liburing.h>

#include "fdp_io.h"

enum mode { MODE_DIRECT, MODE_BUFFERED, MODE_URING };

struct job {
	const char *path;
	uint64_t off, len, bs;
	enum mode mode;
	int stream;
	int hint;
	uint64_t seed;
	int verify;
	int atomic;
	int no_fsync;
	int64_t cache_off;	/* -1: write the pattern */
};

static int die(const char *what, int err)
{
	fprintf(stderr, "fdp_io: %s: %s\n", what, strerror(err));
	exit(1);
}

static uint64_t parse_size(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die(s, EINVAL);
	switch (*end) {
	case 'K': case 'k': v <<= 10; end++; break;
	case 'M': case 'm': v <<= 20; end++; break;
	case 'G': case 'g': v <<= 30; end++; break;
	}
	if (*end)
		die(s, EINVAL);
	return v;
}

/* Each 8-byte word holds a function of the seed and its byte offset. */
static void fill(uint64_t *buf, uint64_t off, uint64_t len, uint64_t seed)
{
	uint64_t i;

	for (i = 0; i < len / 8; i++) {
		uint64_t x = (off + i * 8) ^ (seed * 0x9e3779b97f4a7c15ULL);

		x ^= x >> 31;
		x *= 0xbf58476d1ce4e5b9ULL;
		buf[i] = x ^ (x >> 29);
	}
}

/* Compare a block read back with the pattern; exit on a mismatch. */
static void check_block(const struct job *j, uint64_t pos, void *buf, void *cmp)
{
	fill(cmp, pos, j->bs, j->seed);
	if (memcmp(buf, cmp, j->bs)) {
		fprintf(stderr, "fdp_io: mismatch in [%" PRIu64 ", +%" PRIu64 ")\n",
			pos, j->bs);
		exit(1);
	}
}

static void set_hint(int fd, uint64_t hint)
{
	if (fcntl(fd, F_SET_RW_HINT, &hint))
		die("F_SET_RW_HINT", errno);
}

static void do_uring(const struct job *j, int fd, void *buf, void *cmp)
{
	struct io_uring ring;
	uint64_t pos;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (ret)
		die("io_uring_queue_init", -ret);
	for (pos = j->off; pos < j->off + j->len; pos += j->bs) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		struct io_uring_cqe *cqe;

		if (j->verify) {
			io_uring_prep_read(sqe, fd, buf, j->bs, pos);
		} else {
			if (j->cache_off < 0)
				fill(buf, pos, j->bs, j->seed);
			io_uring_prep_write(sqe, fd, buf, j->bs, pos);
			if (j->stream)
				fdp_sqe_set_write_stream(sqe, j->stream);
		}
		ret = io_uring_submit_and_wait(&ring, 1);
		if (ret < 0)
			die("io_uring_submit", -ret);
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret)
			die("io_uring_wait_cqe", -ret);
		if (cqe->res != (int)j->bs)
			die(j->verify ? "read" : "write",
			    cqe->res < 0 ? -cqe->res : EIO);
		io_uring_cqe_seen(&ring, cqe);
		if (j->verify)
			check_block(j, pos, buf, cmp);
	}
	io_uring_queue_exit(&ring);
}

static void do_sync(const struct job *j, int fd, void *buf, void *cmp)
{
	uint64_t pos;

	for (pos = j->off; pos < j->off + j->len; pos += j->bs) {
		struct iovec iov = { .iov_base = buf, .iov_len = j->bs };
		ssize_t n;

		if (j->verify) {
			n = pread(fd, buf, j->bs, pos);
		} else {
			if (j->cache_off < 0)
				fill(buf, pos, j->bs, j->seed);
			n = pwritev2(fd, &iov, 1, pos, j->atomic ? RWF_ATOMIC : 0);
		}
		if (n != (ssize_t)j->bs)
			die(j->verify ? "pread" : "pwrite", n < 0 ? errno : EIO);
		if (j->verify)
			check_block(j, pos, buf, cmp);
	}
	if (!j->verify && !j->no_fsync && fsync(fd))
		die("fsync", errno);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "stream", required_argument, NULL, 's' },
		{ "hint", required_argument, NULL, 'h' },
		{ "bs", required_argument, NULL, 'b' },
		{ "seed", required_argument, NULL, 'S' },
		{ "from-cache", required_argument, NULL, 'c' },
		{ "atomic", no_argument, NULL, 'a' },
		{ "no-fsync", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	struct job j = { .bs = 128 << 10, .seed = 1, .hint = -1, .cache_off = -1 };
	void *buf, *cmp;
	int c, fd, flags;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			if (!strcmp(optarg, "direct"))
				j.mode = MODE_DIRECT;
			else if (!strcmp(optarg, "buffered"))
				j.mode = MODE_BUFFERED;
			else if (!strcmp(optarg, "uring"))
				j.mode = MODE_URING;
			else
				die(optarg, EINVAL);
			break;
		case 's': j.stream = atoi(optarg); break;
		case 'h': j.hint = atoi(optarg); break;
		case 'b': j.bs = parse_size(optarg); break;
		case 'S': j.seed = parse_size(optarg); break;
		case 'c': j.cache_off = parse_size(optarg); break;
		case 'a': j.atomic = 1; break;
		case 'n': j.no_fsync = 1; break;
		default:
			fprintf(stderr, "usage: fdp_io write|verify PATH OFFSET LEN [options]\n");
			return 2;
		}
	}
	if (argc - optind != 4) {
		fprintf(stderr, "usage: fdp_io write|verify PATH OFFSET LEN [options]\n");
		return 2;
	}
	if (!strcmp(argv[optind], "verify"))
		j.verify = 1;
	else if (strcmp(argv[optind], "write"))
		die(argv[optind], EINVAL);
	j.path = argv[optind + 1];
	j.off = parse_size(argv[optind + 2]);
	j.len = parse_size(argv[optind + 3]);
	if (!j.bs || j.len % j.bs || j.bs % 4096)
		die("LEN must be a multiple of --bs, --bs of 4096", EINVAL);
	if (j.stream && j.mode != MODE_URING)
		die("--stream needs --mode uring", EINVAL);
	if ((j.atomic || j.no_fsync) && (j.verify || j.mode != MODE_DIRECT))
		die("--atomic, --no-fsync: writes in direct mode", EINVAL);
	if (j.cache_off >= 0 && (j.verify || j.mode == MODE_BUFFERED ||
				 j.cache_off % 4096))
		die("--from-cache: writes, O_DIRECT or uring, 4 KiB aligned", EINVAL);

	flags = j.verify ? O_RDONLY : O_WRONLY | O_CREAT;
	if (j.mode != MODE_BUFFERED)
		flags |= O_DIRECT;
	fd = open(j.path, flags, 0644);
	if (fd < 0)
		die(j.path, errno);
	if (posix_memalign(&buf, 4096, j.bs) || posix_memalign(&cmp, 4096, j.bs))
		die("posix_memalign", ENOMEM);
	if (j.cache_off >= 0) {
		int rfd = open(j.path, O_RDONLY);

		if (rfd < 0)
			die(j.path, errno);
		free(buf);
		buf = mmap(NULL, j.bs, PROT_READ, MAP_SHARED, rfd, j.cache_off);
		if (buf == MAP_FAILED)
			die("mmap", errno);
		close(rfd);
	}
	if (j.hint >= 0)
		set_hint(fd, j.hint);
	if (j.mode == MODE_URING)
		do_uring(&j, fd, buf, cmp);
	else
		do_sync(&j, fd, buf, cmp);
	if (j.hint > 0)
		set_hint(fd, 0);
	close(fd);
	if (j.cache_off >= 0)
		munmap(buf, j.bs);
	else
		free(buf);
	free(cmp);
	return 0;
}
