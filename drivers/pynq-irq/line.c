// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq event lines: one interrupt source as one /dev/pynq-irq/<name>.
 *
 * Every open file is a client with its own queue; an event is copied into
 * every client's queue in hard-IRQ context (broadcast, as evdev does). A
 * full queue drops its oldest event and counts it as lost; the count is
 * reported with the next record the client reads.
 *
 * Lifetime: the line embeds its struct device and struct cdev. An open file
 * holds the cdev, the cdev holds the device, and the line is freed by the
 * device's release once the driver has destroyed it and the last file is
 * closed. Destroying a line never waits for userspace: it marks the line
 * gone, wakes every reader and poller, and removes the node; calls on files
 * still open then fail with -ENODEV (poll: EPOLLHUP | EPOLLERR).
 */

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/wait.h>

#include <linux/pynq-irq.h>

#include "compat.h"
#include "line.h"

#define PYNQ_IRQ_MAX_LINES	1024

/* The ABI is the same for 32- and 64-bit userspace. */
static_assert(sizeof(struct pynq_irq_event) == 32);
static_assert(offsetof(struct pynq_irq_event, seqno) == 8);
static_assert(offsetof(struct pynq_irq_event, lost) == 16);
static_assert(offsetof(struct pynq_irq_event, number) == 20);
static_assert(offsetof(struct pynq_irq_event, reserved) == 28);

/**
 * struct pynq_irq_kevent - an event as queued for a client
 * @stamp_ns: CLOCK_MONOTONIC time of the interrupt, in ns
 * @seqno: the line's sequence number of the interrupt
 */
struct pynq_irq_kevent {
	u64 stamp_ns;
	u64 seqno;
};

/**
 * struct pynq_irq_queue - a ring of queued events
 * @buf: storage for @depth events
 * @depth: capacity
 * @head: index of the oldest event
 * @count: events queued
 */
struct pynq_irq_queue {
	struct pynq_irq_kevent *buf;
	u32 depth;
	u32 head;
	u32 count;
};

/**
 * struct pynq_irq_line - one interrupt source shown as one device node
 * @dev: the node's device; its last reference frees the line
 * @cdev: the character device; an open file holds it, and it holds @dev
 * @ops: the driver's callbacks
 * @drvdata: the driver's data for this line
 * @number: hardware number: INTC pin or SGI id
 * @kind: "edge", "level", "sgi-tx" or "sgi-rx"
 * @ops_lock: serialises the @ops calls and protects @users and @active;
 *	taken before @lock, never in atomic context
 * @users: open files
 * @active: the open op succeeded and the close op has not run yet
 * @lock: protects @clients, every client's queue, @seqno, @lost, @masked
 *	and @gone; taken in hard-IRQ context
 * @clients: the open files' clients
 * @seqno: sequence number of the last event (= interrupts taken)
 * @lost: events dropped from full client queues, all clients together
 * @masked: the source masked itself when it fired and waits for a client
 *	to wait again (level pins)
 * @gone: the driver is destroying the line; set once, under @lock
 * @wait: every client's readers and pollers wait here
 */
struct pynq_irq_line {
	struct device dev;
	struct cdev cdev;
	const struct pynq_irq_line_ops *ops;
	void *drvdata;
	unsigned int number;
	const char *kind;

	struct mutex ops_lock;	/* see @ops_lock above */
	unsigned int users;
	bool active;

	spinlock_t lock;	/* see @lock above; hard-IRQ safe */
	struct list_head clients;
	u64 seqno;
	u64 lost;
	bool masked;
	bool gone;

	wait_queue_head_t wait;
};

/**
 * struct pynq_irq_client - one open file of a line
 * @line: the line
 * @node: entry in the line's client list (under the line's lock)
 * @q: the queued events (under the line's lock)
 * @lost: events dropped since the last record read (under the line's lock)
 * @read_lock: serialises reads and settings of this file; protects
 *	@format, @clock and the text state. Not held while a read sleeps.
 * @format: PYNQ_IRQ_FORMAT_TEXT or PYNQ_IRQ_FORMAT_BINARY
 * @clock: clock of the timestamps handed out
 * @text: the text line being read
 * @text_len: length of @text
 * @text_off: bytes of @text already read
 */
struct pynq_irq_client {
	struct pynq_irq_line *line;
	struct list_head node;

	struct pynq_irq_queue q;
	u32 lost;

	struct mutex read_lock;	/* see @read_lock above */
	u32 format;
	clockid_t clock;
	char text[64];
	unsigned int text_len;
	unsigned int text_off;
};

static dev_t pynq_irq_devt;
static DEFINE_IDA(pynq_irq_minors);

/* Append @ev; a full queue drops its oldest event. True if it did. */
static bool queue_push(struct pynq_irq_queue *q,
		       const struct pynq_irq_kevent *ev)
{
	bool dropped = q->count == q->depth;
	u32 tail;

	if (dropped) {
		if (++q->head == q->depth)
			q->head = 0;
		q->count--;
	}
	tail = q->head + q->count;
	if (tail >= q->depth)
		tail -= q->depth;
	q->buf[tail] = *ev;
	q->count++;
	return dropped;
}

/* Take the oldest event; false when empty. */
static bool queue_pop(struct pynq_irq_queue *q, struct pynq_irq_kevent *ev)
{
	if (!q->count)
		return false;
	*ev = q->buf[q->head];
	if (++q->head == q->depth)
		q->head = 0;
	q->count--;
	return true;
}

/* Count one event dropped from @c's queue. Under the line's lock. */
static void client_drop(struct pynq_irq_client *c)
{
	if (c->lost < U32_MAX)
		c->lost++;
	c->line->lost++;
}

/* Runs in hard-IRQ context with the line's lock held. */
static void client_push(struct pynq_irq_client *c,
			const struct pynq_irq_kevent *ev)
{
	if (queue_push(&c->q, ev))
		client_drop(c);
}

/* Take the oldest event and the losses before it; false when empty. */
static bool client_pop(struct pynq_irq_client *c, struct pynq_irq_kevent *ev,
		       u32 *lost)
{
	struct pynq_irq_line *line = c->line;
	bool ok;

	spin_lock_irq(&line->lock);
	ok = queue_pop(&c->q, ev);
	if (ok) {
		*lost = c->lost;
		c->lost = 0;
	}
	spin_unlock_irq(&line->lock);
	return ok;
}

/*
 * Give back an event that could not be copied to userspace, as the oldest
 * again. If the queue filled up meanwhile, it counts as lost instead.
 */
static void client_unpop(struct pynq_irq_client *c,
			 const struct pynq_irq_kevent *ev, u32 lost)
{
	struct pynq_irq_line *line = c->line;

	spin_lock_irq(&line->lock);
	if (c->q.count < c->q.depth) {
		c->q.head = c->q.head ? c->q.head - 1 : c->q.depth - 1;
		c->q.buf[c->q.head] = *ev;
		c->q.count++;
	} else {
		lost = lost < U32_MAX ? lost + 1 : lost;
		line->lost++;
	}
	c->lost = lost > U32_MAX - c->lost ? U32_MAX : c->lost + lost;
	spin_unlock_irq(&line->lock);
}

static bool client_readable(struct pynq_irq_client *c)
{
	return READ_ONCE(c->q.count) ||
	       READ_ONCE(c->text_off) < READ_ONCE(c->text_len);
}

/**
 * pynq_irq_line_event() - report that the line's interrupt fired
 * @line: the line
 * @stamp: CLOCK_MONOTONIC time, taken in the hard-IRQ handler (or when a
 *	raised SGI was written)
 * @masked: the source has masked itself and stays masked until a client
 *	waits again; the core then calls the line's rearm op
 *
 * Hard-IRQ safe. Queues the event for every open file and wakes readers.
 */
void pynq_irq_line_event(struct pynq_irq_line *line, ktime_t stamp,
			 bool masked)
{
	struct pynq_irq_client *c;
	struct pynq_irq_kevent ev;
	unsigned long flags;

	spin_lock_irqsave(&line->lock, flags);
	ev.stamp_ns = ktime_to_ns(stamp);
	ev.seqno = ++line->seqno;
	list_for_each_entry(c, &line->clients, node)
		client_push(c, &ev);
	if (masked)
		line->masked = true;
	spin_unlock_irqrestore(&line->lock, flags);
	wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
}

/*
 * Client @c found nothing to read and is about to wait: unmask a source
 * that masked itself. Not if an event reached @c meanwhile (the handler
 * may run on another CPU between the caller's check and here): that event
 * is what it waits for, and unmasking a source still asserted would
 * report it twice.
 */
static void line_rearm(struct pynq_irq_client *c)
{
	struct pynq_irq_line *line = c->line;
	bool rearm;

	if (!line->ops->rearm || !READ_ONCE(line->masked))
		return;
	mutex_lock(&line->ops_lock);
	spin_lock_irq(&line->lock);
	rearm = line->masked && !line->gone && line->active && !c->q.count;
	if (rearm)
		line->masked = false;
	spin_unlock_irq(&line->lock);
	if (rearm)
		line->ops->rearm(line);
	mutex_unlock(&line->ops_lock);
}

static u64 client_time(const struct pynq_irq_client *c, u64 mono_ns)
{
	ktime_t t = ns_to_ktime(mono_ns);

	switch (c->clock) {
	case CLOCK_REALTIME:
		t = ktime_mono_to_real(t);
		break;
	case CLOCK_BOOTTIME:
		t = ktime_mono_to_any(t, TK_OFFS_BOOT);
		break;
	default:
		break;
	}
	return ktime_to_ns(t);
}

static ssize_t read_text(struct pynq_irq_client *c, char __user *buf,
			 size_t count)
{
	struct pynq_irq_kevent ev;
	size_t done = 0, n;
	u32 lost, nsec;
	u64 sec;

	while (done < count) {
		if (c->text_off == c->text_len) {
			if (!client_pop(c, &ev, &lost))
				break;
			sec = div_u64_rem(client_time(c, ev.stamp_ns),
					  NSEC_PER_SEC, &nsec);
			WRITE_ONCE(c->text_off, 0);
			WRITE_ONCE(c->text_len,
				   scnprintf(c->text, sizeof(c->text),
					     "%llu %llu.%09u %u\n", ev.seqno,
					     sec, nsec, lost));
		}
		n = min_t(size_t, count - done, c->text_len - c->text_off);
		if (copy_to_user(buf + done, c->text + c->text_off, n))
			return done ? done : -EFAULT;
		WRITE_ONCE(c->text_off, c->text_off + n);
		done += n;
	}
	return done;
}

static ssize_t read_binary(struct pynq_irq_client *c, char __user *buf,
			   size_t count)
{
	struct pynq_irq_event rec;
	struct pynq_irq_kevent ev;
	size_t done = 0;
	u32 lost;

	while (count - done >= sizeof(rec) && client_pop(c, &ev, &lost)) {
		memset(&rec, 0, sizeof(rec));
		rec.timestamp_ns = client_time(c, ev.stamp_ns);
		rec.seqno = ev.seqno;
		rec.lost = lost;
		rec.number = c->line->number;
		if (copy_to_user(buf + done, &rec, sizeof(rec))) {
			client_unpop(c, &ev, lost);
			return done ? done : -EFAULT;
		}
		done += sizeof(rec);
	}
	return done;
}

static ssize_t line_read(struct file *file, char __user *buf, size_t count,
			 loff_t *ppos)
{
	struct pynq_irq_client *c = file->private_data;
	struct pynq_irq_line *line = c->line;
	ssize_t ret;

	if (!count)
		return 0;
	for (;;) {
		if (mutex_lock_interruptible(&c->read_lock))
			return -ERESTARTSYS;
		if (READ_ONCE(line->gone)) {
			ret = -ENODEV;
		} else if (c->format == PYNQ_IRQ_FORMAT_BINARY &&
			   count < sizeof(struct pynq_irq_event)) {
			ret = -EINVAL;
		} else if (c->format == PYNQ_IRQ_FORMAT_BINARY) {
			ret = read_binary(c, buf, count);
		} else {
			ret = read_text(c, buf, count);
		}
		/* Nothing queued: this client waits (or would), so re-arm. */
		if (!ret)
			line_rearm(c);
		if (!ret && file->f_flags & O_NONBLOCK)
			ret = -EAGAIN;
		mutex_unlock(&c->read_lock);
		if (ret)
			return ret;

		/* Wait without the lock: ioctls on this file go on. */
		ret = wait_event_interruptible(line->wait,
					       client_readable(c) ||
					       READ_ONCE(line->gone));
		if (ret)
			return ret;
	}
}

/*
 * One write() or writev() call is one call of the write op, however many
 * segments it has; the op takes every byte.
 */
static ssize_t line_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct pynq_irq_client *c = iocb->ki_filp->private_data;
	struct pynq_irq_line *line = c->line;
	size_t count = iov_iter_count(from);
	ssize_t ret;

	if (!line->ops->write)
		return -EINVAL;
	if (mutex_lock_interruptible(&line->ops_lock))
		return -ERESTARTSYS;
	if (READ_ONCE(line->gone)) {
		ret = -ENODEV;
	} else if (!count) {
		ret = 0;
	} else {
		ret = line->ops->write(line);
		if (!ret) {
			iov_iter_advance(from, count);
			ret = count;
		}
	}
	mutex_unlock(&line->ops_lock);
	return ret;
}

static __poll_t line_poll(struct file *file, struct poll_table_struct *wait)
{
	struct pynq_irq_client *c = file->private_data;
	struct pynq_irq_line *line = c->line;
	__poll_t mask = 0;

	poll_wait(file, &line->wait, wait);
	if (READ_ONCE(line->gone))
		return EPOLLHUP | EPOLLERR;
	/* A write (e.g. raising an SGI) never blocks. */
	if (line->ops->write)
		mask |= EPOLLOUT | EPOLLWRNORM;
	if (!client_readable(c))
		line_rearm(c);
	if (client_readable(c))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

/* Events moved per hold of the line's lock when a queue is resized. */
#define RESIZE_CHUNK	64

/*
 * Give the client a queue of @depth events, keeping the newest. Called
 * with the client's read_lock held, so no read pops meanwhile.
 *
 * The handler keeps appending to the old queue while its events move, the
 * oldest first, into the new one, RESIZE_CHUNK at a time with interrupts
 * off: a 65536-event queue never holds interrupts off for longer than one
 * chunk. Once the old queue is empty the new one takes its place, so the
 * order is kept. Events the new queue has no room for count as lost.
 */
static int client_resize(struct pynq_irq_client *c, u32 depth)
{
	struct pynq_irq_line *line = c->line;
	struct pynq_irq_queue q = { .depth = depth };
	struct pynq_irq_kevent ev;
	bool done, wake = false;
	unsigned int i;

	q.buf = kvmalloc_array(depth, sizeof(*q.buf), GFP_KERNEL);
	if (!q.buf)
		return -ENOMEM;
	do {
		spin_lock_irq(&line->lock);
		for (i = 0; i < RESIZE_CHUNK && queue_pop(&c->q, &ev); i++)
			if (queue_push(&q, &ev))
				client_drop(c);
		done = !c->q.count;
		if (done) {
			swap(c->q, q);
			wake = c->q.count;
		}
		spin_unlock_irq(&line->lock);
		cond_resched();
	} while (!done);
	kvfree(q.buf);
	/* A reader may have seen the old queue empty and gone to sleep. */
	if (wake)
		wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static bool valid_clock(u32 clock)
{
	return clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME ||
	       clock == CLOCK_BOOTTIME;
}

static long line_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pynq_irq_client *c = file->private_data;
	u32 __user *argp = (u32 __user *)arg;
	long ret = 0;
	u32 val;

	if (READ_ONCE(c->line->gone))
		return -ENODEV;

	switch (cmd) {
	case PYNQ_IRQ_SET_FORMAT:
	case PYNQ_IRQ_SET_CLOCK:
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
		if (get_user(val, argp))
			return -EFAULT;
		break;
	case PYNQ_IRQ_GET_QUEUE_DEPTH:
		return put_user(READ_ONCE(c->q.depth), argp);
	default:
		return -ENOTTY;
	}

	if (mutex_lock_interruptible(&c->read_lock))
		return -ERESTARTSYS;
	switch (cmd) {
	case PYNQ_IRQ_SET_FORMAT:
		if (val != PYNQ_IRQ_FORMAT_TEXT && val != PYNQ_IRQ_FORMAT_BINARY)
			ret = -EINVAL;
		else if (c->text_off < c->text_len)
			ret = -EBUSY;
		else
			c->format = val;
		break;
	case PYNQ_IRQ_SET_CLOCK:
		if (valid_clock(val))
			c->clock = val;
		else
			ret = -EINVAL;
		break;
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
		if (val < 1 || val > PYNQ_IRQ_QUEUE_MAX)
			ret = -EINVAL;
		else
			ret = client_resize(c, val);
		break;
	}
	mutex_unlock(&c->read_lock);
	return ret;
}

/* Stop the source once: last file closed, or line destroyed. */
static void line_close(struct pynq_irq_line *line)
{
	lockdep_assert_held(&line->ops_lock);
	if (!line->active)
		return;
	line->active = false;
	if (line->ops->close)
		line->ops->close(line);
	/*
	 * Only now: until the close op returned, the source could still fire
	 * and mask itself again, and the next open's first wait would then
	 * re-enable a source that is already enabled.
	 */
	spin_lock_irq(&line->lock);
	line->masked = false;
	spin_unlock_irq(&line->lock);
}

static int line_open(struct inode *inode, struct file *file)
{
	struct pynq_irq_line *line =
		container_of(inode->i_cdev, struct pynq_irq_line, cdev);
	struct pynq_irq_client *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->q.buf = kvmalloc_array(PYNQ_IRQ_QUEUE_DEFAULT, sizeof(*c->q.buf),
				  GFP_KERNEL);
	if (!c->q.buf) {
		ret = -ENOMEM;
		goto free_client;
	}
	c->line = line;
	c->q.depth = PYNQ_IRQ_QUEUE_DEFAULT;
	c->clock = CLOCK_MONOTONIC;
	c->format = PYNQ_IRQ_FORMAT_TEXT;
	mutex_init(&c->read_lock);

	mutex_lock(&line->ops_lock);
	if (READ_ONCE(line->gone)) {
		ret = -ENODEV;
		goto unlock;
	}
	/*
	 * Listed before the source is enabled: it sees the first event. A
	 * file opened for writing only has no use for events.
	 */
	INIT_LIST_HEAD(&c->node);
	if (file->f_mode & FMODE_READ) {
		spin_lock_irq(&line->lock);
		list_add_tail(&c->node, &line->clients);
		spin_unlock_irq(&line->lock);
	}
	if (!line->active) {
		ret = line->ops->open ? line->ops->open(line) : 0;
		if (ret) {
			spin_lock_irq(&line->lock);
			list_del(&c->node);
			spin_unlock_irq(&line->lock);
			goto unlock;
		}
		line->active = true;
	}
	line->users++;
	mutex_unlock(&line->ops_lock);

	file->private_data = c;
	return stream_open(inode, file);

unlock:
	mutex_unlock(&line->ops_lock);
	mutex_destroy(&c->read_lock);
	kvfree(c->q.buf);
free_client:
	kfree(c);
	return ret;
}

static int line_release(struct inode *inode, struct file *file)
{
	struct pynq_irq_client *c = file->private_data;
	struct pynq_irq_line *line = c->line;

	mutex_lock(&line->ops_lock);
	spin_lock_irq(&line->lock);
	list_del(&c->node);
	spin_unlock_irq(&line->lock);
	if (!--line->users)
		line_close(line);
	mutex_unlock(&line->ops_lock);

	mutex_destroy(&c->read_lock);
	kvfree(c->q.buf);
	kfree(c);
	return 0;
}

static const struct file_operations line_fops = {
	.owner = THIS_MODULE,
	.open = line_open,
	.release = line_release,
	.read = line_read,
	.write_iter = line_write_iter,
	.poll = line_poll,
	.unlocked_ioctl = line_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

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
	return sysfs_emit(buf, "%s\n", to_line(dev)->kind);
}
static DEVICE_ATTR_RO(trigger);

static ssize_t interrupts_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	struct pynq_irq_line *line = to_line(dev);
	u64 n;

	spin_lock_irq(&line->lock);
	n = line->seqno;
	spin_unlock_irq(&line->lock);
	return sysfs_emit(buf, "%llu\n", n);
}
static DEVICE_ATTR_RO(interrupts);

static ssize_t lost_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	struct pynq_irq_line *line = to_line(dev);
	u64 n;

	spin_lock_irq(&line->lock);
	n = line->lost;
	spin_unlock_irq(&line->lock);
	return sysfs_emit(buf, "%llu\n", n);
}
static DEVICE_ATTR_RO(lost);

static ssize_t clients_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_line(dev)->users));
}
static DEVICE_ATTR_RO(clients);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct pynq_irq_line *line = to_line(dev);
	bool on;

	mutex_lock(&line->ops_lock);
	spin_lock_irq(&line->lock);
	/* Without an open op, the source is on for as long as the line is. */
	on = (line->active || !line->ops->open) && !line->masked &&
	     !line->gone;
	spin_unlock_irq(&line->lock);
	mutex_unlock(&line->ops_lock);
	return sysfs_emit(buf, "%d\n", on);
}
static DEVICE_ATTR_RO(enabled);

static struct attribute *line_attrs[] = {
	&dev_attr_number.attr,
	&dev_attr_trigger.attr,
	&dev_attr_interrupts.attr,
	&dev_attr_lost.attr,
	&dev_attr_clients.attr,
	&dev_attr_enabled.attr,
	NULL,
};
ATTRIBUTE_GROUPS(line);

static char *line_devnode(pynq_irq_devnode_device *dev, umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return kasprintf(GFP_KERNEL, "pynq-irq/%s", dev_name(dev));
}

static struct class pynq_irq_class = {
	.name = "pynq-irq",
	.devnode = line_devnode,
};

static void line_dev_release(struct device *dev)
{
	struct pynq_irq_line *line = to_line(dev);

	ida_free(&pynq_irq_minors, MINOR(dev->devt));
	mutex_destroy(&line->ops_lock);
	kfree(line);
}

/**
 * pynq_irq_line_create() - create a line and its /dev/pynq-irq/<name>
 * @parent: the device whose interrupt source this is
 * @name: node name, unique among all lines; no '/'
 * @number: hardware number shown to userspace (pin or SGI id)
 * @kind: "edge", "level", "sgi-tx" or "sgi-rx"; must outlive the line
 * @ops: the driver's callbacks; must outlive the line
 * @drvdata: returned by pynq_irq_line_drvdata()
 *
 * Return: the line, or an ERR_PTR().
 */
struct pynq_irq_line *pynq_irq_line_create(struct device *parent,
					   const char *name,
					   unsigned int number,
					   const char *kind,
					   const struct pynq_irq_line_ops *ops,
					   void *drvdata)
{
	struct pynq_irq_line *line;
	struct device *dup;
	int minor, ret;

	if (!name[0] || strchr(name, '/'))
		return ERR_PTR(-EINVAL);
	/* Refuse a taken name here: sysfs would dump a stack for it. */
	dup = class_find_device_by_name(&pynq_irq_class, name);
	if (dup) {
		put_device(dup);
		return ERR_PTR(-EEXIST);
	}
	line = kzalloc(sizeof(*line), GFP_KERNEL);
	if (!line)
		return ERR_PTR(-ENOMEM);
	minor = ida_alloc_max(&pynq_irq_minors, PYNQ_IRQ_MAX_LINES - 1,
			      GFP_KERNEL);
	if (minor < 0) {
		kfree(line);
		return ERR_PTR(minor);
	}
	line->ops = ops;
	line->drvdata = drvdata;
	line->number = number;
	line->kind = kind;
	mutex_init(&line->ops_lock);
	spin_lock_init(&line->lock);
	INIT_LIST_HEAD(&line->clients);
	init_waitqueue_head(&line->wait);

	device_initialize(&line->dev);
	line->dev.class = &pynq_irq_class;
	line->dev.parent = parent;
	line->dev.devt = MKDEV(MAJOR(pynq_irq_devt), minor);
	line->dev.groups = line_groups;
	line->dev.release = line_dev_release;
	cdev_init(&line->cdev, &line_fops);
	line->cdev.owner = THIS_MODULE;

	ret = dev_set_name(&line->dev, "%s", name);
	if (!ret)
		ret = cdev_device_add(&line->cdev, &line->dev);
	if (ret) {
		put_device(&line->dev);
		return ERR_PTR(ret);
	}
	return line;
}

/**
 * pynq_irq_line_kill() - fail every pending and later call on the line
 * @line: the line
 *
 * Wakes every blocked reader and poller; they return -ENODEV and
 * EPOLLHUP | EPOLLERR. Cheap: a driver removing many lines kills them all
 * first, then destroys them. Atomic-safe; may be called more than once.
 */
void pynq_irq_line_kill(struct pynq_irq_line *line)
{
	unsigned long flags;

	spin_lock_irqsave(&line->lock, flags);
	line->gone = true;
	spin_unlock_irqrestore(&line->lock, flags);
	wake_up_interruptible_poll(&line->wait, EPOLLHUP | EPOLLERR);
}

/**
 * pynq_irq_line_destroy() - remove a line; never waits for userspace
 * @line: the line
 *
 * Kills the line, stops the source (the close op, if files are open) and
 * removes the node. The memory goes when the last open file is closed.
 */
void pynq_irq_line_destroy(struct pynq_irq_line *line)
{
	pynq_irq_line_kill(line);
	mutex_lock(&line->ops_lock);
	line_close(line);
	mutex_unlock(&line->ops_lock);

	cdev_device_del(&line->cdev, &line->dev);
	put_device(&line->dev);
}

/**
 * pynq_irq_line_drvdata() - the driver's data given at creation
 * @line: the line
 *
 * Return: the @drvdata passed to pynq_irq_line_create().
 */
void *pynq_irq_line_drvdata(struct pynq_irq_line *line)
{
	return line->drvdata;
}

/**
 * pynq_irq_lines_init() - register the class and the device numbers
 *
 * Return: 0 or a negative errno.
 */
int pynq_irq_lines_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&pynq_irq_devt, 0, PYNQ_IRQ_MAX_LINES,
				  "pynq-irq");
	if (ret)
		return ret;
	ret = class_register(&pynq_irq_class);
	if (ret)
		unregister_chrdev_region(pynq_irq_devt, PYNQ_IRQ_MAX_LINES);
	return ret;
}

/**
 * pynq_irq_lines_exit() - undo pynq_irq_lines_init()
 */
void pynq_irq_lines_exit(void)
{
	class_unregister(&pynq_irq_class);
	unregister_chrdev_region(pynq_irq_devt, PYNQ_IRQ_MAX_LINES);
}
