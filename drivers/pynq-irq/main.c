// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq: interrupts of the Zynq-7000 programmable logic and of the
 * other CPU for userspace, as /dev/pynq-irq/<name>.
 *
 * The module registers the event-line class and its platform drivers.
 */

#include <linux/module.h>
#include <linux/platform_device.h>

#include "drivers.h"
#include "line.h"

static struct platform_driver * const pynq_irq_drivers[] = {
	&pynq_axi_intc_driver,
	&pynq_gic_sgi_driver,
};

static int __init pynq_irq_init(void)
{
	int ret;

	ret = pynq_irq_lines_init();
	if (ret)
		return ret;
	ret = pynq_gic_sgi_init();
	if (ret)
		goto lines_exit;
	ret = platform_register_drivers(pynq_irq_drivers,
					ARRAY_SIZE(pynq_irq_drivers));
	if (ret)
		goto sgi_exit;
	return 0;

sgi_exit:
	pynq_gic_sgi_exit();
lines_exit:
	pynq_irq_lines_exit();
	return ret;
}
module_init(pynq_irq_init);

static void __exit pynq_irq_exit(void)
{
	platform_unregister_drivers(pynq_irq_drivers,
				    ARRAY_SIZE(pynq_irq_drivers));
	pynq_gic_sgi_exit();
	pynq_irq_lines_exit();
}
module_exit(pynq_irq_exit);

MODULE_DESCRIPTION("Zynq AXI INTC pins and GIC SGIs as /dev/pynq-irq nodes");
MODULE_LICENSE("GPL");
