// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection (make torture, part 1): every slab allocation on a path
 * is made to fail in turn, with failslab and the task's own fail-nth
 * (Documentation/fault-injection/fault-injection.rst): write N to
 * /proc/thread-self/fail-nth, run the call, read fail-nth back (0: the
 * N-th injection point of the call failed), and go on with N + 1 until a
 * call completes without reaching N. The paths:
 *  - probe of both drivers: a bind through sysfs, written by this program
 *    (the shell's own allocations would count otherwise), the device
 *    unbound first;
 *  - open of a pin node and of an SGI node;
 *  - every ioctl of the ABI, on an open pin node;
 *  - applying the overlay intc1-small.dtbo, which also probes its INTC:
 *    the points after the OF core's own part (ovl_core_points()), armed
 *    by pynq_irq_overlay.ko at the first notification of the change.
 * Each injected failure must give a clean errno and leave nothing behind:
 * a failed bind leaves the device unbound and without nodes, a failed open
 * leaves the line without clients, a failed ioctl leaves the setting, a
 * failed apply leaves no overlay. A call that succeeds although a point
 * failed (the kernel falls back, e.g. kvmalloc() to vmalloc()) must still
 * work: a bound device gives one event for one pulse or raise (through a
 * node made from sysfs if devtmpfs lost it, open_node()). The runner
 * fails the test on any report of the debug kernel (KASAN, lockdep,
 * kmemleak, UBSAN, WARNING, BUG), and the last case asks kmemleak.
 *
 * Each path prints "# torture: fault: <path>: <n> injection points".
 * The INTC's probe is swept on two INTCs: the board's first, with 32 pins
 * (thousands of points, each a bind of 32 nodes), and the second as
 * intc1-small.dtbo describes it, with two (a few hundred): the same code,
 * each per-pin step once for a first pin and once after a pin that
 * succeeded. make check sweeps the probes and the apply by sampling
 * (every point of the first FULL_FIRST, then every STRIDE-th, then a
 * binary search for the end, so the count is still exact), with a clean
 * bind that must work after every CHECK_BIND_EVERY-th step, and runs the
 * first INTC's probe on the smp board only. TORTURE=1 (pynq.torture=1 on
 * the kernel command line) sweeps every point of every path but the first
 * INTC's probe, which it samples as make check does, on both boards, and
 * binds cleanly after each failure, while the sweep's share of make
 * torture's time lasts (struct fault_path's @share); then it samples the
 * rest, so the count stays exact.
 *
 * A failed allocation in request_mem_region() gives EBUSY: the kernel's
 * __request_region() returns NULL for it as for a conflict, and
 * devm_ioremap_resource() says EBUSY too. The probes accept it, and then
 * check with a clean bind that no region was left claimed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <linux/pynq-irq.h>

#include "board.h"
#include "events.h"
#include "kselftest_harness.h"
#include "overlay.h"

#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define SGI_DEV		"gic-sgi"
#define SGI_DRV		"/sys/bus/platform/drivers/pynq-irq-gic-sgi"
#define SGI_TX_NODE	"/dev/pynq-irq/cpu1-kick"
#define INTC1_DEV	"41810000.interrupt-controller"
#define INTC1_SMALL_DTBO	"intc1-small.dtbo"
#define PLAT_DEVS	"/sys/bus/platform/devices/"
/* No path comes near: a sweep that gets here is stuck. */
#define MAX_POINTS	100000
/*
 * Probe and apply sweeps in make check: every point up to FULL_FIRST, then
 * every STRIDE-th, then a binary search between the last point reached
 * and the first one not reached; a clean bind after every
 * CHECK_BIND_EVERY-th step.
 */
#define FULL_FIRST	4
#define STRIDE		997
#define CHECK_BIND_EVERY	8

static bool torture(void)
{
	char buf[1024] = "";

	if (board_torturing())
		return true;
	sysfs_read("/proc/cmdline", buf, sizeof(buf));
	return strstr(buf, "pynq.torture=1");
}

/* make check on the amp board: the INTC's long sweeps run on smp only. */
static bool amp_check(void)
{
	char buf[8] = "";

	sysfs_read("/sys/devices/system/cpu/online", buf, sizeof(buf));
	return !torture() && !strcmp(buf, "0\n");
}

static double now_s(void)
{
	return now_ns(CLOCK_MONOTONIC) / 1e9;
}

/*
 * struct fault_path - one path to sweep
 * @name: as printed
 * @op: the call under test: 0 or -errno; armed with fail-nth around it
 * @done: after @op succeeded (with or without a failed point): check that
 *	the result works, then undo it for the next round (unless @last).
 *	0 or -1 (the test failed; it says why)
 * @failed: after @op failed: check that nothing is left behind; @n is the
 *	point, @clean_bind asks for a bind that must work. 0 or -1
 * @errnos: the errnos @op may fail with, 0-terminated
 * @stride: points sampled in one step after the first FULL_FIRST
 *	(0 or 1: every point)
 * @bind_every: ask @failed for a clean bind every that many steps (0: no)
 * @ebusy_bind: EBUSY is allowed, with a clean bind after it
 * @share: under make torture, a sweep of every point may take 1/@share of
 *	the test's time left (less a minute for what follows), then samples
 *	the rest as make check does (0 or 1: all of it)
 * @arm: arms point n instead of the thread's fail-nth file (NULL: that)
 * @injected: whether the point failed, disarmed either way (NULL: the
 *	fail-nth file says)
 */
struct fault_path {
	const char *name;
	int (*op)(void *ctx);
	int (*done)(struct __test_metadata *_metadata, void *ctx, bool last);
	int (*failed)(struct __test_metadata *_metadata, void *ctx, int n,
		      bool clean_bind);
	int errnos[4];
	int stride;
	int bind_every;
	bool ebusy_bind;
	int share;
	int (*arm)(int fd, unsigned int n);
	bool (*injected)(int fd);
};

/*
 * Set while @done checks a call that succeeded although its point failed:
 * then a node may be missing (see open_node()).
 */
static bool point_tolerated;

/* The fail-nth file of this thread, opened before any point is armed. */
static int fail_nth_open(void)
{
	return open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
}

static int fail_nth_arm(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -1;
}

/* Was the armed point reached (and failed)? Disarms either way. */
static bool fail_nth_injected(int fd)
{
	char buf[16] = "";
	bool injected;

	injected = pread(fd, buf, sizeof(buf) - 1, 0) > 0 && atoi(buf) == 0;
	pwrite(fd, "0", 1, 0);
	return injected;
}

/*
 * struct failslab_saved - what the sweep changes in failslab's debugfs,
 * put back at the end so that no other test sees allocations fail
 */
struct failslab_saved {
	char ignore_gfp_wait[8];
	char verbose[8];
};

static int failslab_setup(struct failslab_saved *s)
{
	if (sysfs_read(FAILSLAB "ignore-gfp-wait", s->ignore_gfp_wait,
		       sizeof(s->ignore_gfp_wait)) <= 0 ||
	    sysfs_read(FAILSLAB "verbose", s->verbose, sizeof(s->verbose)) <= 0)
		return -1;
	/*
	 * GFP_KERNEL allocations too (failslab skips them by default), and no
	 * stack dump per injected failure. The probability stays 0: only
	 * fail-nth makes anything fail, and only in this task.
	 */
	if (sysfs_write(FAILSLAB "ignore-gfp-wait", "N") ||
	    sysfs_write(FAILSLAB "verbose", "0") ||
	    sysfs_write(FAILSLAB "probability", "0"))
		return -1;
	return 0;
}

static void failslab_restore(const struct failslab_saved *s)
{
	sysfs_write(FAILSLAB "ignore-gfp-wait", s->ignore_gfp_wait);
	sysfs_write(FAILSLAB "verbose", s->verbose);
}

static bool errno_allowed(const struct fault_path *p, int err)
{
	int i;

	for (i = 0; i < 4 && p->errnos[i]; i++)
		if (err == p->errnos[i])
			return true;
	return false;
}

/*
 * Arm point n and run the path's call; 1 if the point was reached, 0 if
 * not, -1 if the result is wrong (the test failed). *ret gets the call's.
 * @final: a call that did not reach n leaves its result in place.
 */
static int sweep_one(struct __test_metadata *_metadata,
		     const struct fault_path *p, void *ctx, int fd, int n,
		     bool final, bool clean_bind, int *ret, int *tolerated)
{
	bool injected;

	if ((p->arm ? p->arm : fail_nth_arm)(fd, n)) {
		TH_LOG("%s: cannot arm fail-nth %d: %s", p->name, n,
		       strerror(errno));
		return -1;
	}
	*ret = p->op(ctx);
	injected = (p->injected ? p->injected : fail_nth_injected)(fd);
	if (!injected) {
		if (*ret) {
			TH_LOG("%s: failed with %s although no fault was injected (n = %d)",
			       p->name, strerror(-*ret), n);
			return -1;
		}
		return p->done(_metadata, ctx, final) ? -1 : 0;
	}
	if (!*ret) {
		int bad;

		/* The kernel took the failure in its stride. */
		(*tolerated)++;
		point_tolerated = true;
		bad = p->done(_metadata, ctx, false);
		point_tolerated = false;
		return bad ? -1 : 1;
	}
	if (-*ret == EBUSY && p->ebusy_bind) {
		/* See the top of this file: it must not be a real conflict. */
		clean_bind = true;
	} else if (!errno_allowed(p, -*ret)) {
		TH_LOG("%s: point %d failed the call with %s (%d), not a documented errno",
		       p->name, n, strerror(-*ret), -*ret);
		return -1;
	}
	return p->failed(_metadata, ctx, n, clean_bind) ? -1 : 1;
}

/*
 * Sweep a path: points 1, 1 + stride, ... until one is not reached, then
 * the points of the last stride one by one, so that the count is exact.
 * Returns the number of points, or -1 (the test failed).
 */
static int sweep(struct __test_metadata *_metadata,
		 const struct fault_path *p, void *ctx)
{
	int fd = fail_nth_open(), n, lo, hi, ret = 0, r, tolerated = 0;
	int stride = p->stride > 0 ? p->stride : 1, steps = 0, tries = 0;
	double t0 = now_s(), shown = t0, until = 1e18;
	int every_to = 0;

	if (torture() && stride == 1)
		until = t0 + (board_torture_left() - 60) /
			(p->share > 1 ? p->share : 1);

	if (fd < 0) {
		TH_LOG("cannot open fail-nth: %s", strerror(errno));
		return -1;
	}
	/* lo: the last point known reached. */
	lo = 0;
	for (n = 1; n < MAX_POINTS;
	     n += n < FULL_FIRST ? 1 : stride) {
		bool bind;

		if (stride == 1 && n > FULL_FIRST && now_s() > until) {
			/* Out of this sweep's time: sample the rest. */
			every_to = n - 1;
			stride = STRIDE;
			printf("# %s: every point up to %d in %.0f s; sampled from here\n",
			       p->name, every_to, now_s() - t0);
			fflush(stdout);
		}
		bind = p->bind_every && !(++steps % p->bind_every);

		r = sweep_one(_metadata, p, ctx, fd, n, stride == 1, bind,
			      &ret, &tolerated);
		tries++;
		if (r < 0)
			goto fail;
		if (!r)
			break;
		lo = n;
		if (now_s() - shown >= 60) {
			shown = now_s();
			printf("# %s: at point %d after %.0f s\n", p->name, n,
			       shown - t0);
			fflush(stdout);
		}
	}
	if (n >= MAX_POINTS) {
		TH_LOG("%s: still failing after %d points", p->name, n);
		goto fail;
	}
	/* hi was not reached: the count is in lo .. hi - 1. */
	for (hi = n; hi - lo > 1; tries++) {
		n = lo + (hi - lo) / 2;
		r = sweep_one(_metadata, p, ctx, fd, n, false, false, &ret,
			      &tolerated);
		if (r < 0)
			goto fail;
		if (r)
			lo = n;
		else
			hi = n;
	}
	close(fd);
	printf("# torture: fault: %s: %d injection points\n", p->name, lo);
	printf("# %s: %d calls in %.1f s (%s), %d with a point failed and the call still done\n",
	       p->name, tries, now_s() - t0,
	       stride == 1 ? "every point" : every_to ?
	       "every point, then sampled for want of time, then a binary search" :
	       "sampled, then a binary search", tolerated);
	fflush(stdout);
	return lo;
fail:
	fail_nth_injected(fd);
	close(fd);
	return -1;
}

static bool dev_bound(const char *dev)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PLAT_DEVS "%s/driver", dev);
	return access(path, F_OK) == 0;
}

/* Read one event from a non-blocking node after a stimulus; 0 or -1. */
/* @fresh: the device was just bound, the event is the line's first. */
static int one_event(struct __test_metadata *_metadata, int fd,
		     const char *what, bool fresh)
{
	struct ev e[2];
	int n = read_events(fd, e, 2, 2000);

	if (n != 1 || (fresh && e[0].seqno != 1)) {
		TH_LOG("%s: expected one event%s, read %d (seqno %llu)", what,
		       fresh ? " with seqno 1" : "", n,
		       n > 0 ? (unsigned long long)e[0].seqno : 0ull);
		return -1;
	}
	return 0;
}

/* Pin 0 of an INTC (btns, ov-btns) gives one event for one pulse. */
/*
 * Open a line's node. After a point failed and the call still succeeded,
 * the node may be missing although the line exists: devtmpfs names it
 * with an allocation of its own (the class's devnode()), and device_add()
 * goes on when that fails. udev would still make it from the uevent; here
 * it is made with mknod from the line's dev in sysfs.
 */
static int open_node(const char *node, int flags)
{
	const char *name = strrchr(node, '/') + 1;
	const char *tmp = "/tmp/fault_inject.node";
	char path[PATH_MAX], dev[32] = "";
	unsigned int maj, min;
	int fd = open(node, flags);

	if (fd >= 0 || errno != ENOENT || !point_tolerated)
		return fd;
	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/dev", name);
	if (sysfs_read(path, dev, sizeof(dev)) <= 0 ||
	    sscanf(dev, "%u:%u", &maj, &min) != 2) {
		errno = ENOENT;
		return -1;
	}
	printf("# %s: no node after a point failed (devtmpfs); made from %s\n",
	       node, path);
	unlink(tmp);
	if (mknod(tmp, S_IFCHR | 0600, makedev(maj, min)))
		return -1;
	fd = open(tmp, flags);
	unlink(tmp);
	return fd;
}

static int intc_works(struct __test_metadata *_metadata, const char *node,
		      bool fresh)
{
	static volatile uint32_t *stim;
	int fd, ret;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	fd = open_node(node, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		TH_LOG("open %s: %s", node, strerror(errno));
		return -1;
	}
	reg_wr(stim, STIM_PULSE, 1);
	ret = one_event(_metadata, fd, node, fresh);
	close(fd);
	return ret;
}

/* One raise on the SGI device's tx node is one event there. */
static int sgi_works(struct __test_metadata *_metadata, bool fresh)
{
	int fd = open_node(SGI_TX_NODE, O_RDWR | O_NONBLOCK), ret;

	if (fd < 0) {
		TH_LOG("open " SGI_TX_NODE ": %s", strerror(errno));
		return -1;
	}
	ret = write(fd, "1", 1) == 1 ?
	      one_event(_metadata, fd, SGI_TX_NODE, fresh) : -1;
	if (ret)
		TH_LOG("raise through " SGI_TX_NODE " gave no event");
	close(fd);
	return ret;
}

/* ---- probe: a bind through sysfs ---- */

struct probe_ctx {
	const char *drv;	/* the driver's sysfs folder */
	const char *dev;
	const char *node;	/* a node the device creates */
	int (*works)(struct __test_metadata *_metadata,
		     struct probe_ctx *pc);
	int bind_fd;
};

static int probe_op(void *ctx)
{
	struct probe_ctx *pc = ctx;
	int ret;

	ret = write(pc->bind_fd, pc->dev, strlen(pc->dev)) < 0 ? -errno : 0;
	close(pc->bind_fd);
	return ret;
}

/* Opened before the point is armed: only the bind's own calls count. */
static int probe_prepare(struct probe_ctx *pc)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/bind", pc->drv);
	pc->bind_fd = open(path, O_WRONLY | O_CLOEXEC);
	return pc->bind_fd < 0 ? -1 : 0;
}

static int probe_unbind(struct __test_metadata *_metadata,
			struct probe_ctx *pc)
{
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/unbind", pc->drv);
	ret = sysfs_write(path, pc->dev);
	if (ret) {
		TH_LOG("unbind %s: %s", pc->dev, strerror(-ret));
		return -1;
	}
	return 0;
}

static int probe_done(struct __test_metadata *_metadata, void *ctx, bool last)
{
	struct probe_ctx *pc = ctx;

	if (!dev_bound(pc->dev)) {
		TH_LOG("bind of %s succeeded, but it is not bound", pc->dev);
		return -1;
	}
	if (pc->works(_metadata, pc))
		return -1;
	if (last)
		return 0;
	if (probe_unbind(_metadata, pc))
		return -1;
	return probe_prepare(pc);
}

static int probe_failed(struct __test_metadata *_metadata, void *ctx, int n,
			bool clean_bind)
{
	struct probe_ctx *pc = ctx;
	int ret;

	if (dev_bound(pc->dev)) {
		TH_LOG("point %d: the bind failed, but %s is bound", n, pc->dev);
		return -1;
	}
	if (!access(pc->node, F_OK)) {
		TH_LOG("point %d: the bind failed, but %s is left", n,
		       pc->node);
		return -1;
	}
	if (clean_bind) {
		if (probe_prepare(pc))
			return -1;
		ret = probe_op(pc);
		if (ret) {
			TH_LOG("point %d: bound again, without a fault: %s", n,
			       strerror(-ret));
			return -1;
		}
		if (probe_done(_metadata, pc, false))
			return -1;
		return 0;
	}
	return probe_prepare(pc);
}

static int intc_probe_works(struct __test_metadata *_metadata,
			    struct probe_ctx *pc)
{
	return intc_works(_metadata, pc->node, true);
}

static int sgi_probe_works(struct __test_metadata *_metadata,
			   struct probe_ctx *pc)
{
	return sgi_works(_metadata, true);
}

/* ---- open of a node ---- */

struct open_ctx {
	const char *node;
	const char *line;	/* its sysfs name */
	int flags;
	int fd;
	bool pulse;		/* a pin: check it with a pulse at the end */
};

static int open_op(void *ctx)
{
	struct open_ctx *oc = ctx;

	oc->fd = open(oc->node, oc->flags);
	return oc->fd < 0 ? -errno : 0;
}

static int open_done(struct __test_metadata *_metadata, void *ctx, bool last)
{
	struct open_ctx *oc = ctx;
	int ret = 0;

	close(oc->fd);
	if (last && oc->pulse)
		ret = intc_works(_metadata, oc->node, false);
	else if (last)
		ret = sgi_works(_metadata, false);
	return ret;
}

static int open_failed(struct __test_metadata *_metadata, void *ctx, int n,
		       bool clean_bind)
{
	struct open_ctx *oc = ctx;
	long long users = board_line_attr(oc->line, "clients");

	if (users != 0) {
		TH_LOG("point %d: the open failed, but %s has %lld clients", n,
		       oc->line, users);
		return -1;
	}
	return 0;
}

/* ---- ioctls, on an open pin node ---- */

struct ioctl_ctx {
	int fd;
	unsigned long cmd;
	struct pynq_irq_setting set;
	struct pynq_irq_info info;
	struct pynq_irq_info before;
};

static int ioctl_op(void *ctx)
{
	struct ioctl_ctx *ic = ctx;
	void *arg = ic->cmd == PYNQ_IRQ_GET_INFO ? (void *)&ic->info :
						   (void *)&ic->set;

	return ioctl(ic->fd, ic->cmd, arg) ? -errno : 0;
}

static int ioctl_done(struct __test_metadata *_metadata, void *ctx, bool last)
{
	struct ioctl_ctx *ic = ctx;
	struct pynq_irq_info info;

	if (ioctl(ic->fd, PYNQ_IRQ_GET_INFO, &info)) {
		TH_LOG("GET_INFO: %s", strerror(errno));
		return -1;
	}
	if (ic->cmd == PYNQ_IRQ_SET_QUEUE_DEPTH &&
	    info.queue_depth != ic->set.value) {
		TH_LOG("SET_QUEUE_DEPTH %u succeeded, the depth is %u",
		       ic->set.value, info.queue_depth);
		return -1;
	}
	/* Back to what the next round starts from. */
	if (ic->cmd == PYNQ_IRQ_SET_QUEUE_DEPTH) {
		struct pynq_irq_setting s = { .value = ic->before.queue_depth };

		if (ioctl(ic->fd, PYNQ_IRQ_SET_QUEUE_DEPTH, &s)) {
			TH_LOG("SET_QUEUE_DEPTH back: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int ioctl_failed(struct __test_metadata *_metadata, void *ctx, int n,
			bool clean_bind)
{
	struct ioctl_ctx *ic = ctx;
	struct pynq_irq_info info;

	if (ioctl(ic->fd, PYNQ_IRQ_GET_INFO, &info)) {
		TH_LOG("GET_INFO: %s", strerror(errno));
		return -1;
	}
	if (info.queue_depth != ic->before.queue_depth ||
	    info.format != ic->before.format ||
	    info.clock != ic->before.clock ||
	    info.coalesce_us != ic->before.coalesce_us) {
		TH_LOG("point %d: the ioctl failed, but the settings changed",
		       n);
		return -1;
	}
	return 0;
}

/* ---- overlay apply ---- */

struct ovl_ctx {
	char *blob;
	ssize_t len;
	int fd;
	const char *node;	/* a node the overlay's INTC creates */
};

static int ovl_prepare(struct ovl_ctx *vc)
{
	vc->fd = open(OVL_DIR "/apply", O_WRONLY | O_CLOEXEC);
	return vc->fd < 0 ? -1 : 0;
}

static int ovl_op(void *ctx)
{
	struct ovl_ctx *vc = ctx;
	ssize_t n = write(vc->fd, vc->blob, vc->len);
	int ret = n < 0 ? -errno : n == vc->len ? 0 : -EIO;

	close(vc->fd);
	return ret;
}

static int ovl_done(struct __test_metadata *_metadata, void *ctx, bool last)
{
	struct ovl_ctx *vc = ctx;
	int ret;

	if (ovl_count() != 1) {
		TH_LOG("the apply succeeded, but %d overlays are applied",
		       ovl_count());
		return -1;
	}
	/*
	 * Its INTC's probe may have failed (a point in the probe): the driver
	 * core keeps the device, unbound, and the apply goes on.
	 */
	if (dev_bound(INTC1_DEV) && intc_works(_metadata, vc->node, true))
		return -1;
	if (last && !dev_bound(INTC1_DEV)) {
		TH_LOG("the apply succeeded without a fault, but " INTC1_DEV " is not bound");
		return -1;
	}
	ret = ovl_remove();
	if (ret) {
		TH_LOG("remove: %s", strerror(-ret));
		return -1;
	}
	if (!access(PLAT_DEVS INTC1_DEV, F_OK)) {
		TH_LOG(INTC1_DEV " is left after the overlay's removal");
		return -1;
	}
	return last ? 0 : ovl_prepare(vc);
}

static int ovl_failed(struct __test_metadata *_metadata, void *ctx, int n,
		      bool clean_bind)
{
	struct ovl_ctx *vc = ctx;

	if (ovl_count() != 0) {
		TH_LOG("point %d: the apply failed, but %d overlays are applied",
		       n, ovl_count());
		return -1;
	}
	if (!access(PLAT_DEVS INTC1_DEV, F_OK)) {
		TH_LOG("point %d: the apply failed, but " INTC1_DEV " exists",
		       n);
		return -1;
	}
	return ovl_prepare(vc);
}

/* The apply's points count from its first notification on. */
static int ovl_arm(int fd, unsigned int n)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", n);
	return sysfs_write(OVL_DIR "/fail_nth_after_notify", buf);
}

/* Injected: the module armed the point (no notification: it did not). */
static bool ovl_injected(int fd)
{
	char buf[16] = "";
	bool armed = sysfs_read(OVL_DIR "/fail_nth_after_notify", buf,
				sizeof(buf)) > 0 && atoi(buf) == 0;

	sysfs_write(OVL_DIR "/fail_nth_after_notify", "0");
	return fail_nth_injected(fd) && armed;
}

/*
 * How many injection points the OF core's own part of the apply has:
 * unflattening the blob, building the changeset and putting its nodes and
 * properties into the live tree and sysfs, up to the first notification
 * of the change (pynq_irq_overlay.ko's notify_fail_nth). A clean apply
 * with fail-nth armed far ahead; then removed. -1 on error.
 */
static int ovl_core_points(struct __test_metadata *_metadata,
			   struct ovl_ctx *vc)
{
	const unsigned int far = 1000000;
	char buf[16] = "";
	int fd = fail_nth_open(), ret;
	bool injected;

	if (fd < 0 || fail_nth_arm(fd, far)) {
		TH_LOG("cannot arm fail-nth: %s", strerror(errno));
		return -1;
	}
	ret = ovl_op(vc);
	injected = fail_nth_injected(fd);
	close(fd);
	if (ret || injected) {
		TH_LOG("a clean apply: %s", ret ? strerror(-ret) : "a point failed");
		return -1;
	}
	ret = sysfs_read(OVL_DIR "/notify_fail_nth", buf, sizeof(buf));
	if (ret <= 0 || ovl_remove() || ovl_prepare(vc))
		return -1;
	return far - strtoul(buf, NULL, 10);
}

/* ---- the tests ---- */

FIXTURE(fault) {
	struct failslab_saved saved;
	bool set_up;
};

FIXTURE_SETUP(fault)
{
	if (access(FAILSLAB, F_OK) || access("/proc/self/fail-nth", F_OK))
		SKIP(return, "no failslab or fail-nth in this kernel");
	ASSERT_EQ(0, failslab_setup(&self->saved));
	self->set_up = true;
}

FIXTURE_TEARDOWN(fault)
{
	if (self->set_up)
		failslab_restore(&self->saved);
}

static int sweep_open(struct __test_metadata *_metadata, const char *name,
		      struct open_ctx *oc)
{
	struct fault_path p = {
		.name = name,
		.op = open_op,
		.done = open_done,
		.failed = open_failed,
		.errnos = { ENOMEM },
	};

	return sweep(_metadata, &p, oc);
}

TEST_F_TIMEOUT(fault, open_pin, 300)
{
	struct open_ctx oc = {
		.node = "/dev/pynq-irq/btns",
		.line = "btns",
		.flags = O_RDONLY | O_NONBLOCK,
		.pulse = true,
	};

	ASSERT_TRUE(dev_bound(BOARD_INTC_DEV));
	/* The pin's IRQ is requested by the first open: none is open. */
	ASSERT_EQ(0, board_line_attr("btns", "clients"));
	ASSERT_LT(0, sweep_open(_metadata, "open of a pin node", &oc));
}

TEST_F_TIMEOUT(fault, open_sgi, 300)
{
	struct open_ctx oc = {
		.node = SGI_TX_NODE,
		.line = "cpu1-kick",
		.flags = O_RDWR | O_NONBLOCK,
	};

	if (!dev_bound(SGI_DEV))
		SKIP(return, SGI_DEV " is not bound (Linux runs the remote CPU)");
	ASSERT_LT(0, sweep_open(_metadata, "open of an SGI node", &oc));
}

static void sweep_ioctl(struct __test_metadata *_metadata, const char *name,
			unsigned long cmd, unsigned int value)
{
	struct ioctl_ctx ic = { .cmd = cmd, .set = { .value = value } };
	struct fault_path p = {
		.name = name,
		.op = ioctl_op,
		.done = ioctl_done,
		.failed = ioctl_failed,
		.errnos = { ENOMEM },
	};

	ic.fd = board_open_pin(0, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, ic.fd);
	ASSERT_EQ(0, ioctl(ic.fd, PYNQ_IRQ_GET_INFO, &ic.before));
	EXPECT_LE(0, sweep(_metadata, &p, &ic));
	close(ic.fd);
}

TEST_F_TIMEOUT(fault, ioctls, 600)
{
	ASSERT_TRUE(dev_bound(BOARD_INTC_DEV));
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_GET_INFO", PYNQ_IRQ_GET_INFO, 0);
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_SET_FORMAT",
		    PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY);
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_SET_CLOCK", PYNQ_IRQ_SET_CLOCK,
		    CLOCK_REALTIME);
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_SET_COALESCE",
		    PYNQ_IRQ_SET_COALESCE, 100);
	/* A small queue (kmalloc) and the largest (vmalloc). */
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_SET_QUEUE_DEPTH 16",
		    PYNQ_IRQ_SET_QUEUE_DEPTH, 16);
	sweep_ioctl(_metadata, "ioctl PYNQ_IRQ_SET_QUEUE_DEPTH 65536",
		    PYNQ_IRQ_SET_QUEUE_DEPTH, PYNQ_IRQ_QUEUE_MAX);
}

static void sweep_probe(struct __test_metadata *_metadata, const char *name,
			struct probe_ctx *pc, bool all, int share)
{
	struct fault_path p = {
		.name = name,
		.op = probe_op,
		.done = probe_done,
		.failed = probe_failed,
		.errnos = { ENOMEM },
		.stride = all ? 1 : STRIDE,
		.bind_every = all ? 1 : CHECK_BIND_EVERY,
		.ebusy_bind = true,
		.share = share,
	};

	ASSERT_TRUE(dev_bound(pc->dev));
	ASSERT_EQ(0, probe_unbind(_metadata, pc));
	ASSERT_EQ(0, probe_prepare(pc));
	EXPECT_LT(0, sweep(_metadata, &p, pc));
	/* Whatever happened, leave it bound for the tests that follow. */
	if (!dev_bound(pc->dev)) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/bind", pc->drv);
		sysfs_write(path, pc->dev);
	}
	EXPECT_TRUE(dev_bound(pc->dev));
}

TEST_F_TIMEOUT(fault, probe_gic_sgi, 900)
{
	struct probe_ctx pc = {
		.drv = SGI_DRV,
		.dev = SGI_DEV,
		.node = SGI_TX_NODE,
		.works = sgi_probe_works,
	};

	if (!dev_bound(SGI_DEV))
		SKIP(return, SGI_DEV " is not bound (Linux runs the remote CPU)");
	/* A third of the time left; the INTC's probe and the apply follow. */
	sweep_probe(_metadata, "probe of the GIC SGI driver", &pc, torture(),
		    3);
}

TEST_F_TIMEOUT(fault, probe_axi_intc, 900)
{
	struct probe_ctx pc = {
		.drv = BOARD_INTC_DRV,
		.dev = BOARD_INTC_DEV,
		.node = "/dev/pynq-irq/btns",
		.works = intc_probe_works,
	};

	if (amp_check())
		SKIP(return, "runs on the smp board (TORTURE=1 runs it here too)");
	/* Sampled: probe_axi_intc_small sweeps every point of this code. */
	sweep_probe(_metadata, "probe of the AXI INTC driver, 32 pins", &pc,
		    false, 1);
}

TEST_F_TIMEOUT(fault, probe_axi_intc_small, 900)
{
	struct probe_ctx pc = {
		.drv = BOARD_INTC_DRV,
		.dev = INTC1_DEV,
		.node = "/dev/pynq-irq/sm-btn",
		.works = intc_probe_works,
	};

	ASSERT_EQ(0, ovl_load());
	ASSERT_EQ(0, ovl_count());
	ASSERT_EQ(0, ovl_apply(INTC1_SMALL_DTBO));
	/* Half of the time left; the apply follows. */
	sweep_probe(_metadata, "probe of the AXI INTC driver, 2 pins", &pc,
		    torture(), 2);
	EXPECT_EQ(0, ovl_remove());
	EXPECT_EQ(0, ovl_count());
}

TEST_F_TIMEOUT(fault, overlay_apply, 900)
{
	static char blob[64 * 1024];
	struct ovl_ctx vc = { .blob = blob };
	struct fault_path p = {
		.name = "overlay apply, after the OF core's part",
		.op = ovl_op,
		.done = ovl_done,
		.failed = ovl_failed,
		/*
		 * of_overlay_fdt_apply(): EINVAL when the unflatten fails, or
		 * when creating the INTC's platform device does
		 */
		.errnos = { ENOMEM, EINVAL },
		.stride = torture() ? 1 : STRIDE,
		.share = 1,
		.arm = ovl_arm,
		.injected = ovl_injected,
	};
	int core;
	int fd;

	vc.node = "/dev/pynq-irq/sm-btn";
	ASSERT_EQ(0, ovl_load());
	ASSERT_EQ(0, ovl_count());
	fd = open(INTC1_SMALL_DTBO, O_RDONLY);
	ASSERT_LE(0, fd);
	vc.len = read(fd, blob, sizeof(blob));
	close(fd);
	ASSERT_LT(0, vc.len);
	ASSERT_EQ(0, ovl_prepare(&vc));
	/*
	 * The points of the OF core's own part are counted, not failed: on
	 * Linux 6.1 a failure there WARNs in __of_add_property_sysfs(), and
	 * a node whose sysfs failed (the apply goes on) oopses or underflows
	 * a refcount on removal. The sweep fails what comes after the first
	 * notification of the change: creating the platform device and the
	 * INTC's probe.
	 */
	core = ovl_core_points(_metadata, &vc);
	ASSERT_LT(0, core);
	printf("# torture: fault: overlay apply: the OF core's part: %d injection points, counted, not failed\n",
	       core);
	EXPECT_LT(0, sweep(_metadata, &p, &vc));
	while (ovl_count() > 0 && ovl_remove() == 0)
		;
	EXPECT_EQ(0, ovl_count());
}

/*
 * Last: what the sweeps left unreferenced, as kmemleak reports it. Two
 * scans cost about a minute of the debug board; in make check the
 * runner's own scan after the last test covers the sampled sweeps.
 */
TEST_F_TIMEOUT(fault, kmemleak, 120)
{
	char buf[4096];
	int n;

	if (!torture())
		SKIP(return, "TORTURE=1 runs it; the runner's kmemleak scan covers make check");
	ASSERT_EQ(0, access(KMEMLEAK, F_OK)) TH_LOG("no kmemleak");
	/* An object must stay unreferenced for 5 s and two scans. */
	sleep(6);
	ASSERT_EQ(0, sysfs_write(KMEMLEAK, "scan"));
	sleep(1);
	ASSERT_EQ(0, sysfs_write(KMEMLEAK, "scan"));
	n = sysfs_read(KMEMLEAK, buf, sizeof(buf));
	EXPECT_EQ(0, n) TH_LOG("kmemleak:\n%s", buf);
}

TEST_HARNESS_MAIN
