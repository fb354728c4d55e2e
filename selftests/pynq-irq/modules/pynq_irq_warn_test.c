// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately broken test module: its init WARNs. The selftests use it to
 * show that the test runner fails a run on a kernel WARNING.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init pynq_irq_warn_test_init(void)
{
	WARN(1, "pynq-irq: deliberate warning from the harness self-test\n");
	return 0;
}
module_init(pynq_irq_warn_test_init);

static void __exit pynq_irq_warn_test_exit(void)
{
}
module_exit(pynq_irq_warn_test_exit);

MODULE_DESCRIPTION("pynq-irq harness self-test: a module that WARNs");
MODULE_LICENSE("GPL");
