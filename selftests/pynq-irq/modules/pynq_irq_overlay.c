// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper: apply and remove device-tree overlays from userspace with
 * the kernel's overlay API (of_overlay_fdt_apply, of_overlay_remove), as a
 * bitstream loader does when it describes new programmable logic.
 *
 * /sys/kernel/debug/pynq-irq-overlay/
 *   apply    write one whole .dtbo per open. Writes to an open file
 *            accumulate; the write that completes the blob (the size in
 *            its FDT header) applies it and returns the result, so
 *            "cat x.dtbo >apply" fails when the overlay does not apply.
 *            Bytes after the blob fail with EINVAL; a file closed before
 *            the blob is whole applies nothing and says so in the log.
 *   remove   write anything: remove the most recently applied overlay
 *            (ENOENT when there is none).
 *   applied  read: changeset ids of the overlays applied here, oldest
 *            first, one a line.
 *   notify_fail_nth  read: the applying task's fail-nth countdown
 *            (Documentation/fault-injection) when the last apply first
 *            notified a change of the live tree: its entries were in the
 *            tree, no platform device was created yet. A task that armed
 *            fail-nth with N before a clean apply learns that the OF core
 *            used N - value injection points before (fault_inject.c).
 *   fail_nth_after_notify  write N: the next apply's first notification
 *            sets the applying task's fail-nth to N, so that the N-th
 *            injection point after it fails, however many the OF core
 *            used before (a few more or fewer from one apply to the
 *            next). Reads 0 once it was used.
 *
 * Unloading the module removes the overlays still applied, newest first.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/libfdt.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"

#define OVL_MAX_APPLIED	16
#define OVL_MAX_SIZE	SZ_1M

/**
 * struct ovl_stack - the overlays applied through this module
 * @lock: serialises apply and remove; protects @ids, @nr and every
 *	struct ovl_writer
 * @ids: changeset ids returned by of_overlay_fdt_apply(), newest last
 * @nr: entries in @ids
 */
struct ovl_stack {
	struct mutex lock; /* apply, remove and every writer */
	int ids[OVL_MAX_APPLIED];
	unsigned int nr;
};

/**
 * struct ovl_writer - a blob being written to "apply" through one open file
 * @buf: the bytes written so far
 * @len: length of @buf
 * @done: the blob was applied or refused; the file takes no more bytes
 */
struct ovl_writer {
	u8 *buf;
	size_t len;
	bool done;
};

static struct ovl_stack ovl_stack = {
	.lock = __MUTEX_INITIALIZER(ovl_stack.lock),
};

static struct dentry *ovl_dir;

/*
 * Whether the changeset being applied reached the live tree: set by
 * ovl_notify() at OF_OVERLAY_POST_APPLY, cleared before each apply, under
 * ovl_stack.lock (no other code applies overlays on the board).
 *
 * of_overlay_fdt_apply() asks its caller to remove a failed overlay by its
 * id, but only a failure after the entries were applied (creating the
 * platform devices, a post-apply notifier) leaves them in the tree. A
 * failure before that, or in __of_changeset_apply_entries(), which
 * reverts what it applied, leaves none; of_overlay_remove() would revert
 * them (again) and corrupt the tree (Linux 6.1 and 6.12 alike). The
 * kernel then keeps the failed changeset in its idr, unapplied.
 */
static bool ovl_post_apply;

static int ovl_notify(struct notifier_block *nb, unsigned long action,
		      void *arg)
{
	if (action == OF_OVERLAY_POST_APPLY)
		ovl_post_apply = true;
	return NOTIFY_OK;
}

static struct notifier_block ovl_nb = {
	.notifier_call = ovl_notify,
};

/*
 * The fail-nth countdown at the first reconfig notification of the apply
 * in progress (see the top of the file); ovl_notified says it was taken.
 * Both under ovl_stack.lock while an apply runs.
 */
static u32 ovl_notify_fail_nth;
static bool ovl_notified;
/* Written through debugfs by the one test that uses it, between applies. */
static u32 ovl_fail_after;

static u32 task_fail_nth(void)
{
#ifdef CONFIG_FAULT_INJECTION
	return READ_ONCE(current->fail_nth);
#else
	return 0;
#endif
}

static void task_fail_nth_set(u32 n)
{
#ifdef CONFIG_FAULT_INJECTION
	WRITE_ONCE(current->fail_nth, n);
#endif
}

static int ovl_reconfig_notify(struct notifier_block *nb,
			       unsigned long action, void *arg)
{
	if (!ovl_notified) {
		ovl_notified = true;
		ovl_notify_fail_nth = task_fail_nth();
		if (ovl_fail_after) {
			task_fail_nth_set(ovl_fail_after);
			ovl_fail_after = 0;
		}
	}
	return NOTIFY_OK;
}

/* Before the platform bus's own notifier, which creates the devices. */
static struct notifier_block ovl_reconfig_nb = {
	.notifier_call = ovl_reconfig_notify,
	.priority = INT_MAX,
};

/* Apply a whole blob and push its id. Called with the stack's lock held. */
static int ovl_apply(const void *blob, u32 size)
{
	int id = 0, ret, ret2;

	if (ovl_stack.nr == OVL_MAX_APPLIED) {
		pr_err("apply: %u overlays already applied, remove one first\n",
		       ovl_stack.nr);
		return -ENOSPC;
	}
	ovl_post_apply = false;
	ovl_notified = false;
	ovl_notify_fail_nth = 0;
	ret = pynq_irq_overlay_fdt_apply(blob, size, &id);
	if (ret) {
		pr_err("apply: of_overlay_fdt_apply() failed: %d\n", ret);
		/* Undo a changeset that reached the tree (ovl_post_apply). */
		if (id && ovl_post_apply) {
			ret2 = of_overlay_remove(&id);
			if (ret2)
				pr_err("apply: cannot undo the failed overlay %d: %d\n",
				       id, ret2);
		}
		return ret;
	}
	ovl_stack.ids[ovl_stack.nr++] = id;
	pr_info("applied overlay %d (%u bytes)\n", id, size);
	return 0;
}

/* Remove the newest overlay. Called with the stack's lock held. */
static int ovl_remove_newest(void)
{
	int id, ret;

	if (!ovl_stack.nr)
		return -ENOENT;
	id = ovl_stack.ids[ovl_stack.nr - 1];
	ret = of_overlay_remove(&id);
	if (ret) {
		pr_err("remove: of_overlay_remove(%d) failed: %d\n", id, ret);
		return ret;
	}
	pr_info("removed overlay %d\n", ovl_stack.ids[--ovl_stack.nr]);
	return 0;
}

static int apply_open(struct inode *inode, struct file *file)
{
	struct ovl_writer *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	file->private_data = w;
	return nonseekable_open(inode, file);
}

static void writer_reset(struct ovl_writer *w)
{
	kvfree(w->buf);
	w->buf = NULL;
	w->len = 0;
}

/* The blob's size once its header is in; 0 while incomplete. */
static int writer_blob_size(struct ovl_writer *w, u32 *size)
{
	*size = 0;
	if (w->len < sizeof(struct fdt_header))
		return 0;
	if (fdt_magic(w->buf) != FDT_MAGIC) {
		pr_err("apply: not a device-tree blob (magic 0x%08x)\n",
		       fdt_magic(w->buf));
		return -EINVAL;
	}
	*size = fdt_totalsize(w->buf);
	if (*size < sizeof(struct fdt_header) || *size > OVL_MAX_SIZE) {
		pr_err("apply: blob size %u in the header is out of range\n",
		       *size);
		return -EINVAL;
	}
	if (w->len > *size) {
		pr_err("apply: %zu bytes written after the %u-byte blob\n",
		       w->len - *size, *size);
		return -EINVAL;
	}
	return 0;
}

/* Append @count bytes; apply when the blob is whole. Stack's lock held. */
static ssize_t writer_add(struct ovl_writer *w, const char __user *ubuf,
			  size_t count)
{
	u32 size;
	u8 *buf;
	int ret;

	if (w->done) {
		pr_err("apply: one overlay per open file\n");
		return -EINVAL;
	}
	if (count > OVL_MAX_SIZE - w->len) {
		pr_err("apply: blob larger than %u bytes\n", OVL_MAX_SIZE);
		writer_reset(w);
		w->done = true;
		return -EFBIG;
	}
	buf = kvmalloc(w->len + count, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_user(buf + w->len, ubuf, count)) {
		kvfree(buf);
		return -EFAULT;
	}
	if (w->len)
		memcpy(buf, w->buf, w->len);
	kvfree(w->buf);
	w->buf = buf;
	w->len += count;

	ret = writer_blob_size(w, &size);
	if (!ret && (!size || w->len < size))
		return count;	/* more to come */
	if (!ret)
		ret = ovl_apply(w->buf, size);
	writer_reset(w);
	w->done = true;
	return ret ? ret : count;
}

static ssize_t apply_write(struct file *file, const char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	ssize_t ret;

	if (!count)
		return 0;
	mutex_lock(&ovl_stack.lock);
	ret = writer_add(file->private_data, ubuf, count);
	mutex_unlock(&ovl_stack.lock);
	return ret;
}

static int apply_release(struct inode *inode, struct file *file)
{
	struct ovl_writer *w = file->private_data;

	if (w->len)
		pr_err("apply: closed after %zu bytes of an incomplete blob; nothing applied\n",
		       w->len);
	writer_reset(w);
	kfree(w);
	return 0;
}

static const struct file_operations apply_fops = {
	.owner = THIS_MODULE,
	.open = apply_open,
	.write = apply_write,
	.release = apply_release,
};

static ssize_t remove_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	int ret;

	mutex_lock(&ovl_stack.lock);
	ret = ovl_remove_newest();
	mutex_unlock(&ovl_stack.lock);
	if (ret == -ENOENT)
		pr_err("remove: no overlay is applied\n");
	return ret ? ret : count;
}

static const struct file_operations remove_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = remove_write,
};

static int applied_show(struct seq_file *s, void *unused)
{
	unsigned int i;

	mutex_lock(&ovl_stack.lock);
	for (i = 0; i < ovl_stack.nr; i++)
		seq_printf(s, "%d\n", ovl_stack.ids[i]);
	mutex_unlock(&ovl_stack.lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(applied);

static int __init pynq_irq_overlay_init(void)
{
	int ret;

	ret = of_overlay_notifier_register(&ovl_nb);
	if (ret)
		return ret;
	ret = of_reconfig_notifier_register(&ovl_reconfig_nb);
	if (ret)
		goto err_overlay_nb;
	/* debugfs is this module's only interface: fail without it. */
	ovl_dir = debugfs_create_dir("pynq-irq-overlay", NULL);
	if (IS_ERR(ovl_dir)) {
		ret = PTR_ERR(ovl_dir);
		goto err_reconfig_nb;
	}
	debugfs_create_file("apply", 0200, ovl_dir, NULL, &apply_fops);
	debugfs_create_file("remove", 0200, ovl_dir, NULL, &remove_fops);
	debugfs_create_file("applied", 0400, ovl_dir, NULL, &applied_fops);
	debugfs_create_u32("notify_fail_nth", 0400, ovl_dir,
			   &ovl_notify_fail_nth);
	debugfs_create_u32("fail_nth_after_notify", 0600, ovl_dir,
			   &ovl_fail_after);
	return 0;

err_reconfig_nb:
	of_reconfig_notifier_unregister(&ovl_reconfig_nb);
err_overlay_nb:
	of_overlay_notifier_unregister(&ovl_nb);
	return ret;
}
module_init(pynq_irq_overlay_init);

static void __exit pynq_irq_overlay_exit(void)
{
	/* No file operation runs after this; then undo what is left. */
	debugfs_remove_recursive(ovl_dir);
	mutex_lock(&ovl_stack.lock);
	while (ovl_stack.nr && !ovl_remove_newest())
		;
	if (ovl_stack.nr)
		pr_err("unload: %u overlays could not be removed\n",
		       ovl_stack.nr);
	mutex_unlock(&ovl_stack.lock);
	of_reconfig_notifier_unregister(&ovl_reconfig_nb);
	of_overlay_notifier_unregister(&ovl_nb);
}
module_exit(pynq_irq_overlay_exit);

MODULE_DESCRIPTION("pynq-irq selftests: apply and remove device-tree overlays");
MODULE_LICENSE("GPL");
