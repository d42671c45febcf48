// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk control device: the ioctls of /dev/fdpblk-control.
 */
#include <linux/capability.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "fdpblk.h"

/* Every feature this module implements: every FDPBLK_F_* must be listed. */
#define FDPBLK_FEATURES_ALL	(FDPBLK_F_CONTROL | FDPBLK_F_CREATE | \
				 FDPBLK_F_POLICY | FDPBLK_F_RANGE_RANKS | \
				 FDPBLK_F_CGROUP_RANKS)

/*
 * Copy an extensible argument struct in: @size comes first; a shorter
 * struct is zero-extended, a longer one must have zeroes beyond ours.
 */
static int fdpblk_copy_in(void *karg, size_t ksize, void __user *uarg,
			  u32 *usize)
{
	if (get_user(*usize, (u32 __user *)uarg))
		return -EFAULT;
	if (*usize < 2 * sizeof(u32))
		return -EINVAL;
	if (*usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(karg, ksize, uarg, *usize);
}

static int fdpblk_copy_out(void __user *uarg, const void *karg, size_t ksize,
			   u32 usize)
{
	return copy_to_user(uarg, karg, min_t(size_t, ksize, usize)) ?
		-EFAULT : 0;
}

static int fdpblk_ctl_get_features(void __user *argp)
{
	struct fdpblk_features f;
	u32 usize;
	int ret;

	ret = fdpblk_copy_in(&f, sizeof(f), argp, &usize);
	if (ret)
		return ret;
	if (f.flags)
		return -EINVAL;
	f.features = FDPBLK_FEATURES_ALL;
	f.abi_version = FDPBLK_ABI_VERSION;
	f.max_streams = FDPBLK_MAX_STREAMS;
	f.max_range_ranks = fdpblk_max_range_ranks;
	f.max_cgroup_ranks = FDPBLK_MAX_CGROUP_RANKS;
	return fdpblk_copy_out(argp, &f, sizeof(f), usize);
}

static int fdpblk_ctl_create(void __user *argp)
{
	struct fdpblk_create c;
	u32 usize;
	char *path;
	int ret, id;

	ret = fdpblk_copy_in(&c, sizeof(c), argp, &usize);
	if (ret)
		return ret;
	if (c.flags & ~FDPBLK_CREATE_F_PASSTHROUGH || c.dev_id ||
	    c.nr_streams > FDPBLK_MAX_STREAMS || !c.path)
		return -EINVAL;
	path = strndup_user(u64_to_user_ptr(c.path), PATH_MAX);
	if (IS_ERR(path))
		return PTR_ERR(path);
	ret = fdpblk_create_dev(path, c.nr_streams, c.flags, &id);
	kfree(path);
	if (ret)
		return ret;
	c.dev_id = id;
	ret = fdpblk_copy_out(argp, &c, sizeof(c), usize);
	/* A device nobody learnt the id of would be stuck: take it back. */
	if (ret)
		fdpblk_remove_dev(id, true);
	return ret;
}

static int fdpblk_ctl_remove(void __user *argp)
{
	struct fdpblk_remove r;
	u32 usize;
	int ret;

	ret = fdpblk_copy_in(&r, sizeof(r), argp, &usize);
	if (ret)
		return ret;
	if (r.flags || r.reserved)
		return -EINVAL;
	return fdpblk_remove_dev(r.dev_id, false);
}

/* GET_POLICY and SET_POLICY: the same struct in and out. */
static int fdpblk_ctl_policy(void __user *argp, bool set)
{
	struct fdpblk_policy_table *new;
	struct fdpblk_policy *p;
	struct fdpblk_dev *fd;
	u32 usize;
	int ret;

	p = kmalloc_obj(*p, GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	ret = fdpblk_copy_in(p, sizeof(*p), argp, &usize);
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
	mutex_lock(&fd->lock);
	if ((p->flags & FDPBLK_POLICY_F_IF_VERSION) &&
	    p->version != fdpblk_policy_version(fd)) {
		kfree(new);
		ret = -ESTALE;
	} else {
		fdpblk_policy_replace(fd, new);
		p->version = new->version;
	}
	mutex_unlock(&fd->lock);
out_put_dev:
	fdpblk_put_dev(fd);
	if (!ret)
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

static int fdpblk_ctl_ranks(void __user *argp, bool cgroups,
			    enum fdpblk_ranks_op op)
{
	size_t esize = cgroups ? sizeof(struct fdpblk_cgroup_rank) :
				 sizeof(struct fdpblk_range_rank);
	unsigned int max = cgroups ? FDPBLK_MAX_CGROUP_RANKS :
				     fdpblk_max_range_ranks;
	void __user *uarray;
	struct fdpblk_ranks_hdr h;
	struct fdpblk_dev *fd;
	void *entries = NULL;
	unsigned int total;
	u32 usize;
	int ret;

	ret = fdpblk_copy_in(&h, sizeof(h), argp, &usize);
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

static bool fdpblk_cmd_needs_admin(unsigned int cmd)
{
	switch (cmd) {
	case FDPBLK_IOC_GET_FEATURES:
	case FDPBLK_IOC_GET_POLICY:
	case FDPBLK_IOC_LIST_RANGE_RANKS:
	case FDPBLK_IOC_LIST_CGROUP_RANKS:
		return false;
	default:
		return true;
	}
}

long fdpblk_ctl_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	if (_IOC_TYPE(cmd) != FDPBLK_IOCTL_MAGIC)
		return -ENOTTY;
	if (fdpblk_cmd_needs_admin(cmd) && !capable(CAP_SYS_ADMIN))
		return -EPERM;

	switch (cmd) {
	case FDPBLK_IOC_GET_FEATURES:
		return fdpblk_ctl_get_features(argp);
	case FDPBLK_IOC_CREATE:
		return fdpblk_ctl_create(argp);
	case FDPBLK_IOC_REMOVE:
		return fdpblk_ctl_remove(argp);
	case FDPBLK_IOC_GET_POLICY:
		return fdpblk_ctl_policy(argp, false);
	case FDPBLK_IOC_SET_POLICY:
		return fdpblk_ctl_policy(argp, true);
	case FDPBLK_IOC_SET_RANGE_RANKS:
		return fdpblk_ctl_ranks(argp, false, FDPBLK_RANKS_SET);
	case FDPBLK_IOC_CLEAR_RANGE_RANKS:
		return fdpblk_ctl_ranks(argp, false, FDPBLK_RANKS_CLEAR);
	case FDPBLK_IOC_LIST_RANGE_RANKS:
		return fdpblk_ctl_ranks(argp, false, FDPBLK_RANKS_LIST);
	case FDPBLK_IOC_SET_CGROUP_RANKS:
		return fdpblk_ctl_ranks(argp, true, FDPBLK_RANKS_SET);
	case FDPBLK_IOC_CLEAR_CGROUP_RANKS:
		return fdpblk_ctl_ranks(argp, true, FDPBLK_RANKS_CLEAR);
	case FDPBLK_IOC_LIST_CGROUP_RANKS:
		return fdpblk_ctl_ranks(argp, true, FDPBLK_RANKS_LIST);
	default:
		return -ENOTTY;
	}
}
