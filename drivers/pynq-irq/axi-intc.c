// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq: the Xilinx AXI Interrupt Controller (PG099) as a platform
 * driver, so it also binds when its node arrives in a device-tree overlay.
 *
 * The INTC's output drives one GIC interrupt; a chained handler
 * demultiplexes it into a linear irq_domain, so every pin is a Linux IRQ
 * that any driver can request through interrupt-parent = <&axi_intc>.
 * Every pin also gets an event line, /dev/pynq-irq/<name>, which requests
 * the pin's IRQ while the node is open.
 *
 * Edge pins are acknowledged by the flow handler. A level pin masks itself
 * when it fires and is unmasked when a client waits again: its source is
 * cleared by userspace through the IP's own registers, and an interrupt
 * is only enabled while someone waits.
 *
 * Register access needs no lock: SIE, CIE and IAR set, clear and
 * acknowledge single bits by hardware.
 */

#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqchip/chained_irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "drivers.h"
#include "line.h"

#define INTC_ISR	0x00
#define INTC_IPR	0x04
#define INTC_IER	0x08
#define INTC_IAR	0x0c
#define INTC_SIE	0x10
#define INTC_CIE	0x14
#define INTC_IVR	0x18
#define INTC_MER	0x1c
#define INTC_MER_ME	BIT(0)
#define INTC_MER_HIE	BIT(1)

#define INTC_MAX_PINS	32

struct axi_intc;

/**
 * struct axi_intc_pin - one input of the controller
 * @intc: the controller
 * @line: the pin's event line
 * @name: the line's name, also the IRQ's name in /proc/interrupts
 * @hwirq: pin number
 * @virq: the pin's Linux IRQ
 * @level: the pin is level triggered
 */
struct axi_intc_pin {
	struct axi_intc *intc;
	struct pynq_irq_line *line;
	const char *name;
	unsigned int hwirq;
	unsigned int virq;
	bool level;
};

/**
 * struct axi_intc - one AXI INTC instance
 * @dev: the platform device
 * @base: the registers
 * @big_endian: the registers are big endian (found by probe, as upstream)
 * @nr_pins: inputs of the controller (xlnx,num-intr-inputs)
 * @edge: pins that are edge triggered (xlnx,kind-of-intr)
 * @parent_irq: the GIC interrupt that the controller's output drives
 * @domain: one Linux IRQ per pin
 * @pins: the pins
 */
struct axi_intc {
	struct device *dev;
	void __iomem *base;
	bool big_endian;
	u32 nr_pins;
	u32 edge;
	int parent_irq;
	struct irq_domain *domain;
	struct axi_intc_pin pins[INTC_MAX_PINS];
};

static void intc_write(struct axi_intc *intc, unsigned int reg, u32 val)
{
	if (intc->big_endian)
		iowrite32be(val, intc->base + reg);
	else
		iowrite32(val, intc->base + reg);
}

static u32 intc_read(struct axi_intc *intc, unsigned int reg)
{
	if (intc->big_endian)
		return ioread32be(intc->base + reg);
	return ioread32(intc->base + reg);
}

static void intc_mask(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_write(intc, INTC_CIE, BIT(d->hwirq));
}

static void intc_unmask(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);
	u32 bit = BIT(d->hwirq);

	/*
	 * A level pin's status bit stays latched from its last assertion;
	 * clear it so that only an input still asserted fires again.
	 */
	if (!(intc->edge & bit))
		intc_write(intc, INTC_IAR, bit);
	intc_write(intc, INTC_SIE, bit);
}

static void intc_ack(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_write(intc, INTC_IAR, BIT(d->hwirq));
}

static void intc_mask_ack(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_write(intc, INTC_CIE, BIT(d->hwirq));
	intc_write(intc, INTC_IAR, BIT(d->hwirq));
}

/* A pin requested by any driver keeps this module loaded. */
static int intc_request_resources(struct irq_data *d)
{
	return try_module_get(THIS_MODULE) ? 0 : -ENODEV;
}

static void intc_release_resources(struct irq_data *d)
{
	module_put(THIS_MODULE);
}

static struct irq_chip axi_intc_chip = {
	.name = "axi-intc",
	.irq_mask = intc_mask,
	.irq_unmask = intc_unmask,
	.irq_ack = intc_ack,
	.irq_mask_ack = intc_mask_ack,
	.irq_request_resources = intc_request_resources,
	.irq_release_resources = intc_release_resources,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};

static void axi_intc_handler(struct irq_desc *desc)
{
	struct axi_intc *intc = irq_desc_get_handler_data(desc);
	struct irq_chip *chip = irq_desc_get_chip(desc);
	unsigned long pending;
	unsigned int hwirq;

	chained_irq_enter(chip, desc);
	/*
	 * One pass: what is still pending afterwards keeps the GIC line
	 * asserted and comes back, after the GIC's other interrupts.
	 */
	pending = intc_read(intc, INTC_IPR);
	for_each_set_bit(hwirq, &pending, INTC_MAX_PINS) {
		if (hwirq < intc->nr_pins &&
		    !generic_handle_domain_irq(intc->domain, hwirq))
			continue;
		/* Enabled behind our back and nobody handles it. */
		intc_write(intc, INTC_CIE, BIT(hwirq));
		intc_write(intc, INTC_IAR, BIT(hwirq));
		dev_err_ratelimited(intc->dev, "pin %u: no handler, masked\n",
				    hwirq);
	}
	chained_irq_exit(chip, desc);
}

static int axi_intc_xlate(struct irq_domain *d, struct device_node *node,
			  const u32 *spec, unsigned int size,
			  unsigned long *hwirq, unsigned int *type)
{
	struct axi_intc *intc = d->host_data;

	if (size < 1 || size > 2)
		return -EINVAL;
	if (spec[0] >= intc->nr_pins) {
		dev_err(intc->dev, "pin %u requested, but the INTC has %u inputs\n",
			spec[0], intc->nr_pins);
		return -EINVAL;
	}
	*hwirq = spec[0];
	/* The trigger is fixed in the hardware, whatever the cell says. */
	*type = IRQ_TYPE_NONE;
	return 0;
}

static int axi_intc_map(struct irq_domain *d, unsigned int virq,
			irq_hw_number_t hwirq)
{
	struct axi_intc *intc = d->host_data;
	bool edge = intc->edge & BIT(hwirq);

	irq_set_chip_data(virq, intc);
	irq_set_chip_and_handler(virq, &axi_intc_chip,
				 edge ? handle_edge_irq : handle_level_irq);
	irqd_set_trigger_type(irq_get_irq_data(virq), edge ?
			      IRQ_TYPE_EDGE_RISING : IRQ_TYPE_LEVEL_HIGH);
	if (!edge)
		irq_set_status_flags(virq, IRQ_LEVEL);
	return 0;
}

static const struct irq_domain_ops axi_intc_domain_ops = {
	.xlate = axi_intc_xlate,
	.map = axi_intc_map,
};

static irqreturn_t pin_handler(int irq, void *data)
{
	struct axi_intc_pin *pin = data;
	ktime_t now = ktime_get();

	if (pin->level)
		disable_irq_nosync(irq);
	pynq_irq_line_event(pin->line, now, pin->level);
	return IRQ_HANDLED;
}

static int pin_open(struct pynq_irq_line *line)
{
	struct axi_intc_pin *pin = pynq_irq_line_drvdata(line);

	/* An edge latched while nobody listened is not an event for us. */
	intc_write(pin->intc, INTC_IAR, BIT(pin->hwirq));
	return request_irq(pin->virq, pin_handler, 0, pin->name, pin);
}

static void pin_close(struct pynq_irq_line *line)
{
	struct axi_intc_pin *pin = pynq_irq_line_drvdata(line);

	free_irq(pin->virq, pin);
}

static void pin_rearm(struct pynq_irq_line *line)
{
	struct axi_intc_pin *pin = pynq_irq_line_drvdata(line);

	enable_irq(pin->virq);
}

static const struct pynq_irq_line_ops axi_intc_pin_ops = {
	.open = pin_open,
	.close = pin_close,
	.rearm = pin_rearm,
};

/* Stop the pins, find the endianness (as upstream does), enable output. */
static void axi_intc_hw_init(struct axi_intc *intc)
{
	const u32 on = INTC_MER_HIE | INTC_MER_ME;

	intc_write(intc, INTC_IER, 0);
	intc_write(intc, INTC_IAR, ~0u);
	intc_write(intc, INTC_MER, on);
	if (intc_read(intc, INTC_MER) != on) {
		intc->big_endian = true;
		intc_write(intc, INTC_IER, 0);
		intc_write(intc, INTC_IAR, ~0u);
		intc_write(intc, INTC_MER, on);
	}
}

/* Read and check the node's properties; one log line for what is wrong. */
static int axi_intc_parse(struct axi_intc *intc, int *nr_names)
{
	struct device_node *np = intc->dev->of_node;
	int ret;

	ret = of_property_read_u32(np, "xlnx,num-intr-inputs", &intc->nr_pins);
	if (ret)
		return dev_err_probe(intc->dev, ret,
				     "missing xlnx,num-intr-inputs\n");
	if (intc->nr_pins < 1 || intc->nr_pins > INTC_MAX_PINS)
		return dev_err_probe(intc->dev, -EINVAL,
				     "xlnx,num-intr-inputs = %u, must be 1 to %u\n",
				     intc->nr_pins, INTC_MAX_PINS);
	of_property_read_u32(np, "xlnx,kind-of-intr", &intc->edge);
	intc->edge &= GENMASK(intc->nr_pins - 1, 0);

	*nr_names = of_property_count_strings(np, "pynq,pin-names");
	if (*nr_names == -EINVAL)
		*nr_names = 0;
	if (*nr_names < 0)
		return dev_err_probe(intc->dev, *nr_names,
				     "pynq,pin-names is not a string list\n");
	if (*nr_names > intc->nr_pins)
		return dev_err_probe(intc->dev, -EINVAL,
				     "pynq,pin-names has %d names for %u pins\n",
				     *nr_names, intc->nr_pins);
	return 0;
}

static int axi_intc_add_pins(struct axi_intc *intc, int nr_names,
			     resource_size_t start)
{
	struct device_node *np = intc->dev->of_node;
	const char *name;
	unsigned int i;

	for (i = 0; i < intc->nr_pins; i++) {
		struct axi_intc_pin *pin = &intc->pins[i];

		pin->intc = intc;
		pin->hwirq = i;
		pin->level = !(intc->edge & BIT(i));
		pin->virq = irq_create_mapping(intc->domain, i);
		if (!pin->virq)
			return -ENOMEM;
		if (i < nr_names &&
		    !of_property_read_string_index(np, "pynq,pin-names", i,
						   &name) && name[0])
			pin->name = devm_kstrdup(intc->dev, name, GFP_KERNEL);
		else
			pin->name = devm_kasprintf(intc->dev, GFP_KERNEL,
						   "%llx.pin%u",
						   (unsigned long long)start, i);
		if (!pin->name)
			return -ENOMEM;
		pin->line = pynq_irq_line_create(intc->dev, pin->name, i,
						 pin->level ? "level" : "edge",
						 &axi_intc_pin_ops, pin);
		if (IS_ERR(pin->line)) {
			int ret = PTR_ERR(pin->line);

			pin->line = NULL;
			return dev_err_probe(intc->dev, ret,
					     "cannot create /dev/pynq-irq/%s\n",
					     pin->name);
		}
	}
	return 0;
}

/*
 * Undo everything but the chained handler. A pin that another driver
 * still holds (it should have been unbound first, through its device link)
 * keeps the domain, the registers and this structure alive: leaking is
 * better than a use-after-free.
 */
static void axi_intc_teardown(struct axi_intc *intc)
{
	bool held = false;
	unsigned int i;

	/* Wake every waiter at once, then take the nodes down one by one. */
	for (i = 0; i < intc->nr_pins; i++) {
		if (intc->pins[i].line)
			pynq_irq_line_kill(intc->pins[i].line);
	}
	for (i = 0; i < intc->nr_pins; i++) {
		if (intc->pins[i].line)
			pynq_irq_line_destroy(intc->pins[i].line);
	}
	intc_write(intc, INTC_IER, 0);
	intc_write(intc, INTC_IAR, ~0u);
	for (i = 0; i < intc->nr_pins; i++) {
		unsigned int virq = intc->pins[i].virq;

		if (virq && irq_has_action(virq)) {
			dev_err(intc->dev, "pin %u is still requested (IRQ %u); leaking the INTC\n",
				i, virq);
			held = true;
		}
	}
	if (held) {
		/* Its IRQ descriptors point into this module: stay loaded. */
		__module_get(THIS_MODULE);
		return;
	}
	for (i = 0; i < intc->nr_pins; i++) {
		if (intc->pins[i].virq)
			irq_dispose_mapping(intc->pins[i].virq);
	}
	irq_domain_remove(intc->domain);
	iounmap(intc->base);
	kfree(intc);
}

static int axi_intc_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct axi_intc *intc;
	struct resource *res;
	int nr_names, ret;

	res = platform_get_resource(pdev, IORESOURCE_MEM, 0);
	if (!res)
		return dev_err_probe(dev, -EINVAL, "missing reg\n");
	ret = platform_get_irq_optional(pdev, 0);
	if (ret < 0)
		return dev_err_probe(dev, ret,
				     "missing interrupts (the GIC line it drives)\n");

	/* Not devm: a pin held by another driver may outlive the device. */
	intc = kzalloc(sizeof(*intc), GFP_KERNEL);
	if (!intc)
		return -ENOMEM;
	intc->dev = dev;
	intc->parent_irq = ret;
	ret = axi_intc_parse(intc, &nr_names);
	if (ret)
		goto free_intc;
	if (!devm_request_mem_region(dev, res->start, resource_size(res),
				     dev_name(dev))) {
		ret = dev_err_probe(dev, -EBUSY, "registers %pR are in use\n",
				    res);
		goto free_intc;
	}
	intc->base = ioremap(res->start, resource_size(res));
	if (!intc->base) {
		ret = -ENOMEM;
		goto free_intc;
	}
	axi_intc_hw_init(intc);

	intc->domain = irq_domain_add_linear(dev->of_node, intc->nr_pins,
					     &axi_intc_domain_ops, intc);
	if (!intc->domain) {
		ret = -ENOMEM;
		goto unmap;
	}
	ret = axi_intc_add_pins(intc, nr_names, res->start);
	if (ret) {
		axi_intc_teardown(intc);
		return ret;
	}
	irq_set_chained_handler_and_data(intc->parent_irq, axi_intc_handler,
					 intc);
	platform_set_drvdata(pdev, intc);
	dev_info(dev, "%u pins (edge 0x%08x) on IRQ %d%s\n", intc->nr_pins,
		 intc->edge, intc->parent_irq,
		 intc->big_endian ? ", big endian" : "");
	return 0;

unmap:
	iounmap(intc->base);
free_intc:
	kfree(intc);
	return ret;
}

static int axi_intc_remove(struct platform_device *pdev)
{
	struct axi_intc *intc = platform_get_drvdata(pdev);
	int parent_irq = intc->parent_irq;

	irq_set_chained_handler_and_data(parent_irq, NULL, NULL);
	axi_intc_teardown(intc);
	/*
	 * A chained handler leaves the GIC line unrequestable and without
	 * its flow handler. Drop the mapping (platform_get_irq() made it for
	 * us) so that the next user, e.g. uio_pdrv_genirq bound to this node
	 * as PYNQ does, or this driver again, maps it afresh.
	 */
	irq_dispose_mapping(parent_irq);
	return 0;
}

static const struct of_device_id axi_intc_of_match[] = {
	{ .compatible = "xlnx,axi-intc-4.1" },
	{ .compatible = "xlnx,xps-intc-1.00.a" },
	{ }
};
MODULE_DEVICE_TABLE(of, axi_intc_of_match);

struct platform_driver pynq_axi_intc_driver = {
	.probe = axi_intc_probe,
	.remove = axi_intc_remove,
	.driver = {
		.name = "pynq-irq-axi-intc",
		.of_match_table = axi_intc_of_match,
	},
};
