// SPDX-License-Identifier: GPL-2.0
/* What the uapi header says, for test_abi.py to compare with. */
#include <stddef.h>
#include <stdio.h>
#include <linux/pynq-irq.h>
int main(void)
{
	printf("%lu %lu %lu %lu %lu %lu %lu\n",
	       (unsigned long)PYNQ_IRQ_SET_FORMAT, (unsigned long)PYNQ_IRQ_SET_CLOCK,
	       (unsigned long)PYNQ_IRQ_SET_QUEUE_DEPTH,
	       (unsigned long)PYNQ_IRQ_GET_QUEUE_DEPTH,
	       (unsigned long)sizeof(struct pynq_irq_event),
	       (unsigned long)PYNQ_IRQ_QUEUE_DEFAULT, (unsigned long)PYNQ_IRQ_QUEUE_MAX);
	printf("%lu %lu %lu %lu %lu\n",
	       offsetof(struct pynq_irq_event, timestamp_ns),
	       offsetof(struct pynq_irq_event, seqno),
	       offsetof(struct pynq_irq_event, lost),
	       offsetof(struct pynq_irq_event, number),
	       offsetof(struct pynq_irq_event, flags));
	printf("%d %d\n", PYNQ_IRQ_FORMAT_TEXT, PYNQ_IRQ_FORMAT_BINARY);
	return 0;
}
