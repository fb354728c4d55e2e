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
 * @write: one write() or writev() call of at least one byte to the node,
 *	whatever the bytes and however many segments: e.g. raise an SGI once.
 *	Returns 0 (the call consumed every byte) or a negative errno.
 *	Process context; may sleep. Optional: without it, write() fails with
 *	-EINVAL.
 *
 * The core calls these under the line's ops mutex, one at a time; @close
 * once for every successful @open, and none of them after
 * pynq_irq_line_destroy() has returned.
 */
struct pynq_irq_line_ops {
	int (*open)(struct pynq_irq_line *line);
	void (*close)(struct pynq_irq_line *line);
	void (*rearm)(struct pynq_irq_line *line);
	int (*write)(struct pynq_irq_line *line);
};

struct pynq_irq_line *pynq_irq_line_create(struct device *parent,
					   const char *name,
					   unsigned int number,
					   const char *kind,
					   const struct pynq_irq_line_ops *ops,
					   void *drvdata);
void pynq_irq_line_kill(struct pynq_irq_line *line);
void pynq_irq_line_destroy(struct pynq_irq_line *line);
void pynq_irq_line_event(struct pynq_irq_line *line, ktime_t stamp,
			 bool masked);
void *pynq_irq_line_drvdata(struct pynq_irq_line *line);

int pynq_irq_lines_init(void);
void pynq_irq_lines_exit(void);

#endif /* PYNQ_IRQ_LINE_H */
