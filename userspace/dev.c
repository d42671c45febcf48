// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk devices and NVMe namespaces from sysfs.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/fdpblk.h>

#include "dev.h"

int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

int sysfs_write(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int sysfs_u64(const char *path, uint64_t *v)
{
	char buf[64], *end;
	int ret;

	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*v = strtoull(buf, &end, 10);
	return errno || *end || end == buf ? -EPROTO : 0;
}

static int fdpblk_attr_u64(unsigned int id, const char *attr, uint64_t *v)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/%s", id, attr);
	return sysfs_u64(path, v);
}

int fdpblk_info(unsigned int id, struct fdpblk_info *d)
{
	char path[PATH_MAX];
	uint64_t v[6];
	int ret;

	memset(d, 0, sizeof(*d));
	d->id = id;
	snprintf(d->name, sizeof(d->name), "fdpblk%u", id);
	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/lower", id);
	ret = sysfs_read(path, d->lower, sizeof(d->lower));
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/name", id);
	ret = sysfs_read(path, d->dev_name, sizeof(d->dev_name));
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	if ((ret = fdpblk_attr_u64(id, "max_ph", &v[0])) ||
	    (ret = fdpblk_attr_u64(id, "nr_streams", &v[1])) ||
	    (ret = fdpblk_attr_u64(id, "passthrough", &v[2])) ||
	    (ret = fdpblk_attr_u64(id, "policy_version", &v[3])) ||
	    (ret = fdpblk_attr_u64(id, "nr_range_ranks", &v[4])) ||
	    (ret = fdpblk_attr_u64(id, "nr_cgroup_ranks", &v[5])))
		return ret == -ENOENT ? -ENODEV : ret;
	d->lim.max_ph = v[0];
	d->lim.nr_streams = v[1];
	d->passthrough = v[2];
	d->policy_version = v[3];
	d->nr_range_ranks = v[4];
	d->nr_cgroup_ranks = v[5];
	return 0;
}

/*
 * The names in /sys/block that @match accepts, in @cmp's order; *out is
 * malloc'ed, caller frees.
 */
static int block_names(bool (*match)(const char *name),
		       int (*cmp)(const void *, const void *),
		       char (**out)[DEV_NAME_LEN], unsigned int *nr)
{
	char (*names)[DEV_NAME_LEN] = NULL, (*tmp)[DEV_NAME_LEN];
	unsigned int n = 0;
	struct dirent *de;
	DIR *dir;

	dir = opendir("/sys/block");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (!match(de->d_name))
			continue;
		tmp = realloc(names, (n + 1) * sizeof(*names));
		if (!tmp) {
			free(names);
			closedir(dir);
			return -ENOMEM;
		}
		names = tmp;
		snprintf(names[n++], DEV_NAME_LEN, "%.*s", DEV_NAME_LEN - 1,
			 de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp);
	*out = names;
	*nr = n;
	return 0;
}

int fdpblk_disk_id(const char *name)
{
	const char *d = name + 6;
	size_t n;

	/* Digits only, as the kernel names disks: no blank, sign or 0 first. */
	if (strncmp(name, "fdpblk", 6))
		return -1;
	n = strspn(d, "0123456789");
	if (!n || d[n] || (d[0] == '0' && n > 1) || n > 7 ||
	    strtoul(d, NULL, 10) > 1U << 20)
		return -1;
	return strtoul(d, NULL, 10);
}

bool fdpblk_valid_name(const char *name)
{
	size_t len = strlen(name), i;

	if (!len || len >= FDPBLK_NAME_LEN || !isalnum((unsigned char)name[0]))
		return false;
	for (i = 1; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
			return false;
	return !(len > 6 && !strncmp(name, "fdpblk", 6) &&
		 strspn(name + 6, "0123456789") == len - 6);
}

static bool is_fdpblk(const char *name)
{
	return fdpblk_disk_id(name) >= 0;
}

static int cmp_fdpblk(const void *a, const void *b)
{
	unsigned int x = strtoul((const char *)a + 6, NULL, 10);
	unsigned int y = strtoul((const char *)b + 6, NULL, 10);

	return x < y ? -1 : x > y;
}

int fdpblk_list(struct fdpblk_info **out, unsigned int *nr)
{
	char (*names)[DEV_NAME_LEN];
	struct fdpblk_info *d;
	unsigned int n, i, k = 0;
	int ret;

	ret = block_names(is_fdpblk, cmp_fdpblk, &names, &n);
	if (ret)
		return ret;
	d = calloc(n ? n : 1, sizeof(*d));
	if (!d) {
		free(names);
		return -ENOMEM;
	}
	/* A device removed meanwhile is simply not listed. */
	for (i = 0; i < n; i++)
		if (!fdpblk_info(strtoul(names[i] + 6, NULL, 10), &d[k]))
			k++;
	free(names);
	*out = d;
	*nr = k;
	return 0;
}

int fdpblk_stat(unsigned int id, const char *attr, uint64_t *v,
		unsigned int max, unsigned int *nr)
{
	char path[PATH_MAX], buf[8192], *s, *end;
	unsigned int n = 0;
	int ret;

	snprintf(path, sizeof(path), "/sys/block/fdpblk%u/fdpblk/%s", id, attr);
	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret == -ENOENT ? -ENODEV : ret;
	for (s = buf; *s && n < max; s = end) {
		errno = 0;
		v[n++] = strtoull(s, &end, 10);
		if (errno || end == s)
			return -EPROTO;
	}
	*nr = n;
	return 0;
}

/* nvmeXnY, not a multipath path's hidden nvmeXcYnZ */
static bool is_ns(const char *name)
{
	unsigned int c, n;
	int end = 0;

	return sscanf(name, "nvme%un%u%n", &c, &n, &end) == 2 && !name[end];
}

static int cmp_ns(const void *a, const void *b)
{
	unsigned int c1, n1, c2, n2;

	sscanf(a, "nvme%un%u", &c1, &n1);
	sscanf(b, "nvme%un%u", &c2, &n2);
	if (c1 != c2)
		return c1 < c2 ? -1 : 1;
	return n1 < n2 ? -1 : n1 > n2;
}

int ns_list(char (**out)[DEV_NAME_LEN], unsigned int *nr)
{
	return block_names(is_ns, cmp_ns, out, nr);
}

int ns_queue_info(const char *name, struct ns_queue_info *q)
{
	char path[PATH_MAX];
	struct dirent *de;
	uint64_t v;
	DIR *dir;
	int ret;

	memset(q, 0, sizeof(*q));
	snprintf(path, sizeof(path), "/sys/block/%s/queue/logical_block_size", name);
	ret = sysfs_u64(path, &v);
	if (ret)
		return ret;
	q->lbsize = v;
	snprintf(path, sizeof(path), "/sys/block/%s/size", name);
	if (!sysfs_u64(path, &v))
		q->bytes = v * 512;
	/* Kernels without write streams lack the attribute: 0. */
	snprintf(path, sizeof(path), "/sys/block/%s/queue/max_write_streams", name);
	if (!sysfs_u64(path, &v))
		q->max_write_streams = v;
	snprintf(path, sizeof(path), "/sys/block/%s/holders", name);
	dir = opendir(path);
	if (dir) {
		while ((de = readdir(dir))) {
			if (!strncmp(de->d_name, "fdpblk", 6)) {
				snprintf(q->holder, sizeof(q->holder), "%.*s",
					 DEV_NAME_LEN - 1, de->d_name);
				break;
			}
		}
		closedir(dir);
	}
	return 0;
}

int fdpblk_resolve(const char *arg)
{
	char real[PATH_MAX];
	struct fdpblk_info *d;
	unsigned int n, i;
	int id, ret;

	if (strchr(arg, '/')) {
		/*
		 * A path: what it resolves to (/dev/fdpblk/NAME, a link in
		 * /dev/disk/by-id, /dev//fdpblk1) must be /dev/fdpblkN. One
		 * that does not exist names a device only when it is written
		 * /dev/fdpblkN, so that a removed device is said to be absent.
		 */
		if (realpath(arg, real))
			id = strncmp(real, "/dev/", 5) ? -1 : fdpblk_disk_id(real + 5);
		else
			id = strncmp(arg, "/dev/", 5) ? -1 : fdpblk_disk_id(arg + 5);
		return id >= 0 ? id : -EINVAL;
	}
	id = fdpblk_disk_id(arg);
	if (id >= 0)
		return id;
	/* fdpblk01, "fdpblk 1", fdpblk+1: no device has such a name. */
	if (!fdpblk_valid_name(arg))
		return -EINVAL;
	ret = fdpblk_list(&d, &n);
	if (ret)
		return ret;
	ret = -ENODEV;
	for (i = 0; i < n; i++)
		if (!strcmp(d[i].dev_name, arg))
			ret = d[i].id;
	free(d);
	return ret;
}

int fdpblk_partition(const char *arg, unsigned int *id, uint64_t *start,
		     uint64_t *sectors)
{
	char real[PATH_MAX], path[PATH_MAX + 64], parent[PATH_MAX];
	const char *name, *disk;
	int ret, n;

	if (!realpath(arg, real) || strncmp(real, "/dev/", 5))
		return -EINVAL;
	name = real + 5;
	snprintf(path, sizeof(path), "/sys/class/block/%s/partition", name);
	if (access(path, F_OK))
		return -EINVAL;
	/* The partition's sysfs directory is under its disk's. */
	snprintf(path, sizeof(path), "/sys/class/block/%s/..", name);
	if (!realpath(path, parent))
		return -EINVAL;
	disk = strrchr(parent, '/');
	disk = disk ? disk + 1 : parent;
	n = fdpblk_disk_id(disk);
	if (n < 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/sys/class/block/%s/start", name);
	ret = sysfs_u64(path, start);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "/sys/class/block/%s/size", name);
	ret = sysfs_u64(path, sectors);
	if (ret)
		return ret;
	*id = n;
	return 0;
}
