/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pynq-irq: interrupts of the Zynq programmable logic (AXI INTC pins) and
 * of the other CPU (GIC SGIs) as character devices, /dev/pynq-irq/<name>.
 * ABI version 1.
 *
 * Every open file is a client with its own queue and sees every event that
 * happens after it opened. A read returns events, oldest first.
 *
 * Text mode (the default, PYNQ_IRQ_FORMAT_TEXT): the file reads as lines,
 * one per event,
 *
 *	<seqno> <seconds>.<nanoseconds> <lost>\n
 *
 * e.g. "42 1234.000567890 0": the line's sequence number of the event, its
 * timestamp (9 fraction digits) and how many interrupts this client missed
 * just before it: events its full queue dropped, plus interrupts a storm
 * throttle suppressed (so that nothing disappears unaccounted). These three
 * fields never change. PYNQ_IRQ_FORMAT_TEXT_FULL adds three:
 *
 *	<seqno> <seconds>.<nanoseconds> <lost> <merged> <suppressed> <flags>\n
 *
 * where <lost> counts queue drops only, <merged> and <suppressed> are the
 * record's fields, and <flags> is "-" or a comma-separated list of
 * "throttled" and "reset". Reads of any size work, down to one byte.
 *
 * Binary mode (PYNQ_IRQ_FORMAT_BINARY): reads return whole struct
 * pynq_irq_event records; a read smaller than one record fails with EINVAL
 * and consumes nothing.
 *
 * A read blocks until there is at least one event (or fails with EAGAIN
 * under O_NONBLOCK); poll reports EPOLLIN | EPOLLRDNORM when a read would
 * not block. With F_SETOWN and O_ASYNC (fcntl F_SETFL), the owner gets
 * SIGIO each time an event is queued. When the device goes away, reads and
 * ioctls fail with ENODEV and poll reports EPOLLHUP | EPOLLERR.
 *
 * SGI nodes (sysfs "trigger" is "sgi-tx" or "sgi-rx"): an "sgi-rx" node
 * reads as the SGIs the other CPU raised and Linux took. Writing to an
 * "sgi-tx" node raises its SGI to the other CPU, once per write() call of
 * one byte or more, whatever the bytes (the call returns their number); a
 * write of 0 bytes raises nothing. An "sgi-tx" node reads as the SGIs
 * raised (from any writer, or the device's sysfs "raise"). Other nodes
 * fail writes with EINVAL. A file opened write-only gets no events. An
 * SGI raised again before the receiver took it merges with it (one
 * interrupt, one event): count with shared memory when every raise
 * matters.
 *
 * Compatibility rule (from ABI version 1 on): a structure here only grows
 * at its end, into its reserved words, and the size of an ioctl's argument
 * is part of the ioctl's number, so a program built against an older
 * header keeps working. Reserved words and flags not defined yet must be
 * zero in what a program passes (EINVAL otherwise), so that a new meaning
 * never surprises an old program; in what the kernel returns they read as
 * zero until a later version defines them. A record stays 32 bytes.
 * Version 1 changed what version 0 had: every ioctl takes a struct,
 * PYNQ_IRQ_GET_QUEUE_DEPTH gave way to PYNQ_IRQ_GET_INFO, and the record's
 * @number and @flags became 16 bits wide to make room for @merged and
 * @suppressed.
 */
#ifndef _UAPI_LINUX_PYNQ_IRQ_H
#define _UAPI_LINUX_PYNQ_IRQ_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Event flags (struct pynq_irq_event @flags) */
/*
 * A storm throttle on the line ended just before this event: the line was
 * masked for a while, and @suppressed interrupts were taken and not queued.
 * Edges that arrived while it was masked merged in the controller and were
 * never seen.
 */
#define PYNQ_IRQ_EVENT_THROTTLED	(1U << 0)
/*
 * The interrupt controller was found reset under the driver (e.g. the PL
 * was loaded again) and restored before this event: interrupts between
 * the reset and the restore were never seen.
 */
#define PYNQ_IRQ_EVENT_RESET		(1U << 1)

/**
 * struct pynq_irq_event - one event, as read in binary mode
 * @timestamp_ns: when the interrupt was taken (in hard-IRQ context), in
 *	nanoseconds of the clock the client had when the event was queued
 *	(PYNQ_IRQ_SET_CLOCK; default CLOCK_MONOTONIC), captured at interrupt
 *	time, so a clock step before the read does not move it; on an
 *	"sgi-tx" node, when the SGI was raised. Of a coalesced event, the
 *	first interrupt's.
 * @seqno: the line's sequence number of this interrupt: 1 for the first
 *	interrupt the line took, counting every interrupt whether or not
 *	this client kept it. A coalesced event covers @seqno to
 *	@seqno + @merged.
 * @lost: events this client lost (its queue was full, the oldest were
 *	dropped) between the previous record it read and this one
 * @number: the line's hardware number: the INTC pin, or the SGI id
 * @flags: PYNQ_IRQ_EVENT_* (new in version 1)
 * @merged: interrupts folded into this event by the client's coalescing
 *	window (PYNQ_IRQ_SET_COALESCE): the event stands for 1 + @merged
 *	interrupts (new in version 1)
 * @suppressed: interrupts a storm throttle took and did not queue since
 *	the previous record (new in version 1; see PYNQ_IRQ_EVENT_THROTTLED)
 *
 * 32 bytes, 8-byte aligned, the same layout for 32- and 64-bit programs.
 * For every client, the line's interrupts between two records are
 * exactly the later record's 1 + @merged + @lost + @suppressed.
 */
struct pynq_irq_event {
	__u64 timestamp_ns;
	__u64 seqno;
	__u32 lost;
	__u16 number;
	__u16 flags;
	__u32 merged;
	__u32 suppressed;
};

/* Formats for PYNQ_IRQ_SET_FORMAT */
#define PYNQ_IRQ_FORMAT_TEXT		0
#define PYNQ_IRQ_FORMAT_BINARY		1
#define PYNQ_IRQ_FORMAT_TEXT_FULL	2

/* Queue depth: default and largest for PYNQ_IRQ_SET_QUEUE_DEPTH */
#define PYNQ_IRQ_QUEUE_DEFAULT	1024
#define PYNQ_IRQ_QUEUE_MAX	65536

/* Largest coalescing window for PYNQ_IRQ_SET_COALESCE, in microseconds */
#define PYNQ_IRQ_COALESCE_MAX_US	1000000

/**
 * struct pynq_irq_setting - the argument of the PYNQ_IRQ_SET_* ioctls
 * @value: the new value (see each ioctl)
 * @flags: zero (none defined yet)
 * @reserved: zero
 */
struct pynq_irq_setting {
	__u32 value;
	__u32 flags;
	__u32 reserved[2];
};

/* Triggers (struct pynq_irq_info @trigger; sysfs "trigger" names them) */
#define PYNQ_IRQ_TRIGGER_EDGE	1	/* "edge" */
#define PYNQ_IRQ_TRIGGER_LEVEL	2	/* "level" */
#define PYNQ_IRQ_TRIGGER_SGI_TX	3	/* "sgi-tx" */
#define PYNQ_IRQ_TRIGGER_SGI_RX	4	/* "sgi-rx" */

/* Line flags (struct pynq_irq_info @flags) */
#define PYNQ_IRQ_INFO_ENABLED	(1U << 0)	/* sysfs "enabled" reads 1 */
#define PYNQ_IRQ_INFO_THROTTLED	(1U << 1)	/* a storm throttle is on */

#define PYNQ_IRQ_NAME_SIZE	64

/**
 * struct pynq_irq_info - a line and this file's settings (PYNQ_IRQ_GET_INFO)
 * @name: the node's name, NUL-terminated (cut to PYNQ_IRQ_NAME_SIZE - 1
 *	bytes if longer)
 * @number: the line's hardware number (the INTC pin, or the SGI id)
 * @trigger: PYNQ_IRQ_TRIGGER_*
 * @flags: PYNQ_IRQ_INFO_*
 * @clients: open files of the line (sysfs "clients")
 * @interrupts: interrupts the line took (sysfs "interrupts")
 * @lost: events dropped from full queues, all clients (sysfs "lost")
 * @throttled: storm throttle episodes (sysfs "throttled")
 * @rate_limit: the storm throttle's limit in interrupts a second, 0 when
 *	off or when the line has none (sysfs "rate_limit")
 * @format: this file's PYNQ_IRQ_FORMAT_*
 * @clock: this file's clock (CLOCK_MONOTONIC, CLOCK_REALTIME or
 *	CLOCK_BOOTTIME)
 * @queue_depth: this file's queue depth
 * @queued: events in this file's queue now
 * @coalesce_us: this file's coalescing window, 0 when off
 * @reserved: zero
 */
struct pynq_irq_info {
	char name[PYNQ_IRQ_NAME_SIZE];
	__u32 number;
	__u32 trigger;
	__u32 flags;
	__u32 clients;
	__u64 interrupts;
	__u64 lost;
	__u64 throttled;
	__u32 rate_limit;
	__u32 format;
	__u32 clock;
	__u32 queue_depth;
	__u32 queued;
	__u32 coalesce_us;
	__u32 reserved[8];
};

#define PYNQ_IRQ_IOC_MAGIC	0xE7

/*
 * Every PYNQ_IRQ_SET_* ioctl fails with EFAULT for a bad pointer, EINVAL
 * for non-zero @flags or @reserved words and for a value out of range, and
 * ENODEV once the device is gone. The settings are the file's own.
 */

/*
 * PYNQ_IRQ_SET_FORMAT - set this file's read format (@value: one of
 * PYNQ_IRQ_FORMAT_*). EBUSY while a text line is half read, or waits for
 * the next read after a read whose buffer turned bad part-way.
 */
#define PYNQ_IRQ_SET_FORMAT	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x01, struct pynq_irq_setting)

/*
 * PYNQ_IRQ_SET_CLOCK - set the clock of this file's timestamps (@value:
 * CLOCK_MONOTONIC, CLOCK_REALTIME or CLOCK_BOOTTIME). Applies to events
 * queued from then on; those already queued keep the clock they were
 * stamped in.
 */
#define PYNQ_IRQ_SET_CLOCK	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x02, struct pynq_irq_setting)

/*
 * PYNQ_IRQ_SET_QUEUE_DEPTH - set how many events this file keeps (@value:
 * 1 to PYNQ_IRQ_QUEUE_MAX). Queued events that no longer fit are dropped,
 * oldest first, and counted as lost. ENOMEM if the queue cannot grow.
 */
#define PYNQ_IRQ_SET_QUEUE_DEPTH	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x03, struct pynq_irq_setting)

/*
 * PYNQ_IRQ_SET_COALESCE - set this file's coalescing ("debounce") window
 * (@value: microseconds, 0 to PYNQ_IRQ_COALESCE_MAX_US; 0 is off). An
 * interrupt starts an event; the interrupts within @value µs after it fold
 * into it (its @merged), and the event is queued when the window closes,
 * so it arrives up to @value µs later. Other files of the line still see
 * every interrupt. An event still in its window when the setting changes
 * is queued at once.
 */
#define PYNQ_IRQ_SET_COALESCE	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x05, struct pynq_irq_setting)

/*
 * PYNQ_IRQ_GET_INFO - read the line's state and this file's settings
 * (struct pynq_irq_info).
 */
#define PYNQ_IRQ_GET_INFO	_IOR(PYNQ_IRQ_IOC_MAGIC, 0x06, struct pynq_irq_info)

#endif /* _UAPI_LINUX_PYNQ_IRQ_H */
