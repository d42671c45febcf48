/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The plain text trace that fdpctl model reads (and fdpctl trace --text
 * prints): one I/O a line, 512-byte sectors, '#' starts a comment.
 *
 *	w SECTOR SECTORS [hint=H] [stream=S] [meta=1] [cgroup=ID] [ph=P]
 *	d SECTOR SECTORS	a discard or write-zeroes
 *	c ID PARENT		cgroup ID is a child of cgroup PARENT
 *
 * H is an RWH_WRITE_LIFE_* value 0..5, S a stream of the fdpblk device
 * 0..255, ID a cgroup id (0: none), P the ph fdpblk chose 0..255. Fields
 * may come in any order, each at most once. A c line keeps the ancestry
 * of a trace's cgroups with it (fdpctl trace writes one for a cgroup and
 * each of its ancestors before the first write that names it), so that a
 * cgroup rank on an ancestor classifies the writes of cgroups since gone,
 * or of another host; a cgroup's parent may be given once. Nothing here
 * prints: errors come back as "NAME:LINE: why".
 */
#ifndef FDPCTL_TRACEFILE_H
#define FDPCTL_TRACEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TRACEFILE_ERR_LEN	256

struct trace_io {
	bool discard;		/* d: discard or write-zeroes; else w */
	bool meta;
	bool has_ph;		/* ph= given */
	uint8_t hint;
	uint8_t stream;
	uint8_t ph;
	uint32_t nr_sectors;
	uint64_t sector;
	uint64_t cgroup;	/* 0: none */
};

struct trace_cgroup {
	uint64_t id, parent;
};

/* Cgroup ids with their parents, sorted by id (the reader's c lines). */
struct trace_cgroups {
	struct trace_cgroup *v;
	size_t n, cap;
};

/* The entry of @id in @s, or NULL. */
const struct trace_cgroup *trace_cgroups_find(const struct trace_cgroups *s,
					       uint64_t id);
/* Add @id, which @s does not have, with @parent: 0, or -1 (no memory). */
int trace_cgroups_add(struct trace_cgroups *s, uint64_t id, uint64_t parent);
void trace_cgroups_free(struct trace_cgroups *s);

struct trace_reader {
	FILE *f;
	const char *name;
	unsigned long line;
	char *buf;
	size_t cap;
	struct trace_cgroups cg;	/* the c lines read so far */
};

void trace_open(struct trace_reader *r, FILE *f, const char *name);
/*
 * The next I/O: 1, 0 at the end, or -1 with "NAME:LINE: why" in @err
 * (TRACEFILE_ERR_LEN bytes).
 */
int trace_next(struct trace_reader *r, struct trace_io *io, char *err);
void trace_close(struct trace_reader *r);	/* frees; does not close f */

/* The parent of cgroup @id by the c lines read so far: 1, or 0 if none. */
int trace_cgroup_parent(const struct trace_reader *r, uint64_t id,
			uint64_t *parent);

/*
 * @io as one line of the text trace, newline included, in @buf (@len
 * bytes; TRACE_IO_LINE_MAX holds any line): the one writer of the format,
 * for fdpctl trace and the tests. Its length.
 */
#define TRACE_IO_LINE_MAX	128
int trace_line(const struct trace_io *io, char *buf, size_t len);
/* @io as a line of @f. */
void trace_write(FILE *f, const struct trace_io *io);
/* The c line of cgroup @id, child of @parent, in @buf; its length. */
int trace_cgroup_line(uint64_t id, uint64_t parent, char *buf, size_t len);

#endif /* FDPCTL_TRACEFILE_H */
