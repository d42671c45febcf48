// SPDX-License-Identifier: GPL-2.0
/*
 * fdpblk sysfs: /sys/block/fdpblkN/fdpblk/, tuning and statistics.
 * Documented in Documentation/ABI/testing/sysfs-block-fdpblk.
 */
#include <linux/blkdev.h>
#include <linux/ctype.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "fdpblk.h"

/* Enough for the longest array: the stream map. */
#define FDPBLK_LIST_MAX		(FDPBLK_MAX_STREAMS + 1)

struct fdpblk_list {
	unsigned int n;
	int v[FDPBLK_LIST_MAX];
};

static struct fdpblk_dev *fdpblk_from_dev(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/* Parse whitespace- or comma-separated integers. */
static int fdpblk_parse_list(const char *buf, struct fdpblk_list *l)
{
	char tok[16];

	l->n = 0;
	while (*buf) {
		size_t len = 0;

		while (*buf && (isspace(*buf) || *buf == ','))
			buf++;
		if (!*buf)
			break;
		while (buf[len] && !isspace(buf[len]) && buf[len] != ',')
			len++;
		if (len >= sizeof(tok) || l->n == FDPBLK_LIST_MAX)
			return -EINVAL;
		memcpy(tok, buf, len);
		tok[len] = '\0';
		if (kstrtoint(tok, 0, &l->v[l->n++]))
			return -EINVAL;
		buf += len;
	}
	return 0;
}

static ssize_t fdpblk_emit_list(char *buf, const int *v, unsigned int n)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		len += sysfs_emit_at(buf, len, "%s%d", i ? " " : "", v[i]);
	return len + sysfs_emit_at(buf, len, "\n");
}

/*
 * A list of counters; -EOVERFLOW rather than a silently cut list when it
 * does not fit a page (255 handles with counters of 16 digits and more).
 */
static ssize_t fdpblk_emit_u64s(char *buf, const u64 *v, unsigned int n)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		/* Room for this one, the newline and the NUL. */
		if (len + snprintf(NULL, 0, " %llu", v[i]) + 2 > PAGE_SIZE)
			return -EOVERFLOW;
		len += sysfs_emit_at(buf, len, "%s%llu", i ? " " : "", v[i]);
	}
	return len + sysfs_emit_at(buf, len, "\n");
}

/* ---- policy entries ----------------------------------------------------- */

enum fdpblk_policy_field {
	FDPBLK_FIELD_DEFAULT_PH,
	FDPBLK_FIELD_HINT_MAP,
	FDPBLK_FIELD_STREAM_MAP,
	FDPBLK_FIELD_DATA_POOL,
	FDPBLK_FIELD_META_POOL,
	FDPBLK_FIELD_META_CHUNK_KIB,
};

/* A u16 ph from sysfs: -1 only where @follow allows FOLLOW_HINT. */
static int fdpblk_ph_in(int v, bool follow, u16 *ph)
{
	if (v == -1 && follow) {
		*ph = FDPBLK_PH_FOLLOW_HINT;
		return 0;
	}
	if (v < 0 || v > FDPBLK_MAX_PH)
		return -EINVAL;
	*ph = v;
	return 0;
}

static int fdpblk_pool_in(const struct fdpblk_list *l, u16 *pool, u16 *len)
{
	unsigned int i;

	if (l->n > FDPBLK_POOL_MAX)
		return -EINVAL;
	memset(pool, 0, FDPBLK_POOL_MAX * sizeof(*pool));
	for (i = 0; i < l->n; i++)
		if (fdpblk_ph_in(l->v[i], false, &pool[i]))
			return -EINVAL;
	*len = l->n;
	return 0;
}

static int fdpblk_field_in(struct fdpblk_dev *fd, struct fdpblk_policy_table *p,
			   enum fdpblk_policy_field field,
			   const struct fdpblk_list *l)
{
	unsigned int i;

	switch (field) {
	case FDPBLK_FIELD_DEFAULT_PH:
		return l->n == 1 ? fdpblk_ph_in(l->v[0], false, &p->default_ph) :
				   -EINVAL;
	case FDPBLK_FIELD_HINT_MAP:
		if (l->n != FDPBLK_NR_HINTS)
			return -EINVAL;
		for (i = 0; i < l->n; i++)
			if (fdpblk_ph_in(l->v[i], false, &p->hint_map[i]))
				return -EINVAL;
		return 0;
	case FDPBLK_FIELD_STREAM_MAP:
		if (l->n != fd->nr_streams)
			return -EINVAL;
		for (i = 0; i < l->n; i++)
			if (fdpblk_ph_in(l->v[i], true, &p->stream_map[i + 1]))
				return -EINVAL;
		return 0;
	case FDPBLK_FIELD_DATA_POOL:
		return fdpblk_pool_in(l, p->data_pool, &p->data_pool_len);
	case FDPBLK_FIELD_META_POOL:
		return fdpblk_pool_in(l, p->meta_pool, &p->meta_pool_len);
	case FDPBLK_FIELD_META_CHUNK_KIB:
		if (l->n != 1 || l->v[0] < 0)
			return -EINVAL;
		return fdpblk_meta_chunk_shift(l->v[0], &p->meta_chunk_shift);
	}
	return -EINVAL;
}

static unsigned int fdpblk_field_out(struct fdpblk_dev *fd,
				     const struct fdpblk_policy_table *p,
				     enum fdpblk_policy_field field, int *v)
{
	unsigned int i;

	switch (field) {
	case FDPBLK_FIELD_DEFAULT_PH:
		v[0] = p->default_ph;
		return 1;
	case FDPBLK_FIELD_HINT_MAP:
		for (i = 0; i < FDPBLK_NR_HINTS; i++)
			v[i] = p->hint_map[i];
		return FDPBLK_NR_HINTS;
	case FDPBLK_FIELD_STREAM_MAP:
		for (i = 1; i <= fd->nr_streams; i++)
			v[i - 1] = p->stream_map[i] == FDPBLK_PH_FOLLOW_HINT ?
				   -1 : p->stream_map[i];
		return fd->nr_streams;
	case FDPBLK_FIELD_DATA_POOL:
		for (i = 0; i < p->data_pool_len; i++)
			v[i] = p->data_pool[i];
		return p->data_pool_len;
	case FDPBLK_FIELD_META_POOL:
		for (i = 0; i < p->meta_pool_len; i++)
			v[i] = p->meta_pool[i];
		return p->meta_pool_len;
	case FDPBLK_FIELD_META_CHUNK_KIB:
		v[0] = 1U << (p->meta_chunk_shift - 1);
		return 1;
	}
	return 0;
}

static ssize_t fdpblk_policy_show(struct device *dev, char *buf,
				  enum fdpblk_policy_field field)
{
	struct fdpblk_dev *fd = fdpblk_from_dev(dev);
	struct fdpblk_list *l;
	ssize_t ret;

	l = kmalloc_obj(*l, GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	rcu_read_lock();
	l->n = fdpblk_field_out(fd, rcu_dereference(fd->policy), field, l->v);
	rcu_read_unlock();
	ret = fdpblk_emit_list(buf, l->v, l->n);
	kfree(l);
	return ret;
}

/* Edit one entry: copy the table, change it, validate, publish. */
static ssize_t fdpblk_policy_store(struct device *dev, const char *buf,
				   size_t count, enum fdpblk_policy_field field)
{
	struct fdpblk_dev *fd = fdpblk_from_dev(dev);
	struct fdpblk_policy_table *new;
	struct fdpblk_list *l;
	int ret;

	l = kmalloc_obj(*l, GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	ret = fdpblk_parse_list(buf, l);
	if (ret)
		goto out_free;

	mutex_lock(&fd->lock);
	new = fdpblk_policy_dup(fd);
	if (!new) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = fdpblk_field_in(fd, new, field, l);
	if (!ret)
		ret = fdpblk_policy_validate(fd, new);
	if (ret)
		kfree(new);
	else
		fdpblk_policy_replace(fd, new);
out_unlock:
	mutex_unlock(&fd->lock);
out_free:
	kfree(l);
	return ret ? ret : count;
}

#define FDPBLK_POLICY_ATTR(_name, _field)				\
static const enum fdpblk_policy_field fdpblk_field_##_name = _field;	\
static ssize_t fdpblk_##_name##_show(struct device *dev,		\
				     struct device_attribute *attr,	\
				     char *buf)				\
{									\
	return fdpblk_policy_show(dev, buf, fdpblk_field_##_name);	\
}									\
static ssize_t fdpblk_##_name##_store(struct device *dev,		\
				      struct device_attribute *attr,	\
				      const char *buf, size_t count)	\
{									\
	return fdpblk_policy_store(dev, buf, count,			\
				   fdpblk_field_##_name);		\
}									\
static struct device_attribute fdpblk_attr_##_name =			\
	__ATTR(_name, 0644, fdpblk_##_name##_show, fdpblk_##_name##_store)

FDPBLK_POLICY_ATTR(default_ph, FDPBLK_FIELD_DEFAULT_PH);
FDPBLK_POLICY_ATTR(hint_map, FDPBLK_FIELD_HINT_MAP);
FDPBLK_POLICY_ATTR(stream_map, FDPBLK_FIELD_STREAM_MAP);
FDPBLK_POLICY_ATTR(data_pool, FDPBLK_FIELD_DATA_POOL);
FDPBLK_POLICY_ATTR(meta_pool, FDPBLK_FIELD_META_POOL);
FDPBLK_POLICY_ATTR(meta_chunk_kib, FDPBLK_FIELD_META_CHUNK_KIB);

/* ---- device facts ------------------------------------------------------- */

static ssize_t fdpblk_lower_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%pg\n", fdpblk_from_dev(dev)->lower);
}

static ssize_t fdpblk_name_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", fdpblk_from_dev(dev)->name);
}

static ssize_t fdpblk_nr_streams_show(struct device *dev,
				      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", fdpblk_from_dev(dev)->nr_streams);
}

static ssize_t fdpblk_max_ph_show(struct device *dev,
				  struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", fdpblk_from_dev(dev)->max_ph);
}

static ssize_t fdpblk_passthrough_show(struct device *dev,
				       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", fdpblk_from_dev(dev)->passthrough);
}

static ssize_t fdpblk_policy_version_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  fdpblk_policy_version(fdpblk_from_dev(dev)));
}

static ssize_t fdpblk_nr_range_ranks_show(struct device *dev,
					  struct device_attribute *attr,
					  char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  fdpblk_ranges_count(fdpblk_from_dev(dev)));
}

static ssize_t fdpblk_nr_cgroup_ranks_show(struct device *dev,
					   struct device_attribute *attr,
					   char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  READ_ONCE(fdpblk_from_dev(dev)->nr_cgroup_ranks));
}

static struct device_attribute fdpblk_attr_lower =
	__ATTR(lower, 0444, fdpblk_lower_show, NULL);
static struct device_attribute fdpblk_attr_name =
	__ATTR(name, 0444, fdpblk_name_show, NULL);
static struct device_attribute fdpblk_attr_nr_streams =
	__ATTR(nr_streams, 0444, fdpblk_nr_streams_show, NULL);
static struct device_attribute fdpblk_attr_max_ph =
	__ATTR(max_ph, 0444, fdpblk_max_ph_show, NULL);
static struct device_attribute fdpblk_attr_passthrough =
	__ATTR(passthrough, 0444, fdpblk_passthrough_show, NULL);
static struct device_attribute fdpblk_attr_policy_version =
	__ATTR(policy_version, 0444, fdpblk_policy_version_show, NULL);
static struct device_attribute fdpblk_attr_nr_range_ranks =
	__ATTR(nr_range_ranks, 0444, fdpblk_nr_range_ranks_show, NULL);
static struct device_attribute fdpblk_attr_nr_cgroup_ranks =
	__ATTR(nr_cgroup_ranks, 0444, fdpblk_nr_cgroup_ranks_show, NULL);

/* ---- statistics --------------------------------------------------------- */

enum fdpblk_stat {
	FDPBLK_STAT_PH_WRITES,
	FDPBLK_STAT_PH_BYTES,
	FDPBLK_STAT_SOURCE_WRITES,
	FDPBLK_STAT_SOURCE_BYTES,
	FDPBLK_STAT_CLAMPED,
};

static ssize_t fdpblk_stat_show(struct device *dev, char *buf,
				enum fdpblk_stat stat)
{
	struct fdpblk_dev *fd = fdpblk_from_dev(dev);
	unsigned int i, n;
	ssize_t ret;
	u64 *sum;
	int cpu;

	sum = kcalloc(FDPBLK_MAX_PH + 1, sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	switch (stat) {
	case FDPBLK_STAT_PH_WRITES:
	case FDPBLK_STAT_PH_BYTES:
		n = fd->max_ph + 1;
		break;
	case FDPBLK_STAT_SOURCE_WRITES:
	case FDPBLK_STAT_SOURCE_BYTES:
		n = FDPBLK_NR_SOURCES;
		break;
	default:
		n = 1;
	}
	for_each_possible_cpu(cpu) {
		const struct fdpblk_stats *s = per_cpu_ptr(fd->stats, cpu);

		for (i = 0; i < n; i++) {
			switch (stat) {
			case FDPBLK_STAT_PH_WRITES:
				sum[i] += READ_ONCE(s->ph_writes[i]);
				break;
			case FDPBLK_STAT_PH_BYTES:
				sum[i] += READ_ONCE(s->ph_bytes[i]);
				break;
			case FDPBLK_STAT_SOURCE_WRITES:
				sum[i] += READ_ONCE(s->src_writes[i]);
				break;
			case FDPBLK_STAT_SOURCE_BYTES:
				sum[i] += READ_ONCE(s->src_bytes[i]);
				break;
			case FDPBLK_STAT_CLAMPED:
				sum[i] += READ_ONCE(s->clamped);
				break;
			}
		}
	}
	ret = fdpblk_emit_u64s(buf, sum, n);
	kfree(sum);
	return ret;
}

#define FDPBLK_STAT_ATTR(_name, _stat)					\
static ssize_t fdpblk_##_name##_show(struct device *dev,		\
				     struct device_attribute *attr,	\
				     char *buf)				\
{									\
	return fdpblk_stat_show(dev, buf, _stat);			\
}									\
static struct device_attribute fdpblk_attr_##_name =			\
	__ATTR(_name, 0444, fdpblk_##_name##_show, NULL)

FDPBLK_STAT_ATTR(ph_writes, FDPBLK_STAT_PH_WRITES);
FDPBLK_STAT_ATTR(ph_bytes, FDPBLK_STAT_PH_BYTES);
FDPBLK_STAT_ATTR(source_writes, FDPBLK_STAT_SOURCE_WRITES);
FDPBLK_STAT_ATTR(source_bytes, FDPBLK_STAT_SOURCE_BYTES);
FDPBLK_STAT_ATTR(clamped_writes, FDPBLK_STAT_CLAMPED);

static ssize_t fdpblk_sources_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	ssize_t len = 0;
	unsigned int i;

	for (i = 0; i < FDPBLK_NR_SOURCES; i++)
		len += sysfs_emit_at(buf, len, "%s%s", i ? " " : "",
				     fdpblk_source_name(i));
	return len + sysfs_emit_at(buf, len, "\n");
}

static struct device_attribute fdpblk_attr_sources =
	__ATTR(sources, 0444, fdpblk_sources_show, NULL);

/* Writing 1 zeroes every counter (racing writes may survive the reset). */
static ssize_t fdpblk_reset_stats_store(struct device *dev,
					struct device_attribute *attr,
					const char *buf, size_t count)
{
	struct fdpblk_dev *fd = fdpblk_from_dev(dev);
	bool reset;
	int cpu;

	if (kstrtobool(buf, &reset) || !reset)
		return -EINVAL;
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(fd->stats, cpu), 0, sizeof(struct fdpblk_stats));
	return count;
}

static struct device_attribute fdpblk_attr_reset_stats =
	__ATTR(reset_stats, 0200, NULL, fdpblk_reset_stats_store);

/* Writing 1 takes the lower's limits and capacity again. */
static ssize_t fdpblk_revalidate_store(struct device *dev,
				       struct device_attribute *attr,
				       const char *buf, size_t count)
{
	bool v;
	int ret;

	if (kstrtobool(buf, &v) || !v)
		return -EINVAL;
	ret = fdpblk_revalidate(fdpblk_from_dev(dev));
	return ret ? ret : count;
}

static struct device_attribute fdpblk_attr_revalidate =
	__ATTR(revalidate, 0200, NULL, fdpblk_revalidate_store);

static struct attribute *fdpblk_attrs[] = {
	&fdpblk_attr_lower.attr,
	&fdpblk_attr_name.attr,
	&fdpblk_attr_nr_streams.attr,
	&fdpblk_attr_max_ph.attr,
	&fdpblk_attr_passthrough.attr,
	&fdpblk_attr_policy_version.attr,
	&fdpblk_attr_default_ph.attr,
	&fdpblk_attr_hint_map.attr,
	&fdpblk_attr_stream_map.attr,
	&fdpblk_attr_data_pool.attr,
	&fdpblk_attr_meta_pool.attr,
	&fdpblk_attr_meta_chunk_kib.attr,
	&fdpblk_attr_nr_range_ranks.attr,
	&fdpblk_attr_nr_cgroup_ranks.attr,
	&fdpblk_attr_sources.attr,
	&fdpblk_attr_ph_writes.attr,
	&fdpblk_attr_ph_bytes.attr,
	&fdpblk_attr_source_writes.attr,
	&fdpblk_attr_source_bytes.attr,
	&fdpblk_attr_clamped_writes.attr,
	&fdpblk_attr_reset_stats.attr,
	&fdpblk_attr_revalidate.attr,
	NULL,
};

static const struct attribute_group fdpblk_attr_group = {
	.name	= "fdpblk",
	.attrs	= fdpblk_attrs,
};

const struct attribute_group *fdpblk_disk_groups[] = {
	&fdpblk_attr_group,
	NULL,
};
