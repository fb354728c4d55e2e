// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq event lines: one interrupt source as one /dev/pynq-irq/<name>.
 * This file has the line itself: its creation and destruction, and the
 * path of an event from the driver's hard-IRQ handler into every client's
 * queue (coalescing, and the storm throttle). line-file.c has the node's
 * file operations, line-sysfs.c its attributes.
 *
 * Every open file is a client with its own queue (a kfifo); an event is
 * copied into every client's queue in hard-IRQ context (broadcast, as
 * evdev does). A full queue drops its oldest event and counts it as lost;
 * the count is reported with the next record the client reads.
 *
 * Lifetime: the line embeds its struct device and struct cdev. An open file
 * holds the cdev, the cdev holds the device, and the line is freed by the
 * device's release once the driver has destroyed it and the last file is
 * closed. Destroying a line never waits for userspace: it marks the line
 * gone, wakes every reader and poller, and removes the node; calls on files
 * still open then fail with -ENODEV (poll: EPOLLHUP | EPOLLERR).
 */

#include <linux/idr.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include <linux/pynq-irq.h>

#include "compat.h"
#include "line-priv.h"

#define PYNQ_IRQ_MAX_LINES	1024

/*
 * The storm throttle's default limit, in interrupts a second, and the
 * window it is counted over. 20000 a second is 50 µs apart on average:
 * more than a PYNQ program in Python can take (Documentation/
 * performance.rst: about 20 kHz at best), and far above what buttons,
 * switches and the usual PL cores raise; a C reader that needs more sets
 * sysfs "rate_limit". Over PYNQ_IRQ_RATE_WINDOW_NS, a line may take
 * rate_limit / 100 interrupts before the throttle masks it.
 */
#define PYNQ_IRQ_RATE_DEFAULT	20000
#define PYNQ_IRQ_RATE_WINDOW_NS	(10 * NSEC_PER_MSEC)
/*
 * How long a throttled line stays masked. A storm on all 32 pins of an
 * INTC then costs 32 windows' worth of interrupts a second, a few percent
 * of a CPU, however fast the inputs toggle.
 */
#define PYNQ_IRQ_BACKOFF_NS	NSEC_PER_SEC

static dev_t pynq_irq_devt;
static DEFINE_IDA(pynq_irq_minors);

static const char *const trigger_names[] = {
	[PYNQ_IRQ_TRIGGER_EDGE] = "edge",
	[PYNQ_IRQ_TRIGGER_LEVEL] = "level",
	[PYNQ_IRQ_TRIGGER_SGI_TX] = "sgi-tx",
	[PYNQ_IRQ_TRIGGER_SGI_RX] = "sgi-rx",
};

/**
 * pynq_irq_trigger_name() - the sysfs name of a PYNQ_IRQ_TRIGGER_*
 * @trigger: the trigger
 *
 * Return: "edge", "level", "sgi-tx" or "sgi-rx".
 */
const char *pynq_irq_trigger_name(u32 trigger)
{
	return trigger_names[trigger];
}

/**
 * pynq_irq_client_alloc_fifo() - give a client an empty queue
 * @c: the client; its old queue (if any) is the caller's to free
 * @depth: events the queue holds, 1 to PYNQ_IRQ_QUEUE_MAX
 *
 * The storage is a power of two of two events or more (kfifo's rule), of
 * which @depth is used.
 *
 * Return: 0 or -ENOMEM.
 */
int pynq_irq_client_alloc_fifo(struct pynq_irq_client *c, u32 depth)
{
	/* kfifo's rule: a power of two, and two at least. */
	unsigned int size = roundup_pow_of_two(max_t(u32, depth, 2));
	struct pynq_irq_kevent *buf;

	buf = kvmalloc_array(size, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	INIT_KFIFO(c->fifo);
	/* Cannot fail: the size is a power of two. */
	WARN_ON(kfifo_init(&c->fifo, buf, size * sizeof(*buf)));
	c->depth = depth;
	return 0;
}

/**
 * pynq_irq_client_free_fifo() - free a client's queue
 * @c: the client
 */
void pynq_irq_client_free_fifo(struct pynq_irq_client *c)
{
	kvfree(c->fifo.kfifo.data);
	c->fifo.kfifo.data = NULL;
}

/**
 * pynq_irq_client_drop() - count an event dropped from a client's queue
 * @c: the client
 * @ev: the event: it stood for 1 + @ev->merged interrupts, all lost
 *
 * Under the line's lock.
 */
void pynq_irq_client_drop(struct pynq_irq_client *c,
			  const struct pynq_irq_kevent *ev)
{
	u32 n = ev->merged + 1 ? ev->merged + 1 : U32_MAX;

	c->lost = n > U32_MAX - c->lost ? U32_MAX : c->lost + n;
	c->drops++;
	c->line->lost += n;
}

/* Queue @ev for @c; a full queue drops its oldest. Under the line's lock. */
static void client_queue(struct pynq_irq_client *c,
			 const struct pynq_irq_kevent *ev)
{
	struct pynq_irq_kevent old;

	if (kfifo_len(&c->fifo) >= c->depth && kfifo_get(&c->fifo, &old))
		pynq_irq_client_drop(c, &old);
	kfifo_put(&c->fifo, *ev);
	kill_fasync(&c->fasync, SIGIO, POLL_IN);
}

/**
 * pynq_irq_client_flush() - queue the event of an open coalescing window
 * @c: the client
 *
 * Under the line's lock. The window's timer, if it still runs, then finds
 * nothing to do.
 */
void pynq_irq_client_flush(struct pynq_irq_client *c)
{
	if (!c->open)
		return;
	c->open = false;
	client_queue(c, &c->pending);
}

static enum hrtimer_restart client_window_end(struct hrtimer *t)
{
	struct pynq_irq_client *c = container_of(t, struct pynq_irq_client,
						 window);
	struct pynq_irq_line *line = c->line;
	unsigned long flags;
	bool queued = false;

	spin_lock_irqsave(&line->lock, flags);
	/* Not a window opened since this expiry was set (a late timer). */
	if (c->open && ktime_get_ns() - c->pending.mono_ns >= c->coalesce_ns) {
		pynq_irq_client_flush(c);
		queued = true;
	}
	spin_unlock_irqrestore(&line->lock, flags);
	if (queued)
		wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
	return HRTIMER_NORESTART;
}

/* Set a new client's defaults: @c is zeroed, with its queue. */
static void client_init(struct pynq_irq_client *c, struct pynq_irq_line *line)
{
	c->line = line;
	c->clock = CLOCK_MONOTONIC;
	c->format = PYNQ_IRQ_FORMAT_TEXT;
	INIT_LIST_HEAD(&c->node);
	hrtimer_init(&c->window, CLOCK_MONOTONIC, HRTIMER_MODE_ABS);
	c->window.function = client_window_end;
	mutex_init(&c->read_lock);
}

/*
 * An interrupt for @c (@ev in @c's clock). With a coalescing window, it
 * opens a window or folds into the open one. True if it queued an event.
 */
static bool client_add(struct pynq_irq_client *c, struct pynq_irq_kevent *ev)
{
	bool queued = false;

	if (c->open) {
		if (ev->mono_ns - c->pending.mono_ns < c->coalesce_ns) {
			if (c->pending.merged < U32_MAX)
				c->pending.merged++;
			return false;
		}
		/* The window closed; its timer has not run yet. */
		pynq_irq_client_flush(c);
		queued = true;
	}
	ev->suppressed = c->suppressed;
	ev->flags = c->flags;
	c->suppressed = 0;
	c->flags = 0;
	if (!c->coalesce_ns) {
		client_queue(c, ev);
		return true;
	}
	c->pending = *ev;
	c->open = true;
	hrtimer_start(&c->window, ns_to_ktime(ev->mono_ns + c->coalesce_ns),
		      HRTIMER_MODE_ABS);
	return queued;
}

/* @c's clock minus CLOCK_MONOTONIC at @mono; @offs caches them. */
static s64 client_offset(const struct pynq_irq_client *c, ktime_t mono,
			 s64 offs[2], bool have[2])
{
	int i;

	switch (c->clock) {
	case CLOCK_REALTIME:
		i = 0;
		break;
	case CLOCK_BOOTTIME:
		i = 1;
		break;
	default:
		return 0;
	}
	if (!have[i]) {
		offs[i] = ktime_to_ns(ktime_sub(ktime_mono_to_any(mono, i ?
					TK_OFFS_BOOT : TK_OFFS_REAL), mono));
		have[i] = true;
	}
	return offs[i];
}

/*
 * The storm throttle: count the interrupt in the current window; true if
 * it takes the line over its limit, and the line is to be masked.
 */
static bool line_over_limit(struct pynq_irq_line *line, u64 now)
{
	if (!line->window_budget || !line->can_throttle)
		return false;
	if (now - line->window_start >= PYNQ_IRQ_RATE_WINDOW_NS) {
		line->window_start = now;
		line->window_count = 0;
	}
	return ++line->window_count > line->window_budget;
}

/**
 * pynq_irq_line_set_rate_limit() - set the storm throttle's limit
 * @line: the line
 * @limit: interrupts a second, 0 for off
 *
 * Works out the window's budget here, not in the handler. Process context.
 */
void pynq_irq_line_set_rate_limit(struct pynq_irq_line *line, u32 limit)
{
	u32 budget = 0;

	if (limit)
		budget = max_t(u32, 1, div_u64((u64)limit *
					       PYNQ_IRQ_RATE_WINDOW_NS,
					       NSEC_PER_SEC));
	spin_lock_irq(&line->lock);
	line->rate_limit = limit;
	line->window_budget = budget;
	line->window_count = 0;
	spin_unlock_irq(&line->lock);
}

/* Count an interrupt that no client queues. Under the line's lock. */
static void line_suppress(struct pynq_irq_line *line)
{
	struct pynq_irq_client *c;

	list_for_each_entry(c, &line->clients, node) {
		if (c->suppressed < U32_MAX)
			c->suppressed++;
		c->flags |= PYNQ_IRQ_EVENT_THROTTLED;
	}
}

static enum hrtimer_restart line_backoff_end(struct hrtimer *t)
{
	struct pynq_irq_line *line = container_of(t, struct pynq_irq_line,
						  backoff);
	unsigned long flags;
	bool unmask;

	spin_lock_irqsave(&line->lock, flags);
	unmask = line->throttled;
	line->throttled = false;
	line->window_start = ktime_get_ns();
	line->window_count = 0;
	spin_unlock_irqrestore(&line->lock, flags);
	if (unmask)
		line->ops->throttle(line, false);
	return HRTIMER_NORESTART;
}

/**
 * pynq_irq_line_event() - report that the line's interrupt fired
 * @line: the line
 * @stamp: CLOCK_MONOTONIC time, taken in the hard-IRQ handler (or when a
 *	raised SGI was written)
 * @masked: the source has masked itself and stays masked until a client
 *	waits again; the core then calls the line's rearm op
 *
 * Hard-IRQ safe. Queues the event for every open file and wakes readers,
 * or, over the line's rate limit, masks the source for a while and counts
 * the interrupt as suppressed.
 */
void pynq_irq_line_event(struct pynq_irq_line *line, ktime_t stamp,
			 bool masked)
{
	struct pynq_irq_kevent ev = { .mono_ns = ktime_to_ns(stamp) };
	struct pynq_irq_client *c;
	bool have[2] = { }, wake = false, throttle = false;
	unsigned long flags;
	s64 offs[2];

	spin_lock_irqsave(&line->lock, flags);
	ev.seqno = ++line->seqno;
	if (masked)
		line->masked = true;
	if (line->throttled) {
		/* Taken before the mask took effect. */
		line_suppress(line);
	} else if (line_over_limit(line, ev.mono_ns)) {
		line_suppress(line);
		line->throttled = true;
		line->episodes++;
		throttle = true;
		hrtimer_start(&line->backoff, ns_to_ktime(PYNQ_IRQ_BACKOFF_NS),
			      HRTIMER_MODE_REL);
	} else {
		list_for_each_entry(c, &line->clients, node) {
			ev.offs_ns = client_offset(c, stamp, offs, have);
			wake |= client_add(c, &ev);
		}
	}
	spin_unlock_irqrestore(&line->lock, flags);
	if (throttle) {
		line->ops->throttle(line, true);
		dev_warn_ratelimited(&line->dev,
				     "interrupt storm: over %u interrupts a second, masked for %u ms\n",
				     READ_ONCE(line->rate_limit),
				     (unsigned int)(PYNQ_IRQ_BACKOFF_NS / NSEC_PER_MSEC));
	}
	if (wake)
		wake_up_interruptible_poll(&line->wait, EPOLLIN | EPOLLRDNORM);
}

/**
 * pynq_irq_line_flag() - flag the next event of every open file
 * @line: the line
 * @flags: PYNQ_IRQ_EVENT_*
 *
 * Any context.
 */
void pynq_irq_line_flag(struct pynq_irq_line *line, u16 flags)
{
	struct pynq_irq_client *c;
	unsigned long irqflags;

	spin_lock_irqsave(&line->lock, irqflags);
	list_for_each_entry(c, &line->clients, node)
		c->flags |= flags;
	spin_unlock_irqrestore(&line->lock, irqflags);
}

/**
 * pynq_irq_line_wait_prepare() - a client is about to wait for an event
 * @c: the client, which found nothing to read
 *
 * Lets the driver check its hardware (the verify op), and unmasks a source
 * that masked itself (the rearm op). Not the latter if an event reached
 * @c meanwhile (the handler may run on another CPU between the caller's
 * check and here): that event is what it waits for, and unmasking a source
 * still asserted would report it twice.
 */
void pynq_irq_line_wait_prepare(struct pynq_irq_client *c)
{
	struct pynq_irq_line *line = c->line;
	bool rearm;

	if (!line->ops->verify &&
	    (!line->ops->rearm || !READ_ONCE(line->masked)))
		return;
	mutex_lock(&line->ops_lock);
	if (line->active && !READ_ONCE(line->gone) && line->ops->verify)
		line->ops->verify(line);
	spin_lock_irq(&line->lock);
	rearm = line->ops->rearm && line->masked && !line->gone &&
		line->active && kfifo_is_empty(&c->fifo);
	if (rearm)
		line->masked = false;
	spin_unlock_irq(&line->lock);
	if (rearm)
		line->ops->rearm(line);
	mutex_unlock(&line->ops_lock);
}

/**
 * pynq_irq_line_latency() - count a read's delivery latency
 * @line: the line
 * @mono_ns: the event's CLOCK_MONOTONIC stamp
 * @now: CLOCK_MONOTONIC ns of the read
 *
 * Under the line's lock.
 */
void pynq_irq_line_latency(struct pynq_irq_line *line, u64 mono_ns, u64 now)
{
	u64 us = now > mono_ns ? div_u64(now - mono_ns, NSEC_PER_USEC) : 0;

	line->latency[min_t(unsigned int, fls64(us),
			    PYNQ_IRQ_LAT_BUCKETS - 1)]++;
}

/**
 * pynq_irq_line_enabled() - whether the source is on (sysfs "enabled")
 * @line: the line
 *
 * Return: true while the source can fire: the open op succeeded (or there
 * is none), and it is neither masked nor throttled nor gone.
 */
bool pynq_irq_line_enabled(struct pynq_irq_line *line)
{
	bool on;

	mutex_lock(&line->ops_lock);
	spin_lock_irq(&line->lock);
	on = (line->active || !line->ops->open) && !line->masked &&
	     !line->throttled && !line->gone;
	spin_unlock_irq(&line->lock);
	mutex_unlock(&line->ops_lock);
	return on;
}

/*
 * Stop the source once: last file closed, or line destroyed. With the
 * line's ops mutex held.
 */
static void line_stop(struct pynq_irq_line *line)
{
	lockdep_assert_held(&line->ops_lock);
	if (!line->active)
		return;
	line->active = false;
	/* No throttle starts from now on, and none is left running. */
	spin_lock_irq(&line->lock);
	line->can_throttle = false;
	spin_unlock_irq(&line->lock);
	hrtimer_cancel(&line->backoff);
	if (line->ops->close)
		line->ops->close(line);
	/*
	 * Only now: until the close op returned, the source could still fire
	 * and mask itself again, and the next open's first wait would then
	 * re-enable a source that is already enabled. A throttle's mask goes
	 * with the close op too (the IRQ is freed).
	 */
	spin_lock_irq(&line->lock);
	line->masked = false;
	line->throttled = false;
	spin_unlock_irq(&line->lock);
}

/* The open op started the source. With the line's ops mutex held. */
static void line_started(struct pynq_irq_line *line)
{
	lockdep_assert_held(&line->ops_lock);
	line->active = true;
	spin_lock_irq(&line->lock);
	line->can_throttle = !!line->ops->throttle;
	line->window_start = ktime_get_ns();
	line->window_count = 0;
	spin_unlock_irq(&line->lock);
}

/**
 * pynq_irq_line_open() - open a line's node: a new client
 * @inode: the node
 * @file: the file
 *
 * The first open starts the source (the open op).
 *
 * Return: 0 or a negative errno.
 */
int pynq_irq_line_open(struct inode *inode, struct file *file)
{
	struct pynq_irq_line *line =
		container_of(inode->i_cdev, struct pynq_irq_line, cdev);
	struct pynq_irq_client *c;
	int ret;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	ret = pynq_irq_client_alloc_fifo(c, PYNQ_IRQ_QUEUE_DEFAULT);
	if (ret)
		goto free_client;
	client_init(c, line);

	mutex_lock(&line->ops_lock);
	if (READ_ONCE(line->gone)) {
		ret = -ENODEV;
		goto unlock;
	}
	/*
	 * Listed before the source is enabled: it sees the first event. A
	 * file opened for writing only has no use for events.
	 */
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
		line_started(line);
	}
	line->users++;
	mutex_unlock(&line->ops_lock);

	file->private_data = c;
	return stream_open(inode, file);

unlock:
	mutex_unlock(&line->ops_lock);
	mutex_destroy(&c->read_lock);
	pynq_irq_client_free_fifo(c);
free_client:
	kfree(c);
	return ret;
}

/**
 * pynq_irq_line_release() - the last reference to an open file went
 * @inode: the node
 * @file: the file
 *
 * The last file of the line stops the source (the close op).
 *
 * Return: 0.
 */
int pynq_irq_line_release(struct inode *inode, struct file *file)
{
	struct pynq_irq_client *c = file->private_data;
	struct pynq_irq_line *line = c->line;

	mutex_lock(&line->ops_lock);
	spin_lock_irq(&line->lock);
	list_del(&c->node);
	c->open = false;
	spin_unlock_irq(&line->lock);
	if (!--line->users)
		line_stop(line);
	mutex_unlock(&line->ops_lock);

	/* Off the list: nothing starts the window's timer again. */
	hrtimer_cancel(&c->window);
	mutex_destroy(&c->read_lock);
	pynq_irq_client_free_fifo(c);
	kfree(c);
	return 0;
}

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
	struct pynq_irq_line *line = container_of(dev, struct pynq_irq_line,
						  dev);

	ida_free(&pynq_irq_minors, MINOR(dev->devt));
	mutex_destroy(&line->ops_lock);
	kfree(line);
}

/**
 * pynq_irq_line_create() - create a line and its /dev/pynq-irq/<name>
 * @parent: the device whose interrupt source this is
 * @name: node name, unique among all lines; no '/'
 * @number: hardware number shown to userspace (pin or SGI id)
 * @trigger: PYNQ_IRQ_TRIGGER_*
 * @ops: the driver's callbacks; must outlive the line
 * @drvdata: returned by pynq_irq_line_drvdata()
 *
 * Return: the line, or an ERR_PTR().
 */
struct pynq_irq_line *pynq_irq_line_create(struct device *parent,
					   const char *name,
					   unsigned int number,
					   u32 trigger,
					   const struct pynq_irq_line_ops *ops,
					   void *drvdata)
{
	struct pynq_irq_line *line;
	struct device *dup;
	int minor, ret;

	if (!name[0] || strchr(name, '/') || !trigger ||
	    trigger >= ARRAY_SIZE(trigger_names))
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
	line->trigger = trigger;
	mutex_init(&line->ops_lock);
	spin_lock_init(&line->lock);
	INIT_LIST_HEAD(&line->clients);
	init_waitqueue_head(&line->wait);
	hrtimer_init(&line->backoff, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	line->backoff.function = line_backoff_end;
	if (ops->throttle)
		pynq_irq_line_set_rate_limit(line, PYNQ_IRQ_RATE_DEFAULT);

	device_initialize(&line->dev);
	line->dev.class = &pynq_irq_class;
	line->dev.parent = parent;
	line->dev.devt = MKDEV(MAJOR(pynq_irq_devt), minor);
	line->dev.groups = pynq_irq_line_groups;
	line->dev.release = line_dev_release;
	cdev_init(&line->cdev, &pynq_irq_line_fops);
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
 * EPOLLHUP | EPOLLERR. Files in O_ASYNC mode get SIGIO (POLL_HUP), once.
 * Cheap: a driver removing many lines kills them all first, then destroys
 * them. Atomic-safe; may be called more than once.
 */
void pynq_irq_line_kill(struct pynq_irq_line *line)
{
	struct pynq_irq_client *c;
	unsigned long flags;

	spin_lock_irqsave(&line->lock, flags);
	/* As evdev does: a file waiting for SIGIO learns of the end too. */
	if (!line->gone)
		list_for_each_entry(c, &line->clients, node)
			kill_fasync(&c->fasync, SIGIO, POLL_HUP);
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
	line_stop(line);
	mutex_unlock(&line->ops_lock);

	cdev_device_del(&line->cdev, &line->dev);
	put_device(&line->dev);
}

/**
 * pynq_irq_line_get() - keep a line's memory (not its node) for later calls
 * @line: the line
 *
 * For a driver whose op on one line calls pynq_irq_line_flag() on its
 * other lines: they may be destroyed meanwhile, and must stay allocated
 * until that op can no longer run.
 */
void pynq_irq_line_get(struct pynq_irq_line *line)
{
	get_device(&line->dev);
}

/**
 * pynq_irq_line_put() - drop what pynq_irq_line_get() took
 * @line: the line
 */
void pynq_irq_line_put(struct pynq_irq_line *line)
{
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
