// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq: the Xilinx AXI Interrupt Controller (PG099) as a platform
 * driver, so it also binds when its node arrives in a device-tree overlay.
 *
 * The INTC's output drives one GIC interrupt. The driver requests it like
 * any other (not as a chained handler), and its handler demultiplexes it
 * into a linear irq_domain, so every pin is a Linux IRQ that any driver
 * can request through interrupt-parent = <&axi_intc>. Requesting it gives
 * the GIC line what a chained handler lacks: free_irq() waits for a
 * handler running on another CPU, /proc/irq/N/smp_affinity moves it to a
 * CPU of the user's choice, and the kernel's spurious-interrupt detector
 * watches it. Every pin also gets an event line, /dev/pynq-irq/<name>,
 * which requests the pin's IRQ while the node is open.
 *
 * Edge pins are acknowledged by the flow handler. A level pin masks itself
 * when it fires and is unmasked when a client waits again: its source is
 * cleared by userspace through the IP's own registers, and an interrupt
 * is only enabled while someone waits.
 *
 * Only the registers every build of the IP has are used: ISR, IER, IAR and
 * MER. IPR, SIE, CIE and IVR are optional in PG099 (C_HAS_IPR,
 * C_HAS_SIE_CIE, C_HAS_IVR), so the driver keeps a copy of IER, writes it
 * whole, and computes what is pending as ISR & IER.
 *
 * Loading the PL again resets the INTC (MER and IER read 0, every pin goes
 * silent). Before any client waits on a pin, the driver checks MER and
 * IER, and restores them if they lost what it wrote; the next event of
 * every open file of the INTC's pins is flagged PYNQ_IRQ_EVENT_RESET.
 */

#include <linux/bitops.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include <linux/pynq-irq.h>

#include "compat.h"
#include "drivers.h"
#include "line.h"

#define INTC_ISR	0x00
#define INTC_IER	0x08
#define INTC_IAR	0x0c
#define INTC_MER	0x1c
#define INTC_MER_ME	BIT(0)
#define INTC_MER_HIE	BIT(1)

#define INTC_MAX_PINS	32
/*
 * Passes over ISR per interrupt. What is still pending after the last one
 * keeps the GIC line asserted and comes back after the GIC's other
 * interrupts, so a stuck source cannot hold a CPU in the handler.
 */
#define INTC_MAX_PASSES	4

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
 * @lock: serialises register writes against each other and against
 *	remove; protects @ier and @dead. Taken by the irq_chip callbacks,
 *	with their descriptor's lock held, in any context.
 * @ier: the value of IER, which is written whole; what the INTC has
 *	unless it was reset under the driver
 * @dead: the device is unbound: the registers are not touched again (the
 *	PL may be gone), whatever a driver that still holds a pin does
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

	raw_spinlock_t lock;	/* see @lock above */
	u32 ier;
	bool dead;

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

/*
 * Change the pins enabled in IER: clear @off, then acknowledge @ack, then
 * set @on. Nothing is written once the device is unbound.
 */
static void intc_update(struct axi_intc *intc, u32 off, u32 ack, u32 on)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&intc->lock, flags);
	if (!intc->dead) {
		if (off) {
			intc->ier &= ~off;
			intc_write(intc, INTC_IER, intc->ier);
		}
		if (ack)
			intc_write(intc, INTC_IAR, ack);
		if (on) {
			intc->ier |= on;
			intc_write(intc, INTC_IER, intc->ier);
		}
	}
	raw_spin_unlock_irqrestore(&intc->lock, flags);
}

static void intc_mask(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_update(intc, BIT(d->hwirq), 0, 0);
}

static void intc_unmask(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);
	u32 bit = BIT(d->hwirq);

	/*
	 * A level pin's status bit stays latched from its last assertion;
	 * clear it so that only an input still asserted fires again.
	 */
	intc_update(intc, 0, intc->edge & bit ? 0 : bit, bit);
}

static void intc_ack(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_update(intc, 0, BIT(d->hwirq), 0);
}

static void intc_mask_ack(struct irq_data *d)
{
	struct axi_intc *intc = irq_data_get_irq_chip_data(d);

	intc_update(intc, BIT(d->hwirq), BIT(d->hwirq), 0);
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

/* The GIC line's handler: hand each pending pin to its flow handler. */
static irqreturn_t axi_intc_handler(int irq, void *data)
{
	struct axi_intc *intc = data;
	unsigned long pending;
	unsigned int hwirq, pass;
	irqreturn_t ret = IRQ_NONE;

	for (pass = 0; pass < INTC_MAX_PASSES; pass++) {
		pending = intc_read(intc, INTC_ISR) & READ_ONCE(intc->ier);
		if (!pending)
			break;
		ret = IRQ_HANDLED;
		for_each_set_bit(hwirq, &pending, INTC_MAX_PINS) {
			if (!generic_handle_domain_irq(intc->domain, hwirq))
				continue;
			/* Enabled behind our back and nobody handles it. */
			intc_update(intc, BIT(hwirq), BIT(hwirq), 0);
			dev_err_ratelimited(intc->dev,
					    "pin %u: no handler, masked\n",
					    hwirq);
		}
	}
	return ret;
}

static int axi_intc_xlate(struct irq_domain *d, struct device_node *node,
			  const u32 *spec, unsigned int size,
			  unsigned long *hwirq, unsigned int *type)
{
	struct axi_intc *intc = d->host_data;

	/*
	 * A domain left behind by an unbind with a pin still held: its
	 * device (and the PL) may be gone; map nothing more.
	 */
	if (READ_ONCE(intc->dead))
		return -ENODEV;
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
	int ret;

	/*
	 * Requested disabled: the pin is ours only if this succeeds, and a
	 * pin that another driver holds keeps its latched edge.
	 */
	ret = pynq_irq_request_disabled(pin->virq, pin_handler, pin->name, pin);
	if (ret)
		return ret;
	/*
	 * disable_irq() (the storm throttle) masks the pin at once, in IER.
	 * The IRQ core's lazy disable would let the next edge in, acknowledge
	 * it and replay it from a tasklet (the INTC cannot retrigger), and
	 * the replay's own acknowledge would take any edge latched since
	 * without a handler call: up to 23 of 153 latched edges were lost so
	 * in intc_storm's storm on 16 pins. Masked, an edge stays latched in
	 * ISR and fires when the pin is enabled again. Set at every open,
	 * once the IRQ is ours: free_irq() clears it.
	 */
	irq_set_status_flags(pin->virq, IRQ_DISABLE_UNLAZY);
	/* An edge latched while nobody listened is not an event for us. */
	intc_update(pin->intc, 0, BIT(pin->hwirq), 0);
	enable_irq(pin->virq);
	return 0;
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

/*
 * Was the INTC reset under us (the PL loaded again)? Its outputs are off
 * (MER) or pins the driver enabled are not (IER): restore both, say so
 * once, and flag the next event of every open file of its pins. Runs as
 * one pin's verify op; another pin's line may be destroyed meanwhile
 * (teardown), but stays allocated until every op is over (the reference
 * axi_intc_add_pins() took).
 */
static void axi_intc_verify(struct axi_intc *intc)
{
	const u32 on = INTC_MER_HIE | INTC_MER_ME;
	unsigned long flags;
	bool reset = false;
	unsigned int i;

	raw_spin_lock_irqsave(&intc->lock, flags);
	if (!intc->dead && (intc_read(intc, INTC_MER) != on ||
			    (intc_read(intc, INTC_IER) & intc->ier) != intc->ier)) {
		reset = true;
		intc_write(intc, INTC_IER, intc->ier);
		intc_write(intc, INTC_MER, on);
	}
	raw_spin_unlock_irqrestore(&intc->lock, flags);
	if (!reset)
		return;
	dev_warn(intc->dev, "the INTC was reset (the PL loaded again?): enabled it again, with its pins 0x%08x\n",
		 intc->ier);
	for (i = 0; i < intc->nr_pins; i++) {
		/* A node opened while probe still creates the others. */
		struct pynq_irq_line *line = READ_ONCE(intc->pins[i].line);

		if (line)
			pynq_irq_line_flag(line, PYNQ_IRQ_EVENT_RESET);
	}
}

static void pin_verify(struct pynq_irq_line *line)
{
	struct axi_intc_pin *pin = pynq_irq_line_drvdata(line);

	axi_intc_verify(pin->intc);
}

/* The storm throttle's mask nests with a level pin's own. */
static void pin_throttle(struct pynq_irq_line *line, bool on)
{
	struct axi_intc_pin *pin = pynq_irq_line_drvdata(line);

	if (on)
		disable_irq_nosync(pin->virq);
	else
		enable_irq(pin->virq);
}

static const struct pynq_irq_line_ops axi_intc_pin_ops = {
	.open = pin_open,
	.close = pin_close,
	.rearm = pin_rearm,
	.verify = pin_verify,
	.throttle = pin_throttle,
};

/*
 * Stop the pins, find the endianness (as upstream does), enable output.
 * Nothing else runs yet: no lock.
 */
static void axi_intc_hw_init(struct axi_intc *intc)
{
	const u32 on = INTC_MER_HIE | INTC_MER_ME;

	intc->ier = 0;
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
	struct pynq_irq_line *line;
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
		line = pynq_irq_line_create(intc->dev, pin->name, i,
					    pin->level ?
					    PYNQ_IRQ_TRIGGER_LEVEL :
					    PYNQ_IRQ_TRIGGER_EDGE,
					    &axi_intc_pin_ops, pin);
		if (IS_ERR(line))
			return dev_err_probe(intc->dev, PTR_ERR(line),
					     "cannot create /dev/pynq-irq/%s\n",
					     pin->name);
		/* Its memory stays until teardown: see axi_intc_verify(). */
		pynq_irq_line_get(line);
		WRITE_ONCE(pin->line, line);
	}
	return 0;
}

/*
 * Undo everything but the GIC line's handler, which is gone already. A pin
 * that another driver still holds (it should have been unbound first,
 * through its device link) keeps the domain and this structure alive:
 * leaking is better than a use-after-free. The registers are not touched
 * again either way: that driver's calls on the pin do nothing.
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
	/* No op of any pin runs now: its lines may go. */
	for (i = 0; i < intc->nr_pins; i++) {
		if (intc->pins[i].line)
			pynq_irq_line_put(intc->pins[i].line);
	}
	raw_spin_lock_irq(&intc->lock);
	intc->ier = 0;
	intc_write(intc, INTC_IER, 0);
	intc_write(intc, INTC_IAR, ~0u);
	intc->dead = true;
	raw_spin_unlock_irq(&intc->lock);
	iounmap(intc->base);
	for (i = 0; i < intc->nr_pins; i++) {
		unsigned int virq = intc->pins[i].virq;

		if (virq && irq_has_action(virq)) {
			dev_err(intc->dev, "pin %u is still requested (IRQ %u): it stays dead, and the INTC's memory stays\n",
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
	raw_spin_lock_init(&intc->lock);
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
	if (!ret)
		ret = request_irq(intc->parent_irq, axi_intc_handler,
				  IRQF_NO_THREAD, dev_name(dev), intc);
	if (ret) {
		axi_intc_teardown(intc);
		return ret;
	}
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

static void axi_intc_remove(struct platform_device *pdev)
{
	struct axi_intc *intc = platform_get_drvdata(pdev);

	/* Waits for the handler, whichever CPU runs it. */
	free_irq(intc->parent_irq, intc);
	axi_intc_teardown(intc);
}

PYNQ_IRQ_REMOVE_WRAPPER(axi_intc_remove)

static const struct of_device_id axi_intc_of_match[] = {
	{ .compatible = "xlnx,axi-intc-4.1" },
	{ .compatible = "xlnx,xps-intc-1.00.a" },
	{ }
};
MODULE_DEVICE_TABLE(of, axi_intc_of_match);

struct platform_driver pynq_axi_intc_driver = {
	.probe = axi_intc_probe,
	.remove = PYNQ_IRQ_REMOVE(axi_intc_remove),
	.driver = {
		.name = "pynq-irq-axi-intc",
		.of_match_table = axi_intc_of_match,
	},
};
