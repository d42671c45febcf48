// SPDX-License-Identifier: GPL-2.0
/*
 * The module and its devices: features, create, remove, revalidate.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ctl.h"
#include "parse.h"

int cmd_features(int argc, char **argv)
{
	struct fdpblk_features f;
	int ctl, ret;

	if (parse_args(argc, argv, 0, NULL, NULL) < 0)
		return 2;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = fdpblk_get_features(ctl, &f);
	if (ret)
		return fail("GET_FEATURES", -ret);
	out->features(&f);
	return 0;
}

/* Whether the block device at @path is zoned, by its queue/zoned. */
static bool is_zoned(const char *path)
{
	char real[PATH_MAX], attr[PATH_MAX + 64], buf[32];
	const char *name;

	if (!realpath(path, real))
		return false;
	name = strrchr(real, '/');
	snprintf(attr, sizeof(attr), "/sys/class/block/%s/queue/zoned",
		 name ? name + 1 : real);
	return !sysfs_read(attr, buf, sizeof(buf)) && strcmp(buf, "none");
}

static int explain_create(const char *lower, const char *name, int err)
{
	static const struct err_msg msgs[] = {
		{ ENOENT, "no such device" },
		{ EBUSY, "in use (mounted or claimed by another driver)" },
		{ ENOTBLK, "not a block device" },
		{ 0 },
	};

	if (err == EEXIST) {
		errorf(0, "--name %s: an fdpblk device of that name exists",
			name);
		return 1;
	}
	if (err == EOPNOTSUPP) {
		if (is_zoned(lower))
			errorf(0, "%s: a zoned device: fdpblk does not stack on zoned devices",
				lower);
		else
			errorf(0, "%s: no FDP write streams: use --passthrough to create anyway (see dmesg)",
				lower);
		return 1;
	}
	if (explain_errno(lower, err, msgs))
		return 1;
	return explain_ioctl(lower, "create", err);
}

struct create_opts {
	unsigned int streams;
	uint32_t flags;
	const char *name;
};

static int create_opt(int c, const char *arg, void *data)
{
	struct create_opts *o = data;
	unsigned long v;

	if (c == 'p') {
		o->flags |= FDPBLK_CREATE_F_PASSTHROUGH;
		return 0;
	}
	if (c == 'n') {
		if (!fdpblk_valid_name(arg)) {
			errorf(0, "--name %s: 1..%d characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, not fdpblk<digits>",
				arg, FDPBLK_NAME_LEN - 1);
			return -1;
		}
		o->name = arg;
		return 0;
	}
	if (parse_uint(arg, FDPBLK_MAX_STREAMS, &v) || !v) {
		errorf(0, "--streams %s: must be 1..%d", arg,
			FDPBLK_MAX_STREAMS);
		return -1;
	}
	o->streams = v;
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct fdpblk_info d;
	unsigned int id;
	int ctl, ret, idx;

	idx = parse_args(argc, argv, 1, create_opt, &o);
	if (idx < 0)
		return 2;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = fdpblk_create(ctl, argv[idx], o.name, o.streams, o.flags, &id);
	if (ret)
		return explain_create(argv[idx], o.name, -ret);
	/* Removed meanwhile (it is not ours alone): its path is still news. */
	if (fdpblk_info(id, &d)) {
		memset(&d, 0, sizeof(d));
		d.id = id;
		snprintf(d.name, sizeof(d.name), "fdpblk%u", id);
	} else {
		lower_changed(d.lower);
	}
	out->device(&d, "create");
	return 0;
}

/* A command that takes one device and makes one ioctl on it. */
struct dev_op {
	const char *what;
	int (*fn)(int ctl, unsigned int dev_id);
	int err;		/* an errno with a message of its own */
	const char *err_msg;
};

static int run_dev_op(int argc, char **argv, const struct dev_op *op)
{
	struct fdpblk_info d;
	int ctl, ret, idx;

	idx = parse_args(argc, argv, 1, NULL, NULL);
	if (idx < 0)
		return 2;
	if (dev_arg(argv[idx], &d))
		return 1;
	ctl = open_control();
	if (ctl < 0)
		return 1;
	ret = op->fn(ctl, d.id);
	if (ret == -op->err) {
		errorf(0, "%s: %s", argv[idx], op->err_msg);
		return 1;
	}
	if (ret)
		return explain_ioctl(argv[idx], op->what, -ret);
	if (op->fn == fdpblk_remove)
		lower_changed(d.lower);
	else if (dev_arg(argv[idx], &d))	/* as revalidated */
		return 1;
	out->device(&d, op->what);
	return 0;
}

int cmd_remove(int argc, char **argv)
{
	static const struct dev_op op = {
		"remove", fdpblk_remove, EBUSY, "in use (open or mounted)",
	};

	return run_dev_op(argc, argv, &op);
}

int cmd_revalidate(int argc, char **argv)
{
	static const struct dev_op op = {
		"revalidate", fdpblk_revalidate, ENODEV,
		"the lower device is gone",
	};

	return run_dev_op(argc, argv, &op);
}
