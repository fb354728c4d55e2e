// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: a driver that holds an interrupt with no device link to
 * its controller, as a driver of an out-of-tree or misdescribed device
 * would. The selftests use it to unbind an AXI INTC while one of its pins
 * is still requested. Through debugfs (/sys/kernel/debug/pynq-irq-hold):
 *   irq     write N: request Linux IRQ N; write 0: free it; read: N or 0
 *   enable  write 1 or 0: enable_irq() or disable_irq() it (not lazily:
 *           each reaches the irq_chip)
 *   count   read: interrupts its handler took
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(hold_lock);	/* guards hold_irq and every write */
static unsigned int hold_irq;
static atomic_t hold_count = ATOMIC_INIT(0);
static struct dentry *hold_dir;

static irqreturn_t hold_handler(int irq, void *data)
{
	atomic_inc(&hold_count);
	return IRQ_HANDLED;
}

static int irq_get(void *data, u64 *val)
{
	mutex_lock(&hold_lock);
	*val = hold_irq;
	mutex_unlock(&hold_lock);
	return 0;
}

static int irq_set(void *data, u64 val)
{
	int ret = 0;

	mutex_lock(&hold_lock);
	if (val && hold_irq) {
		ret = -EBUSY;
	} else if (val) {
		/* disable_irq() masks at once: the chip is called every time. */
		irq_set_status_flags(val, IRQ_DISABLE_UNLAZY);
		ret = request_irq(val, hold_handler, 0, "pynq-irq-hold", NULL);
		if (!ret)
			hold_irq = val;
		else
			irq_clear_status_flags(val, IRQ_DISABLE_UNLAZY);
	} else if (hold_irq) {
		free_irq(hold_irq, NULL);
		irq_clear_status_flags(hold_irq, IRQ_DISABLE_UNLAZY);
		hold_irq = 0;
	}
	mutex_unlock(&hold_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(irq_fops, irq_get, irq_set, "%llu\n");

static int enable_set(void *data, u64 val)
{
	int ret = 0;

	mutex_lock(&hold_lock);
	if (!hold_irq)
		ret = -ENOENT;
	else if (val)
		enable_irq(hold_irq);
	else
		disable_irq(hold_irq);
	mutex_unlock(&hold_lock);
	return ret;
}
DEFINE_DEBUGFS_ATTRIBUTE(enable_fops, NULL, enable_set, "%llu\n");

static int count_get(void *data, u64 *val)
{
	*val = atomic_read(&hold_count);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(count_fops, count_get, NULL, "%llu\n");

static int __init hold_init(void)
{
	hold_dir = debugfs_create_dir("pynq-irq-hold", NULL);
	debugfs_create_file_unsafe("irq", 0600, hold_dir, NULL, &irq_fops);
	debugfs_create_file_unsafe("enable", 0200, hold_dir, NULL,
				   &enable_fops);
	debugfs_create_file_unsafe("count", 0400, hold_dir, NULL,
				   &count_fops);
	return 0;
}
module_init(hold_init);

static void __exit hold_exit(void)
{
	debugfs_remove_recursive(hold_dir);
	irq_set(NULL, 0);
}
module_exit(hold_exit);

MODULE_DESCRIPTION("pynq-irq selftests: hold an IRQ without a device link");
MODULE_LICENSE("GPL");
