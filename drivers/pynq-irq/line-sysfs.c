// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq event lines: the attributes of /sys/class/pynq-irq/<name>
 * (Documentation/ABI/testing/sysfs-class-pynq-irq).
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "line-priv.h"

/* The largest rate_limit: above it, a line is not throttled in practice. */
#define PYNQ_IRQ_RATE_MAX	10000000

static struct pynq_irq_line *to_line(struct device *dev)
{
	return container_of(dev, struct pynq_irq_line, dev);
}

static ssize_t number_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%u\n", to_line(dev)->number);
}
static DEVICE_ATTR_RO(number);

static ssize_t trigger_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  pynq_irq_trigger_name(to_line(dev)->trigger));
}
static DEVICE_ATTR_RO(trigger);

/* Show @val, a u64 of the line of @dev, read under the line's lock. */
static ssize_t show_u64(struct device *dev, char *buf, const u64 *val)
{
	struct pynq_irq_line *line = to_line(dev);
	u64 n;

	spin_lock_irq(&line->lock);
	n = *val;
	spin_unlock_irq(&line->lock);
	return sysfs_emit(buf, "%llu\n", n);
}

static ssize_t interrupts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return show_u64(dev, buf, &to_line(dev)->seqno);
}
static DEVICE_ATTR_RO(interrupts);

static ssize_t lost_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return show_u64(dev, buf, &to_line(dev)->lost);
}
static DEVICE_ATTR_RO(lost);

static ssize_t throttled_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return show_u64(dev, buf, &to_line(dev)->episodes);
}
static DEVICE_ATTR_RO(throttled);

static ssize_t clients_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_line(dev)->users));
}
static DEVICE_ATTR_RO(clients);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", pynq_irq_line_enabled(to_line(dev)));
}
static DEVICE_ATTR_RO(enabled);

static ssize_t rate_limit_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_line(dev)->rate_limit));
}

static ssize_t rate_limit_store(struct device *dev,
				struct device_attribute *attr,
				const char *buf, size_t count)
{
	struct pynq_irq_line *line = to_line(dev);
	unsigned int val;
	int ret;

	ret = kstrtouint(buf, 0, &val);
	if (ret)
		return ret;
	if (val > PYNQ_IRQ_RATE_MAX)
		return -ERANGE;
	pynq_irq_line_set_rate_limit(line, val);
	return count;
}
static DEVICE_ATTR_RW(rate_limit);

/*
 * "<from> <to> <reads>" a line, µs, one per log2 bucket up to the last
 * that is not empty: reads that returned an event between <from> and <to>
 * µs after its interrupt (the last bucket has no end: "-").
 */
static ssize_t latency_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pynq_irq_line *line = to_line(dev);
	u64 hist[PYNQ_IRQ_LAT_BUCKETS];
	int i, last = -1, len = 0;

	spin_lock_irq(&line->lock);
	memcpy(hist, line->latency, sizeof(hist));
	spin_unlock_irq(&line->lock);
	for (i = 0; i < PYNQ_IRQ_LAT_BUCKETS; i++)
		if (hist[i])
			last = i;
	for (i = 0; i <= last; i++) {
		u64 from = i ? 1ULL << (i - 1) : 0;

		if (i == PYNQ_IRQ_LAT_BUCKETS - 1)
			len += sysfs_emit_at(buf, len, "%llu - %llu\n", from,
					     hist[i]);
		else
			len += sysfs_emit_at(buf, len, "%llu %llu %llu\n",
					     from, 1ULL << i, hist[i]);
	}
	return len;
}

/* Writing 0 empties the histogram. */
static ssize_t latency_store(struct device *dev, struct device_attribute *attr,
			     const char *buf, size_t count)
{
	struct pynq_irq_line *line = to_line(dev);
	unsigned int val;
	int ret;

	ret = kstrtouint(buf, 0, &val);
	if (ret)
		return ret;
	if (val)
		return -EINVAL;
	spin_lock_irq(&line->lock);
	memset(line->latency, 0, sizeof(line->latency));
	spin_unlock_irq(&line->lock);
	return count;
}

/* Root only, both ways: how fast a program reads is its own business. */
static DEVICE_ATTR_ADMIN_RW(latency);

static struct attribute *line_attrs[] = {
	&dev_attr_number.attr,
	&dev_attr_trigger.attr,
	&dev_attr_interrupts.attr,
	&dev_attr_lost.attr,
	&dev_attr_clients.attr,
	&dev_attr_enabled.attr,
	&dev_attr_rate_limit.attr,
	&dev_attr_throttled.attr,
	&dev_attr_latency.attr,
	NULL,
};

/* The throttle's attributes exist on lines that can be throttled. */
static umode_t line_attr_visible(struct kobject *kobj, struct attribute *attr,
				 int n)
{
	struct pynq_irq_line *line = to_line(kobj_to_dev(kobj));

	if ((attr == &dev_attr_rate_limit.attr ||
	     attr == &dev_attr_throttled.attr) && !line->ops->throttle)
		return 0;
	return attr->mode;
}

static const struct attribute_group line_group = {
	.attrs = line_attrs,
	.is_visible = line_attr_visible,
};

/*
 * pynq_irq_line_groups: the attribute groups of a line's device
 */
const struct attribute_group *pynq_irq_line_groups[] = {
	&line_group,
	NULL,
};
