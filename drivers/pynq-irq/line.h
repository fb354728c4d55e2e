/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pynq-irq event lines: one interrupt source shown as one character device,
 * /dev/pynq-irq/<name>. The drivers (AXI INTC pins, GIC SGIs) create lines
 * and report events; line.c owns the open files, their queues, the read,
 * poll and ioctl calls, sysfs and the lifetime rules.
 */
#ifndef PYNQ_IRQ_LINE_H
#define PYNQ_IRQ_LINE_H

#include <linux/ktime.h>
#include <linux/types.h>

struct device;
struct pynq_irq_line;

/**
 * struct pynq_irq_line_ops - what a driver does for one of its lines
 * @open: the line gained its first open file (e.g. request the IRQ).
 *	Process context; may sleep. A non-zero return fails that open().
 *	Optional: without it the source is taken to be on for as long as the
 *	line exists (sysfs "enabled" reads 1).
 * @close: the line lost its last open file, or is being destroyed while
 *	files are open. Process context; may sleep. After it returns the
 *	driver must not report events for the line. Optional.
 * @rearm: a client is about to wait for an event (read or poll with an
 *	empty queue): re-enable a source that masked itself when it fired.
 *	Process context; may sleep. Optional.
 * @verify: a client is about to wait for an event: check that the
 *	hardware still has the state the driver gave it (e.g. the PL was not
 *	loaded again under it), and restore it if not. Process context; may
 *	sleep. Optional.
 * @throttle: mask (@on) or unmask (!@on) the source for the storm
 *	throttle; each mask is followed by one unmask, unless @close comes
 *	first. Hard-IRQ or timer context (not under the ops mutex): must not
 *	sleep. Optional: a line without it is never throttled.
 * @write: one write() or writev() call of at least one byte to the node,
 *	whatever the bytes and however many segments: e.g. raise an SGI once.
 *	Returns 0 (the call consumed every byte) or a negative errno.
 *	Process context; may sleep. Optional: without it, write() fails with
 *	-EINVAL.
 *
 * The core calls all but @throttle under the line's ops mutex, one at a
 * time; @close once for every successful @open, and none of them after
 * pynq_irq_line_destroy() has returned.
 */
struct pynq_irq_line_ops {
	int (*open)(struct pynq_irq_line *line);
	void (*close)(struct pynq_irq_line *line);
	void (*rearm)(struct pynq_irq_line *line);
	void (*verify)(struct pynq_irq_line *line);
	void (*throttle)(struct pynq_irq_line *line, bool on);
	int (*write)(struct pynq_irq_line *line);
};

struct pynq_irq_line *pynq_irq_line_create(struct device *parent,
					   const char *name,
					   unsigned int number,
					   u32 trigger,
					   const struct pynq_irq_line_ops *ops,
					   void *drvdata);
void pynq_irq_line_kill(struct pynq_irq_line *line);
void pynq_irq_line_destroy(struct pynq_irq_line *line);
void pynq_irq_line_event(struct pynq_irq_line *line, ktime_t stamp,
			 bool masked);
void pynq_irq_line_flag(struct pynq_irq_line *line, u16 flags);
void pynq_irq_line_get(struct pynq_irq_line *line);
void pynq_irq_line_put(struct pynq_irq_line *line);
void *pynq_irq_line_drvdata(struct pynq_irq_line *line);

int pynq_irq_lines_init(void);
void pynq_irq_lines_exit(void);

#endif /* PYNQ_IRQ_LINE_H */
