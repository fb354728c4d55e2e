/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pynq-irq: the differences between the kernels the module builds for,
 * Linux 5.10 to 6.12, each next to the version that changed it. Nothing
 * else in the module tests LINUX_VERSION_CODE.
 */
#ifndef PYNQ_IRQ_COMPAT_H
#define PYNQ_IRQ_COMPAT_H

#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/platform_device.h>
#include <linux/version.h>

/* 5.14: generic_handle_domain_irq() maps and handles in one call. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 14, 0)
static inline int generic_handle_domain_irq(struct irq_domain *domain,
					    unsigned int hwirq)
{
	return generic_handle_irq(irq_find_mapping(domain, hwirq));
}
#endif

/**
 * pynq_irq_request_disabled() - request_irq(), but leave the IRQ disabled
 * @irq: the Linux IRQ
 * @handler: its handler
 * @name: the name in /proc/interrupts
 * @dev: the handler's cookie
 *
 * 5.12 added IRQF_NO_AUTOEN; before, IRQ_NOAUTOEN is set around the
 * request (and cleared after it, so that the next driver to request the
 * IRQ gets the usual behaviour).
 *
 * Return: 0 or the error of request_irq().
 */
static inline int pynq_irq_request_disabled(unsigned int irq,
					    irq_handler_t handler,
					    const char *name, void *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 12, 0)
	return request_irq(irq, handler, IRQF_NO_AUTOEN, name, dev);
#else
	int ret;

	irq_set_status_flags(irq, IRQ_NOAUTOEN);
	ret = request_irq(irq, handler, 0, name, dev);
	irq_clear_status_flags(irq, IRQ_NOAUTOEN);
	return ret;
#endif
}

/*
 * 6.11: platform_driver.remove returns void. A driver writes a void
 * remove function and names it with PYNQ_IRQ_REMOVE(); before 6.11,
 * PYNQ_IRQ_REMOVE_WRAPPER() makes the int-returning wrapper it needs.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define PYNQ_IRQ_REMOVE_WRAPPER(fn)
#define PYNQ_IRQ_REMOVE(fn)	(fn)
#else
#define PYNQ_IRQ_REMOVE_WRAPPER(fn)					\
	static int fn##_ret(struct platform_device *pdev)		\
	{								\
		fn(pdev);						\
		return 0;						\
	}
#define PYNQ_IRQ_REMOVE(fn)	(fn##_ret)
#endif

/* 6.2: struct class's devnode() takes a const struct device. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define pynq_irq_devnode_device	const struct device
#else
#define pynq_irq_devnode_device	struct device
#endif

/* 6.6: of_overlay_fdt_apply() takes the base node to apply under. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
#define pynq_irq_overlay_fdt_apply(fdt, size, id)			\
	of_overlay_fdt_apply(fdt, size, id, NULL)
#else
#define pynq_irq_overlay_fdt_apply(fdt, size, id)			\
	of_overlay_fdt_apply(fdt, size, id)
#endif

#endif /* PYNQ_IRQ_COMPAT_H */
