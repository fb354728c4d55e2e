// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq event lines: the file operations of /dev/pynq-irq/<name> (read
 * in text and binary formats, write, poll, SIGIO and the ioctls). An open
 * file is a client of the line (line.c); include/uapi/linux/pynq-irq.h is
 * the contract.
 */

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/poll.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include <linux/uio.h>

#include <linux/pynq-irq.h>

#include "line-priv.h"

/* The ABI is the same for 32- and 64-bit userspace. */
static_assert(sizeof(struct pynq_irq_event) == 32);
static_assert(offsetof(struct pynq_irq_event, seqno) == 8);
static_assert(offsetof(struct pynq_irq_event, lost) == 16);
static_assert(offsetof(struct pynq_irq_event, number) == 20);
static_assert(offsetof(struct pynq_irq_event, flags) == 22);
static_assert(offsetof(struct pynq_irq_event, merged) == 24);
static_assert(offsetof(struct pynq_irq_event, suppressed) == 28);
static_assert(sizeof(struct pynq_irq_setting) == 16);
static_assert(sizeof(struct pynq_irq_info) == 160);

/* Events a binary read takes per hold of the line's lock. */
#define READ_BATCH	8
/* Events moved per hold of the line's lock when a queue is resized. */
#define RESIZE_CHUNK	64

static bool client_readable(struct pynq_irq_client *c)
{
	return !kfifo_is_empty(&c->fifo) ||
	       READ_ONCE(c->text_off) < READ_ONCE(c->text_len);
}

/* Take the oldest event and the losses before it; false when empty. */
static bool client_pop(struct pynq_irq_client *c, struct pynq_irq_kevent *ev,
		       u32 *lost)
{
	struct pynq_irq_line *line = c->line;
	bool ok;

	spin_lock_irq(&line->lock);
	ok = kfifo_get(&c->fifo, ev);
	if (ok) {
		*lost = c->lost;
		c->lost = 0;
		pynq_irq_line_latency(line, ev->mono_ns, ktime_get_ns());
	}
	spin_unlock_irq(&line->lock);
	return ok;
}

/* The flags of a full text line: "-", or their names, comma-separated. */
static void format_flags(char *buf, size_t len, u16 flags)
{
	int n = 0;

	if (flags & PYNQ_IRQ_EVENT_THROTTLED)
		n += scnprintf(buf + n, len - n, "throttled");
	if (flags & PYNQ_IRQ_EVENT_RESET)
		n += scnprintf(buf + n, len - n, "%sreset", n ? "," : "");
	if (!n)
		scnprintf(buf, len, "-");
}

/* Fill @c's text buffer with the line of @ev, in @c's format. */
static void format_text(struct pynq_irq_client *c,
			const struct pynq_irq_kevent *ev, u32 lost)
{
	u32 nsec;
	u64 sec;
	char fl[24];
	int n;

	sec = div_u64_rem(ev->mono_ns + ev->offs_ns, NSEC_PER_SEC, &nsec);
	if (c->format == PYNQ_IRQ_FORMAT_TEXT_FULL) {
		format_flags(fl, sizeof(fl), ev->flags);
		n = scnprintf(c->text, sizeof(c->text),
			      "%llu %llu.%09u %u %u %u %s\n", ev->seqno, sec,
			      nsec, lost, ev->merged, ev->suppressed, fl);
	} else {
		/* Suppressed interrupts count as lost: none goes unseen. */
		n = scnprintf(c->text, sizeof(c->text), "%llu %llu.%09u %u\n",
			      ev->seqno, sec, nsec,
			      lost > U32_MAX - ev->suppressed ? U32_MAX :
			      lost + ev->suppressed);
	}
	WRITE_ONCE(c->text_off, 0);
	WRITE_ONCE(c->text_len, n);
}

static ssize_t read_text(struct pynq_irq_client *c, char __user *buf,
			 size_t count)
{
	struct pynq_irq_kevent ev;
	size_t done = 0, n;
	u32 lost;

	while (done < count) {
		if (c->text_off == c->text_len) {
			if (!client_pop(c, &ev, &lost))
				break;
			format_text(c, &ev, lost);
		}
		n = min_t(size_t, count - done, c->text_len - c->text_off);
		if (copy_to_user(buf + done, c->text + c->text_off, n))
			return done ? done : -EFAULT;
		WRITE_ONCE(c->text_off, c->text_off + n);
		done += n;
		/* The whole line went, and nothing more is queued. */
		if (c->text_off == c->text_len && kfifo_is_empty(&c->fifo))
			break;
	}
	return done;
}

/*
 * Up to READ_BATCH records: the events are copied out of the queue under
 * the lock, to userspace without it, and only then taken off the queue,
 * so a bad buffer consumes nothing. If the handler dropped the oldest
 * meanwhile (a full queue), those it dropped were read after all: they
 * are taken off the lost counts again. (Saturated counts aside: a client
 * that lost 2^32 interrupts reads a wrong count either way.)
 */
static ssize_t read_batch(struct pynq_irq_client *c, char __user *buf,
			  size_t max)
{
	struct pynq_irq_line *line = c->line;
	struct pynq_irq_kevent ev[READ_BATCH];
	struct pynq_irq_event rec;
	unsigned int n, k, dropped, i;
	u32 lost, drops, undo = 0;
	u64 now;

	max = min_t(size_t, max, READ_BATCH);
	spin_lock_irq(&line->lock);
	/*
	 * One event (a reader that keeps up) is copied inline: the generic
	 * kfifo_out_peek() costs 150 ns more a read in the benchmark.
	 */
	if (max == 1 || kfifo_len(&c->fifo) == 1)
		n = kfifo_peek(&c->fifo, ev);
	else
		n = kfifo_out_peek(&c->fifo, ev, max);
	lost = c->lost;
	drops = c->drops;
	spin_unlock_irq(&line->lock);
	if (!n)
		return 0;

	for (k = 0; k < n; k++) {
		memset(&rec, 0, sizeof(rec));
		rec.timestamp_ns = ev[k].mono_ns + ev[k].offs_ns;
		rec.seqno = ev[k].seqno;
		rec.lost = k ? 0 : lost;
		rec.number = line->number;
		rec.flags = ev[k].flags;
		rec.merged = ev[k].merged;
		rec.suppressed = ev[k].suppressed;
		if (copy_to_user(buf + k * sizeof(rec), &rec, sizeof(rec)))
			break;
	}
	if (!k)
		return -EFAULT;

	now = ktime_get_ns();
	spin_lock_irq(&line->lock);
	dropped = min(c->drops - drops, k);
	for (i = dropped; i < k; i++)
		kfifo_skip(&c->fifo);
	for (i = 0; i < dropped; i++)
		undo += ev[i].merged + 1;
	c->lost -= lost + undo;
	line->lost -= undo;
	for (i = 0; i < k; i++)
		pynq_irq_line_latency(line, ev[i].mono_ns, now);
	spin_unlock_irq(&line->lock);
	return k * sizeof(rec);
}

static ssize_t read_binary(struct pynq_irq_client *c, char __user *buf,
			   size_t count)
{
	size_t done = 0;
	ssize_t n;

	while (count - done >= sizeof(struct pynq_irq_event)) {
		n = read_batch(c, buf + done, (count - done) /
			       sizeof(struct pynq_irq_event));
		if (n < 0)
			return done ? done : n;
		done += n;
		/* A short batch emptied the queue: do not look again. */
		if (n < READ_BATCH * sizeof(struct pynq_irq_event))
			break;
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
		/* Nothing queued: this client waits (or would). */
		if (!ret)
			pynq_irq_line_wait_prepare(c);
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
		pynq_irq_line_wait_prepare(c);
	if (client_readable(c))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static int line_fasync(int fd, struct file *file, int on)
{
	struct pynq_irq_client *c = file->private_data;

	return fasync_helper(fd, file, on, &c->fasync);
}

/*
 * Give the client a queue of @depth events, keeping the newest. Called
 * with the client's read_lock held, so no read takes events meanwhile.
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
	struct pynq_irq_client new = { };
	struct pynq_irq_kevent ev;
	bool done, wake = false;
	unsigned int i;
	int ret;

	ret = pynq_irq_client_alloc_fifo(&new, depth);
	if (ret)
		return ret;
	do {
		spin_lock_irq(&line->lock);
		for (i = 0; i < RESIZE_CHUNK && kfifo_get(&c->fifo, &ev); i++) {
			struct pynq_irq_kevent old;

			if (kfifo_len(&new.fifo) >= depth &&
			    kfifo_get(&new.fifo, &old))
				pynq_irq_client_drop(c, &old);
			kfifo_put(&new.fifo, ev);
		}
		done = kfifo_is_empty(&c->fifo);
		if (done) {
			swap(c->fifo, new.fifo);
			c->depth = depth;
			wake = !kfifo_is_empty(&c->fifo);
		}
		spin_unlock_irq(&line->lock);
		cond_resched();
	} while (!done);
	pynq_irq_client_free_fifo(&new);
	/* A reader may have seen the old queue empty and gone to sleep. */
	if (wake)
		wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static int client_set_coalesce(struct pynq_irq_client *c, u32 us)
{
	struct pynq_irq_line *line = c->line;
	bool wake;

	spin_lock_irq(&line->lock);
	wake = c->open;
	pynq_irq_client_flush(c);
	c->coalesce_ns = (u64)us * NSEC_PER_USEC;
	spin_unlock_irq(&line->lock);
	if (wake)
		wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
	return 0;
}

static int client_get_info(struct pynq_irq_client *c, void __user *argp)
{
	struct pynq_irq_line *line = c->line;
	struct pynq_irq_info info;

	memset(&info, 0, sizeof(info));
	strscpy(info.name, dev_name(&line->dev), sizeof(info.name));
	info.number = line->number;
	info.trigger = line->trigger;
	info.clients = READ_ONCE(line->users);
	if (pynq_irq_line_enabled(line))
		info.flags |= PYNQ_IRQ_INFO_ENABLED;
	mutex_lock(&c->read_lock);
	info.format = c->format;
	spin_lock_irq(&line->lock);
	if (line->throttled)
		info.flags |= PYNQ_IRQ_INFO_THROTTLED;
	info.interrupts = line->seqno;
	info.lost = line->lost;
	info.throttled = line->episodes;
	info.rate_limit = line->rate_limit;
	info.clock = c->clock;
	info.queue_depth = c->depth;
	info.queued = kfifo_len(&c->fifo);
	info.coalesce_us = div_u64(c->coalesce_ns, NSEC_PER_USEC);
	spin_unlock_irq(&line->lock);
	mutex_unlock(&c->read_lock);
	return copy_to_user(argp, &info, sizeof(info)) ? -EFAULT : 0;
}

static bool valid_clock(u32 clock)
{
	return clock == CLOCK_MONOTONIC || clock == CLOCK_REALTIME ||
	       clock == CLOCK_BOOTTIME;
}

/* One PYNQ_IRQ_SET_* ioctl, with @c's read_lock held. */
static int client_set(struct pynq_irq_client *c, unsigned int cmd, u32 val)
{
	struct pynq_irq_line *line = c->line;

	switch (cmd) {
	case PYNQ_IRQ_SET_FORMAT:
		if (val != PYNQ_IRQ_FORMAT_TEXT &&
		    val != PYNQ_IRQ_FORMAT_BINARY &&
		    val != PYNQ_IRQ_FORMAT_TEXT_FULL)
			return -EINVAL;
		if (c->text_off < c->text_len)
			return -EBUSY;
		c->format = val;
		return 0;
	case PYNQ_IRQ_SET_CLOCK:
		if (!valid_clock(val))
			return -EINVAL;
		spin_lock_irq(&line->lock);
		c->clock = val;
		spin_unlock_irq(&line->lock);
		return 0;
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
		if (val < 1 || val > PYNQ_IRQ_QUEUE_MAX)
			return -EINVAL;
		return client_resize(c, val);
	case PYNQ_IRQ_SET_COALESCE:
		if (val > PYNQ_IRQ_COALESCE_MAX_US)
			return -EINVAL;
		return client_set_coalesce(c, val);
	}
	return -ENOTTY;
}

static long line_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct pynq_irq_client *c = file->private_data;
	void __user *argp = (void __user *)arg;
	struct pynq_irq_setting set;
	long ret;

	if (READ_ONCE(c->line->gone))
		return -ENODEV;

	switch (cmd) {
	case PYNQ_IRQ_GET_INFO:
		return client_get_info(c, argp);
	case PYNQ_IRQ_SET_FORMAT:
	case PYNQ_IRQ_SET_CLOCK:
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
	case PYNQ_IRQ_SET_COALESCE:
		break;
	default:
		return -ENOTTY;
	}
	if (copy_from_user(&set, argp, sizeof(set)))
		return -EFAULT;
	if (set.flags || memchr_inv(set.reserved, 0, sizeof(set.reserved)))
		return -EINVAL;

	if (mutex_lock_interruptible(&c->read_lock))
		return -ERESTARTSYS;
	ret = client_set(c, cmd, set.value);
	mutex_unlock(&c->read_lock);
	return ret;
}

/*
 * pynq_irq_line_fops: the file operations of a line's node
 */
const struct file_operations pynq_irq_line_fops = {
	.owner = THIS_MODULE,
	.open = pynq_irq_line_open,
	.release = pynq_irq_line_release,
	.read = line_read,
	.write_iter = line_write_iter,
	.poll = line_poll,
	.fasync = line_fasync,
	.unlocked_ioctl = line_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};
