// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk control device: the ioctls of /dev/fdpblk-control.
 */
#include <linux/capability.h>
#include <linux/ctype.h>
#include <linux/file.h>
#include <linux/nospec.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fdpblk.h"

/* Every feature this module implements: every FDPBLK_F_* must be listed. */
#define FDPBLK_FEATURES_ALL	(FDPBLK_F_CONTROL | FDPBLK_F_CREATE | \
				 FDPBLK_F_POLICY | FDPBLK_F_RANGE_RANKS | \
				 FDPBLK_F_CGROUP_RANKS | FDPBLK_F_REVALIDATE)

/*
 * Argument structs come in with copy_struct_from_user(): the dispatcher has
 * checked @usize against the command's minimum; a shorter struct is
 * zero-extended, a longer one must have zeroes beyond ours (-E2BIG). They go
 * out no longer than the caller's @usize.
 */
static int fdpblk_copy_out(void __user *uarg, const void *karg, size_t ksize,
			   u32 usize)
{
	return copy_to_user(uarg, karg, min_t(size_t, ksize, usize)) ?
		-EFAULT : 0;
}

static int fdpblk_ctl_get_features(void __user *argp, u32 usize,
				   unsigned int nr)
{
	struct fdpblk_features f;
	int ret;

	ret = copy_struct_from_user(&f, sizeof(f), argp, usize);
	if (ret)
		return ret;
	if (f.flags)
		return -EINVAL;
	f.features = FDPBLK_FEATURES_ALL;
	f.abi_version = FDPBLK_ABI_VERSION;
	f.max_streams = FDPBLK_MAX_STREAMS;
	f.max_range_ranks = fdpblk_max_range_ranks;
	f.max_cgroup_ranks = fdpblk_max_cgroup_ranks;
	return fdpblk_copy_out(argp, &f, sizeof(f), usize);
}

/*
 * A name from CREATE: NUL-terminated in its field with zeroes after, and
 * usable as a file name (udev makes /dev/fdpblk/NAME of it). "" asks for the
 * default; "fdpblk<digits>" is kept for the defaults, so that no default
 * can ever be taken.
 */
static int fdpblk_check_name(const char *name, size_t room)
{
	size_t i, len = strnlen(name, room);

	if (len == room || memchr_inv(name + len, 0, room - len))
		return -EINVAL;
	if (!len)
		return 0;
	/* ASCII only: the kernel's isalnum() takes Latin-1 letters too. */
	if (!isascii(name[0]) || !isalnum(name[0]))
		return -EINVAL;
	for (i = 1; i < len; i++)
		if (!isascii(name[i]) ||
		    (!isalnum(name[i]) && !strchr("._-", name[i])))
			return -EINVAL;
	if (!strncmp(name, "fdpblk", 6) && len > 6 &&
	    strspn(name + 6, "0123456789") == len - 6)
		return -EINVAL;
	return 0;
}

/* The block device that a CREATE's file descriptor is open on. */
static int fdpblk_lower_from_fd(int lower_fd, dev_t *dev)
{
	CLASS(fd, f)(lower_fd);
	struct inode *inode;

	if (fd_empty(f))
		return -EBADF;
	inode = file_inode(fd_file(f));
	if (!S_ISBLK(inode->i_mode))
		return -ENOTBLK;
	/* The caller could not write it: neither may it make us write it. */
	if (!(fd_file(f)->f_mode & FMODE_WRITE))
		return -EBADF;
	*dev = inode->i_rdev;
	return 0;
}

static int fdpblk_ctl_create(void __user *argp, u32 usize, unsigned int nr)
{
	struct fdpblk_create c;
	dev_t lower;
	int ret, id;

	ret = copy_struct_from_user(&c, sizeof(c), argp, usize);
	if (ret)
		return ret;
	if (c.flags & ~FDPBLK_CREATE_F_PASSTHROUGH || c.dev_id ||
	    c.reserved || c.nr_streams > FDPBLK_MAX_STREAMS)
		return -EINVAL;
	ret = fdpblk_check_name(c.name, sizeof(c.name));
	if (ret)
		return ret;
	ret = fdpblk_lower_from_fd(c.lower_fd, &lower);
	if (ret)
		return ret;
	ret = fdpblk_create_dev(lower, c.name, c.nr_streams, c.flags, &id);
	if (ret)
		return ret;
	c.dev_id = id;
	ret = fdpblk_copy_out(argp, &c, sizeof(c), usize);
	/* A device nobody learnt the id of would be stuck: take it back. */
	if (ret)
		fdpblk_remove_dev(id, true);
	return ret;
}

/* REMOVE and REVALIDATE take the same struct: a device id and no flags. */
static_assert(sizeof(struct fdpblk_remove) == sizeof(struct fdpblk_revalidate));
static_assert(offsetof(struct fdpblk_remove, dev_id) ==
	      offsetof(struct fdpblk_revalidate, dev_id));

static int fdpblk_copy_dev_id(void __user *argp, u32 usize, u32 *dev_id)
{
	struct fdpblk_remove r;
	int ret;

	ret = copy_struct_from_user(&r, sizeof(r), argp, usize);
	if (ret)
		return ret;
	if (r.flags || r.reserved)
		return -EINVAL;
	*dev_id = r.dev_id;
	return 0;
}

static int fdpblk_ctl_remove(void __user *argp, u32 usize, unsigned int nr)
{
	u32 dev_id;
	int ret;

	ret = fdpblk_copy_dev_id(argp, usize, &dev_id);
	return ret ? ret : fdpblk_remove_dev(dev_id, false);
}

static int fdpblk_ctl_revalidate(void __user *argp, u32 usize,
				 unsigned int nr)
{
	struct fdpblk_dev *fd;
	u32 dev_id;
	int ret;

	ret = fdpblk_copy_dev_id(argp, usize, &dev_id);
	if (ret)
		return ret;
	fd = fdpblk_get_dev(dev_id);
	if (!fd)
		return -ENODEV;
	ret = fdpblk_revalidate(fd);
	fdpblk_put_dev(fd);
	return ret;
}

/*
 * SET_POLICY's last step: publish @new and tell the caller its version in
 * @p at @argp. The answer is written first, under fd->lock, so that a
 * struct that cannot be written back (read-only, unmapped) fails the call
 * with the policy unchanged. No user page fault is taken under the lock:
 * the struct is faulted in before it and copied with faults disabled, and
 * if its page went away in between, the whole step is tried again.
 */
static int fdpblk_ctl_policy_publish(struct fdpblk_dev *fd,
				     struct fdpblk_policy_table *new,
				     struct fdpblk_policy *p,
				     void __user *argp, u32 usize)
{
	u64 expect = p->version, cur;
	int ret;

	for (;;) {
		if (fault_in_safe_writeable(argp, min_t(size_t, sizeof(*p), usize))) {
			ret = -EFAULT;
			break;
		}
		mutex_lock(&fd->lock);
		cur = fdpblk_policy_version(fd);
		if ((p->flags & FDPBLK_POLICY_F_IF_VERSION) && expect != cur) {
			mutex_unlock(&fd->lock);
			ret = -ESTALE;
			break;
		}
		p->version = cur + 1;
		pagefault_disable();
		ret = fdpblk_copy_out(argp, p, sizeof(*p), usize);
		pagefault_enable();
		if (!ret) {
			fdpblk_policy_replace(fd, new);
			mutex_unlock(&fd->lock);
			return 0;
		}
		mutex_unlock(&fd->lock);
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			break;
		}
	}
	kfree(new);
	return ret;
}

/* GET_POLICY and SET_POLICY: the same struct in and out. */
static int fdpblk_ctl_policy(void __user *argp, u32 usize, unsigned int nr)
{
	bool set = nr == FDPBLK_CMD_SET_POLICY;
	struct fdpblk_policy_table *new;
	struct fdpblk_policy *p;
	struct fdpblk_dev *fd;
	int ret;

	p = kmalloc_obj(*p, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = copy_struct_from_user(p, sizeof(*p), argp, usize);
	if (ret)
		goto out_free;
	ret = -EINVAL;
	if (p->flags & ~(set ? FDPBLK_POLICY_F_IF_VERSION : 0))
		goto out_free;

	fd = fdpblk_get_dev(p->dev_id);
	if (!fd) {
		ret = -ENODEV;
		goto out_free;
	}
	if (!set) {
		fdpblk_policy_to_uapi(fd, p);
		ret = 0;
		goto out_put_dev;
	}
	ret = fdpblk_policy_from_uapi(fd, p, &new);
	if (ret)
		goto out_put_dev;
	ret = fdpblk_ctl_policy_publish(fd, new, p, argp, usize);
out_put_dev:
	fdpblk_put_dev(fd);
	if (!ret && !set)
		ret = fdpblk_copy_out(argp, p, sizeof(*p), usize);
out_free:
	kfree(p);
	return ret;
}

/*
 * The rank commands share one shape: a header naming the device and an
 * array of @count entries of @esize bytes at a user pointer.
 */
struct fdpblk_ranks_hdr {
	u32 size;
	u32 flags;
	u32 dev_id;
	u32 count;
	u64 array;
};

static_assert(sizeof(struct fdpblk_ranks_hdr) == sizeof(struct fdpblk_range_ranks));
static_assert(sizeof(struct fdpblk_ranks_hdr) == sizeof(struct fdpblk_cgroup_ranks));

enum fdpblk_ranks_op { FDPBLK_RANKS_SET, FDPBLK_RANKS_CLEAR, FDPBLK_RANKS_LIST };

static int fdpblk_ctl_ranks(void __user *argp, u32 usize, unsigned int nr)
{
	bool cgroups = nr >= FDPBLK_CMD_SET_CGROUP_RANKS;
	enum fdpblk_ranks_op op = (nr - FDPBLK_CMD_SET_RANGE_RANKS) % 3;
	size_t esize = cgroups ? sizeof(struct fdpblk_cgroup_rank) :
				 sizeof(struct fdpblk_range_rank);
	unsigned int max = cgroups ? fdpblk_max_cgroup_ranks :
				     fdpblk_max_range_ranks;
	void __user *uarray;
	struct fdpblk_ranks_hdr h;
	struct fdpblk_dev *fd;
	void *entries = NULL;
	unsigned int total;
	int ret;

	ret = copy_struct_from_user(&h, sizeof(h), argp, usize);
	if (ret)
		return ret;
	if (h.flags & ~(op == FDPBLK_RANKS_CLEAR ? FDPBLK_RANKS_F_ALL : 0))
		return -EINVAL;
	if ((h.flags & FDPBLK_RANKS_F_ALL) && h.count)
		return -EINVAL;
	if (h.count > max || (h.count && !h.array))
		return -EINVAL;
	uarray = u64_to_user_ptr(h.array);

	if (op == FDPBLK_RANKS_LIST) {
		entries = kvcalloc(h.count, esize, GFP_KERNEL);
	} else if (h.count) {
		entries = vmemdup_array_user(uarray, h.count, esize);
		if (IS_ERR(entries))
			return PTR_ERR(entries);
	}
	if (h.count && !entries)
		return -ENOMEM;

	/* Validated, copied and allocated: now the device, pinned. */
	fd = fdpblk_get_dev(h.dev_id);
	if (!fd) {
		ret = -ENODEV;
	} else if (op == FDPBLK_RANKS_LIST) {
		mutex_lock(&fd->lock);
		total = cgroups ?
			fdpblk_cgroup_ranks_list(fd, entries, h.count) :
			fdpblk_ranges_list(fd, entries, h.count);
		mutex_unlock(&fd->lock);
	} else if (h.flags & FDPBLK_RANKS_F_ALL) {
		if (cgroups)
			fdpblk_cgroup_ranks_clear_all(fd);
		else
			fdpblk_ranges_clear_all(fd);
	} else {
		ret = cgroups ?
			fdpblk_cgroup_ranks_update(fd, entries, h.count,
						   op == FDPBLK_RANKS_CLEAR) :
			fdpblk_ranges_update(fd, entries, h.count,
					     op == FDPBLK_RANKS_CLEAR);
	}
	if (fd)
		fdpblk_put_dev(fd);

	if (!ret && op == FDPBLK_RANKS_LIST) {
		if (copy_to_user(uarray, entries, min(total, h.count) * esize))
			ret = -EFAULT;
		h.count = total;
		if (!ret)
			ret = fdpblk_copy_out(argp, &h, sizeof(h), usize);
	}
	kvfree(entries);
	return ret;
}

static_assert(FDPBLK_CMD_CLEAR_RANGE_RANKS - FDPBLK_CMD_SET_RANGE_RANKS == FDPBLK_RANKS_CLEAR);
static_assert(FDPBLK_CMD_LIST_RANGE_RANKS - FDPBLK_CMD_SET_RANGE_RANKS == FDPBLK_RANKS_LIST);
static_assert(FDPBLK_CMD_SET_CGROUP_RANKS - FDPBLK_CMD_SET_RANGE_RANKS == 3);
static_assert(FDPBLK_CMD_LIST_CGROUP_RANKS - FDPBLK_CMD_SET_RANGE_RANKS == 3 + FDPBLK_RANKS_LIST);

/* One command: its handler, the smallest struct it takes, who may call it. */
struct fdpblk_ioctl_op {
	int (*fn)(void __user *argp, u32 usize, unsigned int nr);
	u32 min_size;
	bool admin;
};

#define FDPBLK_OP(_cmd, _fn, _min, _admin)				\
	[FDPBLK_CMD_##_cmd] = { .fn = (_fn), .min_size = (_min), .admin = (_admin) }

static const struct fdpblk_ioctl_op fdpblk_ioctl_ops[] = {
	FDPBLK_OP(GET_FEATURES, fdpblk_ctl_get_features,
		  FDPBLK_FEATURES_SIZE_MIN, false),
	FDPBLK_OP(CREATE, fdpblk_ctl_create, FDPBLK_CREATE_SIZE_MIN, true),
	FDPBLK_OP(REMOVE, fdpblk_ctl_remove, FDPBLK_REMOVE_SIZE_MIN, true),
	FDPBLK_OP(GET_POLICY, fdpblk_ctl_policy, FDPBLK_POLICY_SIZE_MIN, false),
	FDPBLK_OP(SET_POLICY, fdpblk_ctl_policy, FDPBLK_POLICY_SIZE_MIN, true),
	FDPBLK_OP(SET_RANGE_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN, true),
	FDPBLK_OP(CLEAR_RANGE_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN,
		  true),
	FDPBLK_OP(LIST_RANGE_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN,
		  false),
	FDPBLK_OP(SET_CGROUP_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN,
		  true),
	FDPBLK_OP(CLEAR_CGROUP_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN,
		  true),
	FDPBLK_OP(LIST_CGROUP_RANKS, fdpblk_ctl_ranks, FDPBLK_RANKS_SIZE_MIN,
		  false),
	FDPBLK_OP(REVALIDATE, fdpblk_ctl_revalidate, FDPBLK_REVALIDATE_SIZE_MIN,
		  true),
};

/*
 * Dispatch on the command's number, as iommufd does: the number carries no
 * size (_IO), which comes from the struct's @size instead, so that callers
 * built against any version of the header reach the same command.
 */
long fdpblk_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;
	const struct fdpblk_ioctl_op *op;
	unsigned int nr = _IOC_NR(cmd);
	u32 usize;

	if (cmd != _IO(FDPBLK_IOCTL_MAGIC, nr) ||
	    nr >= ARRAY_SIZE(fdpblk_ioctl_ops))
		return -ENOTTY;
	op = &fdpblk_ioctl_ops[array_index_nospec(nr,
						  ARRAY_SIZE(fdpblk_ioctl_ops))];
	if (!op->fn)
		return -ENOTTY;
	if (op->admin && !capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (get_user(usize, (u32 __user *)argp))
		return -EFAULT;
	if (usize < op->min_size)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return op->fn(argp, usize, nr);
}
