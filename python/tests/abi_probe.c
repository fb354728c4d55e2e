// SPDX-License-Identifier: GPL-2.0
/*
 * What the uapi header says, for test_abi.py to compare with. One line an
 * item:
 *
 *	macro <NAME> <value>			every PYNQ_IRQ_* macro
 *	size <struct> <bytes>
 *	field <struct> <member> <offset> <bytes>
 *
 * test_abi.py checks that every macro of the header is here and that the
 * fields listed tile their struct, so what the header gains and this
 * program does not list fails a test.
 */
#include <stddef.h>
#include <stdio.h>
#include <linux/pynq-irq.h>

#define MACRO(m) printf("macro %s %lu\n", #m, (unsigned long)(m))
#define SIZE(s) printf("size %s %lu\n", #s, (unsigned long)sizeof(struct s))
#define FIELD(s, f) printf("field %s %s %lu %lu\n", #s, #f, \
			   (unsigned long)offsetof(struct s, f), \
			   (unsigned long)sizeof(((struct s *)0)->f))

int main(void)
{
	MACRO(PYNQ_IRQ_EVENT_THROTTLED);
	MACRO(PYNQ_IRQ_EVENT_RESET);
	MACRO(PYNQ_IRQ_FORMAT_TEXT);
	MACRO(PYNQ_IRQ_FORMAT_BINARY);
	MACRO(PYNQ_IRQ_FORMAT_TEXT_FULL);
	MACRO(PYNQ_IRQ_QUEUE_DEFAULT);
	MACRO(PYNQ_IRQ_QUEUE_MAX);
	MACRO(PYNQ_IRQ_COALESCE_MAX_US);
	MACRO(PYNQ_IRQ_TRIGGER_EDGE);
	MACRO(PYNQ_IRQ_TRIGGER_LEVEL);
	MACRO(PYNQ_IRQ_TRIGGER_SGI_TX);
	MACRO(PYNQ_IRQ_TRIGGER_SGI_RX);
	MACRO(PYNQ_IRQ_INFO_ENABLED);
	MACRO(PYNQ_IRQ_INFO_THROTTLED);
	MACRO(PYNQ_IRQ_NAME_SIZE);
	MACRO(PYNQ_IRQ_IOC_MAGIC);
	MACRO(PYNQ_IRQ_SET_FORMAT);
	MACRO(PYNQ_IRQ_SET_CLOCK);
	MACRO(PYNQ_IRQ_SET_QUEUE_DEPTH);
	MACRO(PYNQ_IRQ_SET_COALESCE);
	MACRO(PYNQ_IRQ_GET_INFO);

	SIZE(pynq_irq_event);
	FIELD(pynq_irq_event, timestamp_ns);
	FIELD(pynq_irq_event, seqno);
	FIELD(pynq_irq_event, lost);
	FIELD(pynq_irq_event, number);
	FIELD(pynq_irq_event, flags);
	FIELD(pynq_irq_event, merged);
	FIELD(pynq_irq_event, suppressed);

	SIZE(pynq_irq_setting);
	FIELD(pynq_irq_setting, value);
	FIELD(pynq_irq_setting, flags);
	FIELD(pynq_irq_setting, reserved);

	SIZE(pynq_irq_info);
	FIELD(pynq_irq_info, name);
	FIELD(pynq_irq_info, number);
	FIELD(pynq_irq_info, trigger);
	FIELD(pynq_irq_info, flags);
	FIELD(pynq_irq_info, clients);
	FIELD(pynq_irq_info, interrupts);
	FIELD(pynq_irq_info, lost);
	FIELD(pynq_irq_info, throttled);
	FIELD(pynq_irq_info, rate_limit);
	FIELD(pynq_irq_info, format);
	FIELD(pynq_irq_info, clock);
	FIELD(pynq_irq_info, queue_depth);
	FIELD(pynq_irq_info, queued);
	FIELD(pynq_irq_info, coalesce_us);
	FIELD(pynq_irq_info, reserved);
	return 0;
}
