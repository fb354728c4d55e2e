// SPDX-License-Identifier: GPL-2.0
/*
 * pynq-irq: GIC software-generated interrupts (SGIs) between Linux and a
 * program on another CPU that Linux does not run (asymmetric
 * multiprocessing, e.g. a bare-metal program on CPU1 of a Zynq-7000).
 *
 * A "pynq,gic-sgi" node (dt-bindings/pynq,gic-sgi.yaml) names the GIC, the
 * remote CPU, the SGIs Linux raises to it (tx) and the SGIs it raises back
 * (rx), all in 8-15: Linux keeps 0-7 for its own IPIs.
 *
 * Raise: no kernel API targets a CPU that Linux does not run, so the driver
 * writes the GIC distributor's GICD_SGIR itself. Userspace raises an SGI by
 * writing its number to the device's sysfs attribute "raise", or by any
 * write() to its node /dev/pynq-irq/<name>: each write() call of one byte or
 * more raises the SGI once, whatever the bytes. A tx node reads as the
 * kicks sent (one event per raise, timestamped when GICD_SGIR was
 * written), and its sysfs "interrupts" counts them.
 *
 * Receive: each rx SGI is a per-CPU interrupt of the GIC's domain, handled
 * on CPU0 (the CPU Linux boots on, which the remote program targets) and
 * reported on its event line /dev/pynq-irq/<name>, like an INTC pin. The
 * GIC keeps one pending bit per SGI and source CPU: an SGI raised again
 * before CPU0 took the previous one merges with it. The line's "interrupts"
 * counts the SGIs taken; the sender's own count minus that is the number
 * merged. Merged SGIs are not lost events: use shared counters, not the
 * number of interrupts, when every raise matters.
 *
 * The remote CPU must not be one Linux runs: probe fails if it is online.
 * If Linux could still bring it up (a possible CPU kept offline with
 * maxcpus=1, as AMP boots), the driver vetoes that while it is bound:
 * writing 1 to /sys/devices/system/cpu/cpuN/online fails with -EBUSY and
 * a log line, and the remote program keeps running.
 *
 * Hazard: Linux's GIC driver never ends (EOIs) an SGI that has no mapping,
 * and CPU0 then takes no more interrupts. So every rx SGI is mapped as soon
 * as the GIC is found, even when the probe fails later, and the mapping is
 * never disposed, not on unbind and not on rmmod: a mapped SGI without a
 * handler is ended as spurious, which is harmless. A later probe gets the
 * same mapping back.
 */

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sysfs.h>

#include <linux/pynq-irq.h>

#include "drivers.h"
#include "line.h"

#define GICD_ITARGETSR0		0x800
#define GICD_SGIR		0xf00
#define GICD_SGIR_CPU_LIST	(0 << 24)	/* filter: the CPU target list */
#define GICD_SGIR_TARGET_SHIFT	16

#define SGI_FIRST		8	/* 0-7 are Linux's own IPIs */
#define SGI_LAST		15
#define SGI_MAX			(SGI_LAST - SGI_FIRST + 1)
#define GIC_MAX_CPUS		8	/* bits in GICD_SGIR's CPU target list */

/*
 * The CPU that takes the rx SGIs: the boot CPU, which stays online. The
 * remote program raises its SGIs to it (cpu1/mailbox.h: target list bit 0).
 */
#define SGI_RX_CPU		0

struct gic_sgi;

/**
 * struct gic_sgi_chan - one SGI of the node, raised (tx) or received (rx)
 * @sgi: the device
 * @line: the SGI's event line, /dev/pynq-irq/@name
 * @name: the line's name (pynq,tx-names or pynq,rx-names; else "sgi<id>")
 * @id: the SGI number, 8-15
 * @virq: rx only: the SGI's per-CPU Linux IRQ; never disposed
 * @pcpu: rx only: request_percpu_irq()'s per-CPU cookie (its parking
 *	place, below), each pointing to this channel while it is bound
 */
struct gic_sgi_chan {
	struct gic_sgi *sgi;
	struct pynq_irq_line *line;
	const char *name;
	unsigned int id;
	unsigned int virq;
	struct gic_sgi_chan * __percpu *pcpu;
};

/**
 * struct gic_sgi - one pynq,gic-sgi node
 * @dev: the platform device
 * @gicd: the GIC distributor's registers
 * @target: GICD_SGIR CPU target list that names the remote CPU
 * @nr_tx: SGIs Linux raises
 * @tx: the SGIs Linux raises, in pynq,tx-sgis order
 * @nr_rx: SGIs Linux receives
 * @rx: the SGIs Linux receives, in pynq,rx-sgis order
 * @remote_cpu: the Linux CPU number of the remote CPU, if Linux could bring
 *	it up (a possible CPU), else -1
 * @veto: entry in the CPU-hotplug state that keeps @remote_cpu offline
 *
 * No lock: the channels are set up by probe and only read afterwards, and
 * a GICD_SGIR write raises one SGI atomically.
 */
struct gic_sgi {
	struct device *dev;
	void __iomem *gicd;
	u32 target;
	int remote_cpu;
	struct hlist_node veto;
	unsigned int nr_tx;
	struct gic_sgi_chan tx[SGI_MAX];
	unsigned int nr_rx;
	struct gic_sgi_chan rx[SGI_MAX];
};

/**
 * struct gic_sgi_park - an rx SGI's per-CPU IRQ, requested from the first
 *	bind that receives it until the module is unloaded
 * @virq: the IRQ
 * @pcpu: its per-CPU cookie: the bound channel, or NULL
 * @name: the IRQ's name in /proc/interrupts
 *
 * Not every GIC can mask an SGI (the Cortex-A9's enable bits for them read
 * as one), so the remote program's SGIs keep coming after an unbind. With
 * the handler freed, the IRQ core would report each as spurious; parked,
 * the handler finds no channel and drops the SGI. A later bind takes the
 * same IRQ back.
 */
struct gic_sgi_park {
	unsigned int virq;
	struct gic_sgi_chan * __percpu *pcpu;
	char *name;
};

/* Indexed by SGI id - SGI_FIRST; protected by gic_sgi_park_lock. */
static struct gic_sgi_park gic_sgi_parked[SGI_MAX];
static DEFINE_MUTEX(gic_sgi_park_lock);

/* The GICs whose distributor has GICD_SGIR at 0xF00 (GICv1 and v2). */
static const struct of_device_id gic_sgi_gic_match[] = {
	{ .compatible = "arm,arm11mp-gic" },
	{ .compatible = "arm,arm1176jzf-devchip-gic" },
	{ .compatible = "arm,cortex-a7-gic" },
	{ .compatible = "arm,cortex-a9-gic" },
	{ .compatible = "arm,cortex-a15-gic" },
	{ .compatible = "arm,gic-400" },
	{ .compatible = "arm,pl390" },
	{ .compatible = "qcom,msm-8660-qgic" },
	{ .compatible = "qcom,msm-qgic2" },
	{ }
};

/*
 * Raise one SGI to the remote CPU. writel()'s barrier makes what this CPU
 * wrote before (e.g. to memory shared with the remote CPU) visible before
 * the SGI; on Zynq it also drains the PL310 outer cache.
 */
static void gic_sgi_raise(struct gic_sgi_chan *ch)
{
	struct gic_sgi *sgi = ch->sgi;

	writel(GICD_SGIR_CPU_LIST | sgi->target << GICD_SGIR_TARGET_SHIFT |
	       ch->id, sgi->gicd + GICD_SGIR);
	pynq_irq_line_event(ch->line, ktime_get(), false);
}

/* A write() or writev() raises the tx node's SGI once, whatever the bytes. */
static int gic_sgi_tx_write(struct pynq_irq_line *line)
{
	gic_sgi_raise(pynq_irq_line_drvdata(line));
	return 0;
}

static const struct pynq_irq_line_ops gic_sgi_tx_ops = {
	.write = gic_sgi_tx_write,
};

/* An rx SGI is enabled for as long as the device is bound. */
static const struct pynq_irq_line_ops gic_sgi_rx_ops = { };

static irqreturn_t gic_sgi_rx_handler(int irq, void *dev_id)
{
	struct gic_sgi_chan *ch = READ_ONCE(*(struct gic_sgi_chan **)dev_id);

	/* Parked: no device is bound (struct gic_sgi_park). */
	if (!ch)
		return IRQ_HANDLED;
	pynq_irq_line_event(ch->line, ktime_get(), false);
	return IRQ_HANDLED;
}

/* The per-CPU enable bits are the calling CPU's: these run on SGI_RX_CPU. */
static void gic_sgi_rx_enable(void *data)
{
	struct gic_sgi_chan *ch = data;

	enable_percpu_irq(ch->virq, IRQ_TYPE_NONE);
}

static void gic_sgi_rx_disable(void *data)
{
	struct gic_sgi_chan *ch = data;

	disable_percpu_irq(ch->virq);
}

static void gic_sgi_rx_sync(void *data)
{
}

/* Point the parked IRQ's cookie on every CPU at @ch (or NULL). */
static void gic_sgi_rx_point(struct gic_sgi_chan * __percpu *pcpu,
			     struct gic_sgi_chan *ch)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		WRITE_ONCE(*per_cpu_ptr(pcpu, cpu), ch);
}

static void gic_sgi_rx_stop(void *data)
{
	struct gic_sgi_chan *ch = data;

	smp_call_function_single(SGI_RX_CPU, gic_sgi_rx_disable, ch, true);
	gic_sgi_rx_point(ch->pcpu, NULL);
	/*
	 * A handler may still run with @ch. SGI_RX_CPU takes the call below
	 * only outside any interrupt handler, so once it returns the handler
	 * is done with the line.
	 */
	smp_call_function_single(SGI_RX_CPU, gic_sgi_rx_sync, NULL, true);
}

/* The parked IRQ of @ch's SGI, requested now if it is not yet. */
static int gic_sgi_rx_take(struct gic_sgi_chan *ch)
{
	struct gic_sgi_park *p = &gic_sgi_parked[ch->id - SGI_FIRST];
	int ret = 0;

	mutex_lock(&gic_sgi_park_lock);
	if (p->pcpu && p->virq != ch->virq) {
		ret = -EBUSY;
		goto out;
	}
	if (!p->pcpu) {
		p->name = kasprintf(GFP_KERNEL, "pynq-irq-sgi%u", ch->id);
		p->pcpu = alloc_percpu(struct gic_sgi_chan *);
		if (!p->name || !p->pcpu) {
			ret = -ENOMEM;
			goto fail;
		}
		ret = request_percpu_irq(ch->virq, gic_sgi_rx_handler, p->name,
					 p->pcpu);
		if (ret)
			goto fail;
		p->virq = ch->virq;
	}
	ch->pcpu = p->pcpu;
	gic_sgi_rx_point(ch->pcpu, ch);
	goto out;
fail:
	free_percpu(p->pcpu);
	kfree(p->name);
	p->pcpu = NULL;
	p->name = NULL;
out:
	mutex_unlock(&gic_sgi_park_lock);
	return ret;
}

static int gic_sgi_rx_start(struct gic_sgi *sgi, struct gic_sgi_chan *ch)
{
	int ret;

	ret = gic_sgi_rx_take(ch);
	if (ret)
		return dev_err_probe(sgi->dev, ret,
				     "cannot request SGI %u (IRQ %u)\n", ch->id,
				     ch->virq);
	ret = smp_call_function_single(SGI_RX_CPU, gic_sgi_rx_enable, ch,
				       true);
	if (ret) {
		/*
		 * The SGI may come anyway (not every GIC masks one): no
		 * handler may hold @ch once probe frees it. A hard-IRQ
		 * handler is an RCU read-side section.
		 */
		gic_sgi_rx_point(ch->pcpu, NULL);
		synchronize_rcu();
		return dev_err_probe(sgi->dev, ret,
				     "cannot enable SGI %u on CPU%d\n", ch->id,
				     SGI_RX_CPU);
	}
	return devm_add_action_or_reset(sgi->dev, gic_sgi_rx_stop, ch);
}

static void gic_sgi_line_destroy(void *data)
{
	pynq_irq_line_destroy(data);
}

/* First thing on unbind: wake every reader and poller of every node. */
static void gic_sgi_kill_lines(void *data)
{
	struct gic_sgi *sgi = data;
	unsigned int i;

	for (i = 0; i < sgi->nr_tx; i++)
		pynq_irq_line_kill(sgi->tx[i].line);
	for (i = 0; i < sgi->nr_rx; i++)
		pynq_irq_line_kill(sgi->rx[i].line);
}

static int gic_sgi_add_line(struct gic_sgi *sgi, struct gic_sgi_chan *ch,
			    bool tx)
{
	ch->sgi = sgi;
	ch->line = pynq_irq_line_create(sgi->dev, ch->name, ch->id,
					tx ? PYNQ_IRQ_TRIGGER_SGI_TX :
					     PYNQ_IRQ_TRIGGER_SGI_RX,
					tx ? &gic_sgi_tx_ops : &gic_sgi_rx_ops,
					ch);
	if (IS_ERR(ch->line))
		return dev_err_probe(sgi->dev, PTR_ERR(ch->line),
				     "cannot create /dev/pynq-irq/%s\n",
				     ch->name);
	return devm_add_action_or_reset(sgi->dev, gic_sgi_line_destroy,
					ch->line);
}

static void gic_sgi_iounmap(void *data)
{
	struct gic_sgi *sgi = data;

	iounmap(sgi->gicd);
}

/* Find and map the GIC named by pynq,gic; returns its node, or NULL. */
static struct device_node *gic_sgi_get_gic(struct gic_sgi *sgi, int *ret)
{
	struct device_node *gic;

	gic = of_parse_phandle(sgi->dev->of_node, "pynq,gic", 0);
	if (!gic) {
		*ret = dev_err_probe(sgi->dev, -EINVAL,
				     "no GIC: pynq,gic is missing (e.g. pynq,gic = <&intc>)\n");
		return NULL;
	}
	if (!of_match_node(gic_sgi_gic_match, gic) || !irq_find_host(gic)) {
		*ret = dev_err_probe(sgi->dev, -EINVAL,
				     "no GIC: pynq,gic = <%pOF> is not Linux's ARM GIC (v1/v2)\n",
				     gic);
		goto put;
	}
	sgi->gicd = of_iomap(gic, 0);
	if (!sgi->gicd) {
		*ret = dev_err_probe(sgi->dev, -ENOMEM,
				     "cannot map the distributor of %pOF\n",
				     gic);
		goto put;
	}
	*ret = devm_add_action_or_reset(sgi->dev, gic_sgi_iounmap, sgi);
	if (!*ret)
		return gic;
put:
	of_node_put(gic);
	return NULL;
}

/* Read an SGI list, each SGI in 8-15 and listed once, into *mask too. */
static int gic_sgi_read_ids(struct gic_sgi *sgi, const char *prop,
			    struct gic_sgi_chan *chans, unsigned int *nr,
			    unsigned long *mask)
{
	u32 ids[SGI_MAX];
	int n, i;

	n = of_property_read_variable_u32_array(sgi->dev->of_node, prop, ids,
						0, SGI_MAX);
	if (n == -EINVAL)	/* absent: none */
		n = 0;
	if (n < 0)
		return dev_err_probe(sgi->dev, n,
				     "%s must list at most %d SGIs, each 8-15\n",
				     prop, SGI_MAX);
	for (i = 0; i < n; i++) {
		if (ids[i] < SGI_FIRST || ids[i] > SGI_LAST)
			return dev_err_probe(sgi->dev, -EINVAL,
					     "%s: SGI %u is outside 8-15 (0-7 are Linux's own IPIs)\n",
					     prop, ids[i]);
		if (*mask & BIT(ids[i]))
			return dev_err_probe(sgi->dev, -EINVAL,
					     "%s lists SGI %u twice\n", prop,
					     ids[i]);
		*mask |= BIT(ids[i]);
		chans[i].id = ids[i];
	}
	*nr = n;
	return 0;
}

static unsigned int gic_sgi_map(struct device_node *gic, u32 id)
{
	struct irq_fwspec spec = {
		.fwnode = of_fwnode_handle(gic),
		.param_count = 1,
		.param = { id },
	};

	return irq_create_fwspec_mapping(&spec);
}

/*
 * Map every SGI in 8-15 that pynq,rx-sgis lists, before the list is
 * checked: an SGI that arrives without a mapping stops CPU0 (see the top of
 * this file), also when the node is wrong. Failures show up later.
 */
static void gic_sgi_map_listed(struct gic_sgi *sgi, struct device_node *gic)
{
	struct device_node *np = sgi->dev->of_node;
	int i, n = of_property_count_u32_elems(np, "pynq,rx-sgis");
	u32 id;

	for (i = 0; i < n; i++)
		if (!of_property_read_u32_index(np, "pynq,rx-sgis", i, &id) &&
		    id >= SGI_FIRST && id <= SGI_LAST)
			gic_sgi_map(gic, id);
}

/* The rx SGIs' Linux IRQs: the mappings made by gic_sgi_map_listed(). */
static int gic_sgi_map_rx(struct gic_sgi *sgi, struct device_node *gic)
{
	unsigned int i;

	for (i = 0; i < sgi->nr_rx; i++) {
		sgi->rx[i].virq = gic_sgi_map(gic, sgi->rx[i].id);
		if (!sgi->rx[i].virq)
			return dev_err_probe(sgi->dev, -EINVAL,
					     "cannot map SGI %u of %pOF\n",
					     sgi->rx[i].id, gic);
	}
	return 0;
}

static int gic_sgi_read_names(struct gic_sgi *sgi, const char *prop,
			      struct gic_sgi_chan *chans, unsigned int nr)
{
	struct device_node *np = sgi->dev->of_node;
	unsigned int i;
	int n, ret;

	n = of_property_count_strings(np, prop);
	if (n == -EINVAL)	/* absent: default names */
		n = 0;
	if (n < 0 || (n && n != nr))
		return dev_err_probe(sgi->dev, -EINVAL,
				     "%s must have one name for each of the %u SGIs\n",
				     prop, nr);
	for (i = 0; i < nr; i++) {
		if (n) {
			ret = of_property_read_string_index(np, prop, i,
							    &chans[i].name);
			if (ret)
				return dev_err_probe(sgi->dev, ret,
						     "%s: cannot read name %u\n",
						     prop, i);
			continue;
		}
		chans[i].name = devm_kasprintf(sgi->dev, GFP_KERNEL, "sgi%u",
					       chans[i].id);
		if (!chans[i].name)
			return -ENOMEM;
	}
	return 0;
}

/**
 * struct gic_sgi_own - the GIC CPU interfaces of the CPUs Linux runs
 * @gicd: the GIC distributor's registers
 * @mask: their bits in a CPU target list; each CPU ORs in its own
 */
struct gic_sgi_own {
	void __iomem *gicd;
	atomic_t mask;
};

/* Runs on every online CPU. */
static void gic_sgi_own_target(void *data)
{
	struct gic_sgi_own *own = data;
	u32 v;

	/* Banked: each byte of ITARGETSR0 reads as this CPU's own bit. */
	v = readl_relaxed(own->gicd + GICD_ITARGETSR0);
	atomic_or((v | v >> 8 | v >> 16 | v >> 24) & 0xff, &own->mask);
}

/* The dynamic CPU-hotplug state of the veto; see pynq_gic_sgi_init(). */
static int gic_sgi_hp_state = -1;

/* Before Linux brings @cpu up: not while it runs a remote program. */
static int gic_sgi_cpu_prepare(unsigned int cpu, struct hlist_node *node)
{
	struct gic_sgi *sgi = hlist_entry(node, struct gic_sgi, veto);

	if (cpu != sgi->remote_cpu)
		return 0;
	dev_warn(sgi->dev, "CPU%u runs the remote program: not bringing it online (unbind %s first)\n",
		 cpu, dev_name(sgi->dev));
	return -EBUSY;
}

static void gic_sgi_veto_remove(void *data)
{
	struct gic_sgi *sgi = data;

	cpuhp_state_remove_instance_nocalls(gic_sgi_hp_state, &sgi->veto);
}

/* The Linux CPU whose device-tree "reg" (MPIDR) is GIC interface @iface. */
static int gic_sgi_linux_cpu(u32 iface)
{
	struct device_node *np;
	unsigned int cpu;
	u32 hwid;
	int ret;

	for_each_possible_cpu(cpu) {
		np = of_get_cpu_node(cpu, NULL);
		if (!np)
			continue;
		ret = of_property_read_u32(np, "reg", &hwid);
		of_node_put(np);
		/* Affinity level 0 numbers the CPU interfaces of one GIC. */
		if (!ret && (hwid & 0xff) == iface)
			return cpu;
	}
	return -1;
}

/*
 * Refuse a remote CPU that Linux runs; keep Linux off one it could run.
 * The veto is in place before the check: adding it waits for a CPU that
 * is coming up right now, and stops every later one.
 */
static int gic_sgi_guard_remote(struct gic_sgi *sgi, u32 iface)
{
	int ret;

	sgi->remote_cpu = gic_sgi_linux_cpu(iface);
	if (sgi->remote_cpu < 0)
		return 0;
	ret = cpuhp_state_add_instance_nocalls(gic_sgi_hp_state, &sgi->veto);
	if (ret)
		return ret;
	ret = devm_add_action_or_reset(sgi->dev, gic_sgi_veto_remove, sgi);
	if (ret)
		return ret;
	if (cpu_online(sgi->remote_cpu))
		return dev_err_probe(sgi->dev, -EINVAL,
				     "pynq,remote-cpu = %u is CPU%d, which Linux runs\n",
				     iface, sgi->remote_cpu);
	return 0;
}

static int gic_sgi_read_remote(struct gic_sgi *sgi)
{
	struct gic_sgi_own own = { .gicd = sgi->gicd };
	u32 cpu;
	int ret;

	ret = of_property_read_u32(sgi->dev->of_node, "pynq,remote-cpu",
				   &cpu);
	if (ret)
		return dev_err_probe(sgi->dev, ret,
				     "pynq,remote-cpu is missing\n");
	if (cpu >= GIC_MAX_CPUS)
		return dev_err_probe(sgi->dev, -EINVAL,
				     "pynq,remote-cpu = %u, but a GIC has CPU interfaces 0-7\n",
				     cpu);
	on_each_cpu(gic_sgi_own_target, &own, true);
	if (atomic_read(&own.mask) & BIT(cpu))
		return dev_err_probe(sgi->dev, -EINVAL,
				     "pynq,remote-cpu = %u is a CPU Linux runs on (GIC CPU interfaces 0x%02x)\n",
				     cpu, atomic_read(&own.mask));
	sgi->target = BIT(cpu);
	return gic_sgi_guard_remote(sgi, cpu);
}

static ssize_t raise_store(struct device *dev, struct device_attribute *attr,
			   const char *buf, size_t count)
{
	struct gic_sgi *sgi = dev_get_drvdata(dev);
	unsigned int id, i;

	if (kstrtouint(buf, 10, &id))
		return -EINVAL;
	for (i = 0; i < sgi->nr_tx; i++) {
		if (sgi->tx[i].id == id) {
			gic_sgi_raise(&sgi->tx[i]);
			return count;
		}
	}
	return -EINVAL;
}
static DEVICE_ATTR_WO(raise);

static struct attribute *gic_sgi_attrs[] = {
	&dev_attr_raise.attr,
	NULL,
};
ATTRIBUTE_GROUPS(gic_sgi);

static int gic_sgi_probe(struct platform_device *pdev)
{
	unsigned long tx_mask = 0, rx_mask = 0;
	struct device *dev = &pdev->dev;
	struct device_node *gic;
	struct gic_sgi *sgi;
	unsigned int i;
	int ret;

	sgi = devm_kzalloc(dev, sizeof(*sgi), GFP_KERNEL);
	if (!sgi)
		return -ENOMEM;
	sgi->dev = dev;

	gic = gic_sgi_get_gic(sgi, &ret);
	if (!gic)
		return ret;
	gic_sgi_map_listed(sgi, gic);
	ret = gic_sgi_read_ids(sgi, "pynq,rx-sgis", sgi->rx, &sgi->nr_rx,
			       &rx_mask);
	if (!ret)
		ret = gic_sgi_map_rx(sgi, gic);
	of_node_put(gic);
	if (ret)
		return ret;

	ret = gic_sgi_read_ids(sgi, "pynq,tx-sgis", sgi->tx, &sgi->nr_tx,
			       &tx_mask);
	if (ret)
		return ret;
	if (tx_mask & rx_mask)
		return dev_err_probe(dev, -EINVAL,
				     "SGI %u is in both pynq,tx-sgis and pynq,rx-sgis\n",
				     (unsigned int)__ffs(tx_mask & rx_mask));
	if (!tx_mask && !rx_mask)
		return dev_err_probe(dev, -EINVAL,
				     "no SGIs: pynq,tx-sgis and pynq,rx-sgis are both empty\n");
	ret = gic_sgi_read_names(sgi, "pynq,tx-names", sgi->tx, sgi->nr_tx);
	if (!ret)
		ret = gic_sgi_read_names(sgi, "pynq,rx-names", sgi->rx,
					 sgi->nr_rx);
	if (!ret)
		ret = gic_sgi_read_remote(sgi);
	if (ret)
		return ret;

	for (i = 0; i < sgi->nr_tx; i++) {
		ret = gic_sgi_add_line(sgi, &sgi->tx[i], true);
		if (ret)
			return ret;
	}
	for (i = 0; i < sgi->nr_rx; i++) {
		ret = gic_sgi_add_line(sgi, &sgi->rx[i], false);
		if (!ret)
			ret = gic_sgi_rx_start(sgi, &sgi->rx[i]);
		if (ret)
			return ret;
	}
	ret = devm_add_action_or_reset(dev, gic_sgi_kill_lines, sgi);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, sgi);
	/* __ffs() is unsigned long in 6.1 on ARM and unsigned int in 6.12. */
	dev_info(dev, "raises %u SGIs to CPU interface %u, receives %u on CPU%d\n",
		 sgi->nr_tx, (unsigned int)__ffs(sgi->target), sgi->nr_rx,
		 SGI_RX_CPU);
	return 0;
}

static const struct of_device_id gic_sgi_of_match[] = {
	{ .compatible = "pynq,gic-sgi" },
	{ }
};
MODULE_DEVICE_TABLE(of, gic_sgi_of_match);

/*
 * Everything is undone by devres, in reverse order: every node is killed
 * (waiters return -ENODEV at once), each rx SGI is disabled and parked (its
 * mapping stays), the nodes are removed, the distributor is unmapped. The
 * "raise" attribute is gone before that starts.
 */
struct platform_driver pynq_gic_sgi_driver = {
	.probe = gic_sgi_probe,
	.driver = {
		.name = "pynq-irq-gic-sgi",
		.of_match_table = gic_sgi_of_match,
		.dev_groups = gic_sgi_groups,
	},
};

/**
 * pynq_gic_sgi_init() - set up what every SGI device shares
 *
 * Allocates the dynamic CPU-hotplug state whose prepare step lets each
 * bound device veto bringing its remote CPU online. Call before the
 * driver is registered.
 *
 * Return: 0 or a negative errno.
 */
int pynq_gic_sgi_init(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN,
				      "pynq-irq/gic-sgi:prepare",
				      gic_sgi_cpu_prepare, NULL);
	if (ret < 0)
		return ret;
	gic_sgi_hp_state = ret;
	return 0;
}

/**
 * pynq_gic_sgi_exit() - undo pynq_gic_sgi_init(), after the driver is gone
 */
void pynq_gic_sgi_exit(void)
{
	struct gic_sgi_park *p;

	/* An SGI the remote program raises after this is spurious. */
	for (p = gic_sgi_parked; p < gic_sgi_parked + SGI_MAX; p++) {
		if (!p->pcpu)
			continue;
		free_percpu_irq(p->virq, p->pcpu);
		free_percpu(p->pcpu);
		kfree(p->name);
		p->pcpu = NULL;
	}
	cpuhp_remove_multi_state(gic_sgi_hp_state);
}
