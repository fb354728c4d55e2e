/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pynq-irq event lines, inside: the structures that line.c (the line and
 * its event path), line-file.c (the node's file operations) and
 * line-sysfs.c (its attributes) share. Drivers use line.h only.
 */
#ifndef PYNQ_IRQ_LINE_PRIV_H
#define PYNQ_IRQ_LINE_PRIV_H

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/kfifo.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "line.h"

/* Log2 buckets of the delivery-latency histogram (sysfs "latency"). */
#define PYNQ_IRQ_LAT_BUCKETS	32

/**
 * struct pynq_irq_kevent - an event as queued for a client
 * @mono_ns: CLOCK_MONOTONIC time of the interrupt, in ns
 * @offs_ns: the client's clock minus CLOCK_MONOTONIC at interrupt time
 *	(0 for CLOCK_MONOTONIC): the stamp handed out is @mono_ns + @offs_ns
 * @seqno: the line's sequence number of the (first) interrupt
 * @merged: interrupts folded into this event by the client's coalescing
 * @suppressed: interrupts a storm throttle took and did not queue, since
 *	the client's previous event
 * @flags: PYNQ_IRQ_EVENT_*
 */
struct pynq_irq_kevent {
	u64 mono_ns;
	s64 offs_ns;
	u64 seqno;
	u32 merged;
	u32 suppressed;
	u16 flags;
};

/**
 * struct pynq_irq_line - one interrupt source shown as one device node
 * @dev: the node's device; its last reference frees the line
 * @cdev: the character device; an open file holds it, and it holds @dev
 * @ops: the driver's callbacks
 * @drvdata: the driver's data for this line
 * @number: hardware number: INTC pin or SGI id
 * @trigger: PYNQ_IRQ_TRIGGER_*
 * @ops_lock: serialises the @ops calls (but @throttle) and protects
 *	@users and @active; taken before @lock, never in atomic context
 * @users: open files
 * @active: the open op succeeded and the close op has not run yet
 * @lock: protects everything below it, and every client's queue,
 *	pending counts, coalescing window and clock; taken in hard-IRQ
 *	context
 * @clients: the open files' clients
 * @seqno: sequence number of the last event (= interrupts taken)
 * @lost: interrupts whose events full client queues dropped, all clients
 *	together
 * @masked: the source masked itself when it fired and waits for a client
 *	to wait again (level pins)
 * @gone: the driver is destroying the line; set once
 * @can_throttle: the source is on and may be throttled (between the open
 *	op and the close op, for a line with a throttle op)
 * @throttled: the storm throttle has the source masked
 * @rate_limit: interrupts a second above which the throttle masks the
 *	source; 0 is off
 * @window_budget: interrupts a window may take, from @rate_limit; 0 off
 * @window_start: CLOCK_MONOTONIC ns when the throttle's window began
 * @window_count: interrupts in that window
 * @episodes: times the throttle masked the source
 * @backoff: ends a throttle episode
 * @latency: delivery-latency histogram: reads that returned an event,
 *	by log2 of the µs from the interrupt to the read
 * @wait: every client's readers and pollers wait here
 */
struct pynq_irq_line {
	struct device dev;
	struct cdev cdev;
	const struct pynq_irq_line_ops *ops;
	void *drvdata;
	unsigned int number;
	u32 trigger;

	struct mutex ops_lock;	/* see @ops_lock above */
	unsigned int users;
	bool active;

	spinlock_t lock;	/* see @lock above; hard-IRQ safe */
	struct list_head clients;
	u64 seqno;
	u64 lost;
	bool masked;
	bool gone;
	bool can_throttle;
	bool throttled;
	u32 rate_limit;
	u32 window_budget;
	u64 window_start;
	u32 window_count;
	u64 episodes;
	struct hrtimer backoff;
	u64 latency[PYNQ_IRQ_LAT_BUCKETS];

	wait_queue_head_t wait;
};

/**
 * struct pynq_irq_client - one open file of a line
 * @line: the line
 * @node: entry in the line's client list (under the line's lock)
 * @fifo: the queued events (under the line's lock)
 * @depth: events @fifo may hold (at most its size)
 * @lost: interrupts whose events were dropped since the last record read
 * @drops: events dropped, ever (wraps): a read that copied events without
 *	the lock tells from it whether the oldest were dropped meanwhile
 * @suppressed: interrupts suppressed by a throttle since the last event
 *	queued, for the next one
 * @flags: PYNQ_IRQ_EVENT_* for the next event queued
 * @clock: clock of the timestamps of the events queued
 * @coalesce_ns: the coalescing window, 0 when off
 * @open: @pending is an event whose coalescing window is still open
 * @pending: that event, queued when its window closes
 * @window: closes the coalescing window
 * @fasync: SIGIO subscribers (fasync_helper())
 * @read_lock: serialises reads and settings of this file; protects
 *	@format and the text state. Not held while a read sleeps.
 * @format: PYNQ_IRQ_FORMAT_*
 * @text: the text line being read
 * @text_len: length of @text
 * @text_off: bytes of @text already read
 *
 * Every member from @fifo to @window is under the line's lock.
 */
struct pynq_irq_client {
	struct pynq_irq_line *line;
	struct list_head node;

	DECLARE_KFIFO_PTR(fifo, struct pynq_irq_kevent);
	u32 depth;
	u32 lost;
	u32 drops;
	u32 suppressed;
	u16 flags;
	clockid_t clock;
	u64 coalesce_ns;
	bool open;
	struct pynq_irq_kevent pending;
	struct hrtimer window;
	struct fasync_struct *fasync;

	struct mutex read_lock;	/* see @read_lock above */
	u32 format;
	char text[128];
	unsigned int text_len;
	unsigned int text_off;
};

/* line.c */
int pynq_irq_line_open(struct inode *inode, struct file *file);
int pynq_irq_line_release(struct inode *inode, struct file *file);
int pynq_irq_client_alloc_fifo(struct pynq_irq_client *c, u32 depth);
void pynq_irq_client_free_fifo(struct pynq_irq_client *c);
void pynq_irq_client_drop(struct pynq_irq_client *c,
			  const struct pynq_irq_kevent *ev);
void pynq_irq_client_flush(struct pynq_irq_client *c);
void pynq_irq_line_wait_prepare(struct pynq_irq_client *c);
void pynq_irq_line_latency(struct pynq_irq_line *line, u64 mono_ns, u64 now);
void pynq_irq_line_set_rate_limit(struct pynq_irq_line *line, u32 limit);
const char *pynq_irq_trigger_name(u32 trigger);
bool pynq_irq_line_enabled(struct pynq_irq_line *line);

/* line-file.c */
extern const struct file_operations pynq_irq_line_fops;

/* line-sysfs.c */
extern const struct attribute_group *pynq_irq_line_groups[];

#endif /* PYNQ_IRQ_LINE_PRIV_H */
