// SPDX-License-Identifier: GPL-2.0
/*
 * cgroup v2, as rank and run use it. Nothing here prints: functions return
 * 0 or a negative errno (-1 where only "not a cgroup" can go wrong).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <linux/magic.h>

#include "cgroup.h"
#include "dev.h"

void cgroup_path(const char *arg, char *path, size_t len)
{
	if (arg[0] == '/')
		snprintf(path, len, "%s", arg);
	else
		snprintf(path, len, CGROUP_ROOT "/%s", arg);
}

/* In cgroup v2 a cgroup's id is the inode number of its directory. */
int cgroup_id(const char *path, __u64 *id)
{
	struct statfs sfs;
	struct stat st;

	if (stat(path, &st) || !S_ISDIR(st.st_mode) || statfs(path, &sfs) ||
	    sfs.f_type != CGROUP2_SUPER_MAGIC)
		return -1;
	*id = st.st_ino;
	return 0;
}

/* nftw() takes no argument for its callback: what it looks for, found. */
static __u64 find_id;
static char *found_path;

static int find_cgroup(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	(void)ftw;
	if (flag != FTW_D || st->st_ino != find_id)
		return 0;
	found_path = strdup(path);
	return 1;
}

char *cgroup_id_path(__u64 id)
{
	found_path = NULL;
	find_id = id;
	nftw(CGROUP_ROOT, find_cgroup, 16, FTW_PHYS | FTW_MOUNT);
	return found_path;
}

__u64 cgroup_path_up(char *path)
{
	__u64 parent;

	/* Below the root, the last slash is at or after the root's end. */
	if (strncmp(path, CGROUP_ROOT "/", sizeof(CGROUP_ROOT)))
		return 0;
	*strrchr(path, '/') = '\0';
	return cgroup_id(path, &parent) ? 0 : parent;
}

__u64 cgroup_parent_id(__u64 id)
{
	char *path = cgroup_id_path(id);
	__u64 parent;

	if (!path)
		return 0;
	parent = cgroup_path_up(path);
	free(path);
	return parent;
}

/* Write @val to a cgroup file; 0 or -errno. */
int cgroup_write(const char *dir, const char *file, const char *val)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return sysfs_write(path, val);
}

bool cgroup_has_controller(const char *dir, const char *file, const char *c)
{
	char path[4096], buf[512], *tok, *save;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (sysfs_read(path, buf, sizeof(buf)))
		return false;
	for (tok = strtok_r(buf, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
		if (!strcmp(tok, c))
			return true;
	return false;
}

int cgroup_self(char *path, size_t len)
{
	char line[4096];
	size_t n;
	FILE *f;
	int ret = -ENOENT;

	f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		/* cgroup v2's line: hierarchy 0, no controllers. */
		if (strncmp(line, "0::/", 4))
			continue;
		n = strcspn(line, "\n");
		line[n] = '\0';
		/* "/": the root (of our cgroup namespace, which is the mount's). */
		snprintf(path, len, "%s%s", CGROUP_ROOT, n > 4 ? line + 3 : "");
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
