// SPDX-License-Identifier: GPL-2.0
/*
 * The board's second AXI INTC (0x41810000), described by an overlay
 * (intc1.dtbo) that the test module pynq_irq_overlay.ko applies and removes
 * with the kernel's overlay API, as a bitstream loader would:
 *  - while applied, both INTCs are bound and their nodes work side by side
 *    (a stimulus pulse reaches both: their inputs share the stimulus lines);
 *  - the example overlay of dt-bindings/ binds the same way;
 *  - 10 apply/remove cycles (100 under make torture), each with a reader
 *    blocked in read() and one in poll() on the overlay's last pin:
 *    removal wakes them within 1 s
 *    with ENODEV and POLLHUP | POLLERR, a file still open fails every
 *    call, and the /dev and /sys/class nodes come and go; a free-running
 *    train fires one of its pins, read by an open file, meanwhile.
 * The runner fails the test on any report of the debug kernel.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/pynq-irq.h>

#include "board.h"
#include "events.h"
#include "kselftest_harness.h"
#include "overlay.h"

#define INTC1_DTBO	"intc1.dtbo"
#define EXAMPLE_DTBO	"pynq-axi-intc-example.dtbo"	/* from dt-bindings/ */
#define INTC1_DEV	"41810000.interrupt-controller"
#define LAST_PIN	"41810000.pin31"
#define DEV_DIR		"/dev/pynq-irq/"
#define CLASS_DIR	"/sys/class/pynq-irq/"
#define CYCLES		3

/* Nodes of intc1.dtbo: two named pins, the others "41810000.pin<N>". */
static const char *const intc1_nodes[] = {
	"ov-btns", "ov-switches", "41810000.pin2", "41810000.pin31",
};

static bool exists(const char *dir, const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s%s", dir, name);
	return access(path, F_OK) == 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The kernel log has s (the runner clears the log before each test). */
static bool klog_has(const char *s)
{
	static char buf[1 << 17];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = 0;
	return strstr(buf, s);
}

static int open_line(const char *name, int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), DEV_DIR "%s", name);
	return open(path, flags);
}

/* Wait up to 1 s for an event on fd and read it: 0, or -1. */
static int read_event(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[64];
	ssize_t n;

	if (poll(&pfd, 1, 1000) != 1 || !(pfd.revents & POLLIN))
		return -1;
	n = read(fd, buf, sizeof(buf));
	return n > 0 && buf[n - 1] == '\n' ? 0 : -1;
}

/**
 * struct child_waiter - a child process blocked in read() or poll() on a node
 * @pid: the child
 * @pipe: the child's report: one byte once it has opened the node, then
 *	a struct child_result when its call returned
 */
struct child_waiter {
	pid_t pid;
	int pipe;
};

/* What a waiter's call returned, and when (now_s() time). */
struct child_result {
	double when;
	int ret;
	int err;
	short revents;
};

static void child_run(const char *name, bool use_poll, int out)
{
	struct child_result r = { 0 };
	struct pollfd pfd = { .events = POLLIN };
	char buf[64];

	pfd.fd = open_line(name, O_RDONLY);
	if (pfd.fd < 0)
		_exit(1);
	if (write(out, "o", 1) != 1)
		_exit(1);
	if (use_poll) {
		r.ret = poll(&pfd, 1, -1);
		r.revents = pfd.revents;
	} else {
		r.ret = read(pfd.fd, buf, sizeof(buf));
	}
	r.err = errno;
	r.when = now_s();
	_exit(write(out, &r, sizeof(r)) == sizeof(r) ? 0 : 1);
}

/* Start a waiter and wait until it is seen blocked in its call; 0 or -1. */
static int child_start(struct child_waiter *w, const char *name, bool use_poll)
{
	struct pollfd pfd = { .events = POLLIN };
	char c, seen[96];
	int p[2];

	if (pipe(p))
		return -1;
	w->pid = fork();
	if (w->pid == 0) {
		close(p[0]);
		child_run(name, use_poll, p[1]);
	}
	close(p[1]);
	w->pipe = p[0];
	pfd.fd = p[0];
	if (w->pid < 0 || poll(&pfd, 1, 2000) != 1 || read(p[0], &c, 1) != 1)
		return -1;
	return wait_blocked(w->pid, use_poll ? "poll" : "line_read", seen,
			    sizeof(seen));
}

/* Collect a waiter's result; give up after 5 s. */
static int child_end(struct child_waiter *w, struct child_result *r)
{
	struct pollfd pfd = { .fd = w->pipe, .events = POLLIN };
	int ret = -1;

	if (poll(&pfd, 1, 5000) == 1 &&
	    read(w->pipe, r, sizeof(*r)) == sizeof(*r))
		ret = 0;
	kill(w->pid, SIGKILL);
	waitpid(w->pid, NULL, 0);
	close(w->pipe);
	return ret;
}

FIXTURE(intc1) {
	volatile uint32_t *stim;
};

FIXTURE_SETUP(intc1)
{
	ASSERT_EQ(0, ovl_load()) TH_LOG("load %s: %s", OVL_MODULE,
					strerror(errno));
	ASSERT_EQ(0, ovl_count()) TH_LOG("overlays already applied");
	ASSERT_FALSE(exists(DEV_DIR, "ov-btns"));
	self->stim = board_map(BOARD_STIM_BASE, 0x1000);
}

FIXTURE_TEARDOWN(intc1)
{
	reg_wr(self->stim, STIM_TRAIN_CTRL, 0);
	/* Whatever failed, leave no overlay behind. */
	while (ovl_count() > 0 && ovl_remove() == 0)
		;
	EXPECT_EQ(0, ovl_count());
	/* e.g. an of_node reference that the driver kept after removal */
	EXPECT_FALSE(klog_has("OF: ERROR")) TH_LOG("the OF core reported an error");
}

/* Both INTCs bound at once: any number of instances. */
TEST_F(intc1, two_instances)
{
	int base_fd, ov_fd;

	ASSERT_EQ(0, ovl_apply(INTC1_DTBO));
	ASSERT_EQ(1, ovl_count());
	EXPECT_TRUE(exists(BOARD_INTC_DRV "/", BOARD_INTC_DEV));
	ASSERT_TRUE(exists(BOARD_INTC_DRV "/", INTC1_DEV))
		TH_LOG("pynq-irq-axi-intc did not bind " INTC1_DEV);
	for (size_t i = 0; i < ARRAY_SIZE(intc1_nodes); i++) {
		EXPECT_TRUE(exists(DEV_DIR, intc1_nodes[i]))
			TH_LOG("no " DEV_DIR "%s", intc1_nodes[i]);
		EXPECT_TRUE(exists(CLASS_DIR, intc1_nodes[i]))
			TH_LOG("no " CLASS_DIR "%s", intc1_nodes[i]);
	}
	EXPECT_EQ(16, board_line_attr("41810000.pin16", "number"));

	/* Pin 0 of each INTC follows stimulus line 0: both see a pulse. */
	base_fd = open_line("btns", O_RDONLY);
	ASSERT_LE(0, base_fd);
	ov_fd = open_line("ov-btns", O_RDONLY);
	ASSERT_LE(0, ov_fd);
	reg_wr(self->stim, STIM_PULSE, 1u << 0);
	EXPECT_EQ(0, read_event(ov_fd)) TH_LOG("no event on ov-btns");
	EXPECT_EQ(0, read_event(base_fd)) TH_LOG("no event on btns");
	EXPECT_EQ(1, board_line_attr("ov-btns", "interrupts"));
	close(ov_fd);

	ASSERT_EQ(0, ovl_remove());
	EXPECT_FALSE(exists(BOARD_INTC_DRV "/", INTC1_DEV));
	for (size_t i = 0; i < ARRAY_SIZE(intc1_nodes); i++) {
		EXPECT_FALSE(exists(DEV_DIR, intc1_nodes[i]));
		EXPECT_FALSE(exists(CLASS_DIR, intc1_nodes[i]));
	}
	/* The first INTC goes on working. */
	reg_wr(self->stim, STIM_PULSE, 1u << 0);
	EXPECT_EQ(0, read_event(base_fd)) TH_LOG("no event on btns after remove");
	close(base_fd);
}

/**
 * struct timing - how long the steps of the cycles took, in seconds
 * @apply: total time of writing the overlay to the helper
 * @remove: total time of removing it
 * @max_apply: the slowest apply
 * @max_remove: the slowest remove
 * @max_wake: the slowest time from the start of a removal to the return of
 *	a call blocked on the overlay's nodes
 */
struct timing {
	double apply;
	double remove;
	double max_apply;
	double max_remove;
	double max_wake;
};

static void add_time(double *sum, double *max, double t)
{
	if (sum)
		*sum += t;
	if (t > *max)
		*max = t;
}

/* The binding's example overlay is what the driver binds. */
TEST_F(intc1, binding_example)
{
	ASSERT_EQ(0, ovl_apply(EXAMPLE_DTBO));
	EXPECT_TRUE(exists(BOARD_INTC_DRV "/", INTC1_DEV));
	EXPECT_TRUE(exists(DEV_DIR, "leds-btns"));
	EXPECT_TRUE(exists(DEV_DIR, "adc"));
	EXPECT_TRUE(exists(DEV_DIR, "41810000.pin2"));
	ASSERT_EQ(0, ovl_remove());
	EXPECT_FALSE(exists(DEV_DIR, "leds-btns"));
}

/* One apply/remove cycle with a reader and a poller blocked. */
static void cycle(struct __test_metadata *_metadata,
		  FIXTURE_DATA(intc1) *self, int n, struct timing *tm)
{
	struct child_waiter reader, poller;
	struct child_result r;
	struct pollfd pfd;
	double t0;
	char c;
	int fd, busy;

	t0 = now_s();
	ASSERT_EQ(0, ovl_apply(INTC1_DTBO)) TH_LOG("cycle %d: apply", n);
	add_time(&tm->apply, &tm->max_apply, now_s() - t0);
	for (size_t i = 0; i < ARRAY_SIZE(intc1_nodes); i++) {
		ASSERT_TRUE(exists(DEV_DIR, intc1_nodes[i]) &&
			    exists(CLASS_DIR, intc1_nodes[i]))
			TH_LOG("cycle %d: no node %s", n, intc1_nodes[i]);
	}
	fd = open_line("ov-btns", O_RDONLY);
	ASSERT_LE(0, fd);
	reg_wr(self->stim, STIM_PULSE, 1u << 0);
	ASSERT_EQ(0, read_event(fd)) TH_LOG("cycle %d: no event", n);

	/* A free-running train on the overlay's INTC while it goes away. */
	busy = open_line("41810000.pin5", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, busy);
	reg_wr(self->stim, STIM_TRAIN_MASK, 1u << 5);
	reg_wr(self->stim, STIM_TRAIN_PERIOD, 200000);
	reg_wr(self->stim, STIM_TRAIN_COUNT, 0xffffffffu);
	reg_wr(self->stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);
	pfd = (struct pollfd){ .fd = busy, .events = POLLIN };
	ASSERT_EQ(1, poll(&pfd, 1, 2000)) TH_LOG("cycle %d: no train event", n);

	/* On the last pin: the driver takes it down last. */
	ASSERT_EQ(0, child_start(&reader, LAST_PIN, false))
		TH_LOG("cycle %d: the reader did not block", n);
	ASSERT_EQ(0, child_start(&poller, LAST_PIN, true))
		TH_LOG("cycle %d: the poller did not block", n);
	EXPECT_EQ(2, board_line_attr(LAST_PIN, "clients"));

	t0 = now_s();
	ASSERT_EQ(0, ovl_remove()) TH_LOG("cycle %d: remove", n);
	add_time(&tm->remove, &tm->max_remove, now_s() - t0);
	ASSERT_EQ(0, child_end(&reader, &r))
		TH_LOG("cycle %d: blocked read() did not return", n);
	EXPECT_EQ(-1, r.ret);
	EXPECT_EQ(ENODEV, r.err) TH_LOG("read: %s", strerror(r.err));
	EXPECT_GT(1.0, r.when - t0)
		TH_LOG("cycle %d: read() returned after %.3f s", n, r.when - t0);
	add_time(NULL, &tm->max_wake, r.when - t0);
	ASSERT_EQ(0, child_end(&poller, &r))
		TH_LOG("cycle %d: blocked poll() did not return", n);
	EXPECT_EQ(1, r.ret);
	EXPECT_EQ(POLLHUP | POLLERR, r.revents & (POLLHUP | POLLERR))
		TH_LOG("poll: revents 0x%x", r.revents);
	EXPECT_GT(1.0, r.when - t0)
		TH_LOG("cycle %d: poll() returned after %.3f s", n, r.when - t0);
	add_time(NULL, &tm->max_wake, r.when - t0);

	/* The file still open here fails every call from now on. */
	EXPECT_EQ(-1, read(fd, &c, 1));
	EXPECT_EQ(ENODEV, errno);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLHUP | POLLERR, pfd.revents & (POLLHUP | POLLERR));
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_SET_FORMAT,
			    &(struct pynq_irq_setting){ 0 }));
	EXPECT_EQ(ENODEV, errno);
	close(fd);
	reg_wr(self->stim, STIM_TRAIN_CTRL, 0);
	EXPECT_EQ(-1, read(busy, &c, 1));
	EXPECT_EQ(ENODEV, errno);
	close(busy);

	EXPECT_FALSE(exists(BOARD_INTC_DRV "/", INTC1_DEV));
	for (size_t i = 0; i < ARRAY_SIZE(intc1_nodes); i++) {
		EXPECT_FALSE(exists(DEV_DIR, intc1_nodes[i]))
			TH_LOG("cycle %d: " DEV_DIR "%s left", n, intc1_nodes[i]);
		EXPECT_FALSE(exists(CLASS_DIR, intc1_nodes[i]))
			TH_LOG("cycle %d: " CLASS_DIR "%s left", n,
			       intc1_nodes[i]);
	}
}

/*
 * About 5 s a cycle in an idle board; leave room for a busy host. CYCLES
 * in make check; up to 100 under make torture, as its time allows.
 */
TEST_F_TIMEOUT(intc1, cycles_with_readers, 3600)
{
	const int want = board_torture(CYCLES, 100);
	struct timing tm = { 0 };
	double t0 = now_s();
	int n;

	/*
	 * Every cycle runs even after an EXPECT failed: the harness's record
	 * of that is not the same struct field in every kernel's harness.
	 */
	for (n = 0; board_torture_more(n, CYCLES, want); n++)
		cycle(_metadata, self, n + 1, &tm);
	EXPECT_EQ(0, ovl_count());
	ksft_print_msg("torture: overlay: %d of %d cycles in %.1f s; apply mean %.3f s, max %.3f s; remove mean %.3f s, max %.3f s; wake-up max %.3f s\n",
		       n, want, now_s() - t0, tm.apply / n, tm.max_apply,
		       tm.remove / n, tm.max_remove, tm.max_wake);
	fflush(stdout);
}

TEST_HARNESS_MAIN
