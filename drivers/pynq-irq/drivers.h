/* SPDX-License-Identifier: GPL-2.0 */
/* pynq-irq: the module's platform drivers, registered by main.c. */
#ifndef PYNQ_IRQ_DRIVERS_H
#define PYNQ_IRQ_DRIVERS_H

#include <linux/platform_device.h>

extern struct platform_driver pynq_axi_intc_driver;
extern struct platform_driver pynq_gic_sgi_driver;

int pynq_gic_sgi_init(void);
void pynq_gic_sgi_exit(void);

#endif /* PYNQ_IRQ_DRIVERS_H */
