/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * pynq-irq: interrupts of the Zynq programmable logic (AXI INTC pins) and
 * of the other CPU (GIC SGIs) as character devices, /dev/pynq-irq/<name>.
 *
 * Every open file is a client with its own queue and sees every event that
 * happens after it opened. A read returns events, oldest first.
 *
 * Text mode (the default): the file reads as lines, one per event,
 *
 *	<seqno> <seconds>.<nanoseconds> <lost>\n
 *
 * e.g. "42 1234.000567890 0": the line's sequence number of the event, its
 * timestamp (9 fraction digits) and how many events this client lost just
 * before it. Reads of any size work, down to one byte.
 *
 * Binary mode (PYNQ_IRQ_SET_FORMAT): reads return whole struct
 * pynq_irq_event records; a read smaller than one record fails with EINVAL
 * and consumes nothing.
 *
 * A read blocks until there is at least one event (or fails with EAGAIN
 * under O_NONBLOCK); poll reports EPOLLIN | EPOLLRDNORM when a read would
 * not block. When the device goes away, reads and ioctls fail with ENODEV
 * and poll reports EPOLLHUP | EPOLLERR.
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
 */
#ifndef _UAPI_LINUX_PYNQ_IRQ_H
#define _UAPI_LINUX_PYNQ_IRQ_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * struct pynq_irq_event - one event, as read in binary mode
 * @timestamp_ns: when the interrupt was taken (in hard-IRQ context), in
 *	nanoseconds of the client's clock (PYNQ_IRQ_SET_CLOCK; default
 *	CLOCK_MONOTONIC); on an "sgi-tx" node, when the SGI was raised
 * @seqno: the line's sequence number of this interrupt: 1 for the first
 *	interrupt the line took, counting every interrupt whether or not
 *	this client kept it
 * @lost: events this client lost (its queue was full, the oldest were
 *	dropped) between the previous record it read and this one
 * @number: the line's hardware number: the INTC pin, or the SGI id
 * @flags: zero (reserved for future use)
 * @reserved: zero
 *
 * 32 bytes, 8-byte aligned, the same layout for 32- and 64-bit programs.
 */
struct pynq_irq_event {
	__u64 timestamp_ns;
	__u64 seqno;
	__u32 lost;
	__u32 number;
	__u32 flags;
	__u32 reserved;
};

/* Formats for PYNQ_IRQ_SET_FORMAT */
#define PYNQ_IRQ_FORMAT_TEXT	0
#define PYNQ_IRQ_FORMAT_BINARY	1

/* Queue depth: default and largest for PYNQ_IRQ_SET_QUEUE_DEPTH */
#define PYNQ_IRQ_QUEUE_DEFAULT	1024
#define PYNQ_IRQ_QUEUE_MAX	65536

#define PYNQ_IRQ_IOC_MAGIC	0xE7

/*
 * PYNQ_IRQ_SET_FORMAT - set this file's read format (__u32: one of
 * PYNQ_IRQ_FORMAT_*). EINVAL for an unknown format; EBUSY while a text
 * line is half read.
 */
#define PYNQ_IRQ_SET_FORMAT	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x01, __u32)

/*
 * PYNQ_IRQ_SET_CLOCK - set the clock of this file's timestamps (__u32:
 * CLOCK_MONOTONIC, CLOCK_REALTIME or CLOCK_BOOTTIME; else EINVAL). Applies
 * to events read from then on, including those already queued.
 */
#define PYNQ_IRQ_SET_CLOCK	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x02, __u32)

/*
 * PYNQ_IRQ_SET_QUEUE_DEPTH - set how many events this file keeps (__u32,
 * 1 to PYNQ_IRQ_QUEUE_MAX; else EINVAL). Queued events that no longer fit
 * are dropped, oldest first, and counted as lost.
 */
#define PYNQ_IRQ_SET_QUEUE_DEPTH	_IOW(PYNQ_IRQ_IOC_MAGIC, 0x03, __u32)

/* PYNQ_IRQ_GET_QUEUE_DEPTH - read this file's queue depth (__u32). */
#define PYNQ_IRQ_GET_QUEUE_DEPTH	_IOR(PYNQ_IRQ_IOC_MAGIC, 0x04, __u32)

#endif /* _UAPI_LINUX_PYNQ_IRQ_H */
