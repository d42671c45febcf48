/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgroup v2 as fdpctl uses it: a cgroup's path and id (what cgroup ranks
 * are keyed by), and the files run writes. Nothing here prints.
 */
#ifndef FDPCTL_CGROUP_H
#define FDPCTL_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#define CGROUP_ROOT	"/sys/fs/cgroup"

/* The path of a cgroup given absolute, or relative to CGROUP_ROOT. */
void cgroup_path(const char *arg, char *path, size_t len);

/* The id of the cgroup at @path: 0, or -1 if it is no cgroup v2 directory. */
int cgroup_id(const char *path, __u64 *id);

/* The path of cgroup @id below CGROUP_ROOT, malloc'ed; NULL if none. */
char *cgroup_id_path(__u64 id);

/*
 * The id of the parent of cgroup @id on this host: 0 if @id is the root or
 * no cgroup below CGROUP_ROOT.
 */
__u64 cgroup_parent_id(__u64 id);

/*
 * Cut @path, a cgroup's below CGROUP_ROOT, to its parent's, and return the
 * parent's id: 0 (and @path unchanged) when @path is CGROUP_ROOT or not
 * below it, or 0 when the parent is no cgroup.
 */
__u64 cgroup_path_up(char *path);

/* Write @val to the cgroup file @dir/@file: 0 or -errno. */
int cgroup_write(const char *dir, const char *file, const char *val);

/*
 * Whether @dir's @file lists controller @c: "cgroup.controllers" (it may
 * give @c to its children) or "cgroup.subtree_control" (it does).
 */
bool cgroup_has_controller(const char *dir, const char *file, const char *c);

/*
 * The cgroup v2 directory of the calling process, from /proc/self/cgroup
 * (its "0::" line), below CGROUP_ROOT: 0 or a negative errno.
 */
int cgroup_self(char *path, size_t len);

#endif /* FDPCTL_CGROUP_H */
