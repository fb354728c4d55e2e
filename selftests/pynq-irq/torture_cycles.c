// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime cycles of the INTC's driver (issue: make torture): unbind and
 * bind again, many times, with a reader of every kind blocked on its
 * nodes each time: read(), poll(), epoll_wait() and a process that waits
 * for SIGIO in sigsuspend(). Each is confirmed blocked before the unbind
 * and must come back with the node's end: ENODEV, POLLHUP | POLLERR,
 * EPOLLHUP | EPOLLERR, and SIGIO. Meanwhile a train runs on other pins
 * of the INTC, so that their handler runs on one CPU while the other
 * unbinds. The nodes that come back work.
 *
 * Two INTCs: the board's, 32 pins (waiters on pins 0-3, a train on pins
 * 8-15 open and never read), and the second one described by
 * intc1-small.dtbo, 2 pins (the four waiters on pin 0, a train on pin 1,
 * a level, read by a thread until its end). The second runs the same
 * code at a fifth of the cost a cycle (the device model's own cost is per
 * pin): 'make check' runs 3 cycles of each, 'make torture' 30 of the
 * first and up to 1000 of the second.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"
#include "overlay.h"

/* How long every waiter has to come back after the unbind. */
#define WAKE_NS	5000000000ull

#define SMALL_DTBO	"intc1-small.dtbo"
#define SMALL_DEV	"41810000.interrupt-controller"

/**
 * struct target - an INTC the cycles unbind, and its nodes
 * @dev: its platform device, in the driver's sysfs folder
 * @pins: node names (in /dev/pynq-irq) of its pins 0-7 that a cycle uses
 * @wait: the pins that the read, poll, epoll and SIGIO waiters block on
 * @checks: how many of @pins (from 0) the check after the bind takes in
 *	turn: one pulse, one event
 * @busy: printf format of the train's node names, from a pin number
 * @busy_first: the train's first pin
 * @busy_n: its pins
 * @busy_read: whether a thread reads the train's nodes (a level pin is
 *	not interrupted again until its event is read)
 */
struct target {
	const char *dev;
	const char *pins[8];
	int wait[4];
	int checks;
	const char *busy;
	int busy_first, busy_n;
	bool busy_read;
};

static const struct target board_intc0 = {
	.dev = BOARD_INTC_DEV,
	.pins = { "btns", "switches", "iop1", "iop2", "41800000.pin4",
		  "41800000.pin5", "41800000.pin6", "41800000.pin7" },
	.wait = { 0, 1, 2, 3 },
	.checks = 8,
	.busy = "41800000.pin%d",
	.busy_first = 8,
	.busy_n = 8,
};

static const struct target small_intc = {
	.dev = SMALL_DEV,
	.pins = { "sm-btn", "41810000.pin1" },
	.wait = { 0, 0, 0, 0 },
	.checks = 1,
	.busy = "41810000.pin%d",
	.busy_first = 1,
	.busy_n = 1,
	.busy_read = true,
};

/*
 * The stimulus's registers, mapped once: a mapping a cycle made every
 * fork() of the SIGIO child slower (0.60 s a cycle for the first 100,
 * 0.85 s by the 400th).
 */
static volatile uint32_t *stim_regs(void)
{
	static volatile uint32_t *stim;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	return stim;
}

static int open_node(const char *name, int flags)
{
	char path[96];

	snprintf(path, sizeof(path), "/dev/pynq-irq/%s", name);
	return open(path, flags);
}

/**
 * struct drainer - a thread reading one node until read() fails
 * @th: the thread
 * @fd: the node, blocking
 * @err: the errno that ended it
 */
struct drainer {
	pthread_t th;
	int fd;
	int err;
};

static void *drainer_run(void *arg)
{
	struct drainer *d = arg;
	char buf[4096];

	while (read(d->fd, buf, sizeof(buf)) > 0)
		;
	d->err = errno;
	return NULL;
}

/**
 * struct epoller - a thread blocked in epoll_wait() on one node
 * @th: the thread
 * @tid: its id, once it runs
 * @fd: the node
 * @events: the events epoll_wait() returned (0 on its 10 s timeout)
 * @done_ns: CLOCK_MONOTONIC when it returned
 */
struct epoller {
	pthread_t th;
	pid_t tid;
	int fd;
	uint32_t events;
	uint64_t done_ns;
};

static void *epoller_run(void *arg)
{
	struct epoller *w = arg;
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = epoll_create1(0);

	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, w->fd, &ev))
		return NULL;
	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);
	if (epoll_wait(ep, &ev, 1, 10000) == 1)
		w->events = ev.events;
	w->done_ns = now_ns(CLOCK_MONOTONIC);
	close(ep);
	return NULL;
}

static volatile sig_atomic_t sigios;

static void on_sigio(int sig)
{
	sigios++;
}

/*
 * A child that opens node @name with O_ASYNC, tells @ready, and waits for
 * SIGIO in sigsuspend(). Exit status: 0 if SIGIO came and the node then
 * read ENODEV, 1 if it read something else, 2-3 setup failures, 4 no
 * SIGIO within 10 s.
 */
static pid_t sigio_child(const char *name, int ready)
{
	pid_t pid = fork();
	struct sigaction sa = { .sa_handler = on_sigio };
	sigset_t block, wait;
	char buf[64];
	int fd;

	if (pid)
		return pid;
	sigemptyset(&block);
	sigaddset(&block, SIGIO);
	sigaddset(&block, SIGALRM);
	sigprocmask(SIG_BLOCK, &block, &wait);
	sigdelset(&wait, SIGIO);
	sigdelset(&wait, SIGALRM);
	sigaction(SIGIO, &sa, NULL);
	signal(SIGALRM, SIG_DFL);
	fd = open_node(name, O_RDONLY | O_NONBLOCK);
	if (fd < 0 || fcntl(fd, F_SETOWN, getpid()) ||
	    fcntl(fd, F_SETFL, O_RDONLY | O_NONBLOCK | O_ASYNC))
		_exit(2);
	if (write(ready, "r", 1) != 1)
		_exit(3);
	alarm(10);
	while (!sigios)
		sigsuspend(&wait);
	alarm(0);
	_exit(read(fd, buf, sizeof(buf)) < 0 && errno == ENODEV ? 0 : 1);
}

/*
 * One cycle on @t: waiters of every kind, the unbind, their ends, the
 * bind. Meanwhile a train runs on the busy pins.
 */
static void cycle(struct __test_metadata *_metadata, const struct target *t,
		  int n)
{
	volatile uint32_t *stim = stim_regs();
	struct waiter w[2] = { { .use_poll = false }, { .use_poll = true } };
	struct drainer dr[8] = { 0 };
	struct epoller ep = { 0 };
	int ready[2], status, i, fd, pin = n % t->checks;
	int busy[8];
	struct ev e[2];
	char seen[96], name[32], c;
	uint64_t t0;
	pid_t child;

	for (i = 0; i < t->busy_n; i++) {
		snprintf(name, sizeof(name), t->busy, t->busy_first + i);
		busy[i] = open_node(name, t->busy_read ? O_RDONLY :
				    O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, busy[i]) TH_LOG("cycle %d: %s", n, name);
		dr[i].fd = busy[i];
		if (t->busy_read)
			ASSERT_EQ(0, pthread_create(&dr[i].th, NULL,
						    drainer_run, &dr[i]));
	}
	reg_wr(stim, STIM_TRAIN_MASK, ((1u << t->busy_n) - 1) << t->busy_first);
	reg_wr(stim, STIM_TRAIN_PERIOD, 1000000);
	reg_wr(stim, STIM_TRAIN_COUNT, 1000000);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);

	for (i = 0; i < 2; i++) {
		w[i].fd = open_node(t->pins[t->wait[i]], O_RDONLY);
		ASSERT_LE(0, w[i].fd) TH_LOG("cycle %d: %s", n,
					     t->pins[t->wait[i]]);
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, waiter_run, &w[i]));
	}
	ep.fd = open_node(t->pins[t->wait[2]], O_RDONLY);
	ASSERT_LE(0, ep.fd);
	ASSERT_EQ(0, pthread_create(&ep.th, NULL, epoller_run, &ep));
	ASSERT_EQ(0, pipe(ready));
	child = sigio_child(t->pins[t->wait[3]], ready[1]);
	ASSERT_LE(0, child);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1)) TH_LOG("cycle %d: the SIGIO child failed", n);
	close(ready[0]);

	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, waiter_blocked(&w[i], seen, sizeof(seen)))
			TH_LOG("cycle %d: waiter %d not blocked: %s", n, i, seen);
	for (i = 0; i < 500 && !__atomic_load_n(&ep.tid, __ATOMIC_ACQUIRE); i++)
		usleep(10000);
	ASSERT_EQ(0, wait_blocked(ep.tid, "ep", seen, sizeof(seen)))
		TH_LOG("cycle %d: the epoller is not blocked: %s", n, seen);
	ASSERT_EQ(0, wait_blocked(child, "sigsuspend", seen, sizeof(seen)))
		TH_LOG("cycle %d: the SIGIO child is not blocked: %s", n, seen);

	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/unbind", t->dev));
	for (i = 0; i < 2; i++) {
		pthread_join(w[i].th, NULL);
		EXPECT_GT(t0 + WAKE_NS, w[i].done_ns) TH_LOG("cycle %d", n);
		if (w[i].use_poll) {
			EXPECT_EQ(POLLHUP | POLLERR,
				  w[i].ret & (POLLHUP | POLLERR | POLLIN))
				TH_LOG("cycle %d: poll revents 0x%x", n, w[i].ret);
		} else {
			EXPECT_EQ(-ENODEV, w[i].ret) TH_LOG("cycle %d", n);
		}
		close(w[i].fd);
	}
	pthread_join(ep.th, NULL);
	EXPECT_GT(t0 + WAKE_NS, ep.done_ns) TH_LOG("cycle %d: epoll", n);
	EXPECT_EQ(EPOLLHUP | EPOLLERR,
		  ep.events & (EPOLLHUP | EPOLLERR | EPOLLIN))
		TH_LOG("cycle %d: epoll events 0x%x", n, ep.events);
	close(ep.fd);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("cycle %d: the SIGIO child: %s %d (4: no SIGIO)", n,
		       WIFEXITED(status) ? "exit" : "signal",
		       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	for (i = 0; i < t->busy_n; i++) {
		if (t->busy_read) {
			/* The train's reader too ends with the node. */
			pthread_join(dr[i].th, NULL);
			EXPECT_EQ(ENODEV, dr[i].err)
				TH_LOG("cycle %d: the train's reader: %s", n,
				       strerror(dr[i].err));
		}
		close(busy[i]);
	}
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/bind", t->dev));
	/* The nodes that came back work: one pulse (an edge pin), one event. */
	fd = open_node(t->pins[pin], O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd) TH_LOG("cycle %d", n);
	reg_wr(stim, STIM_PULSE, 1u << pin);
	EXPECT_EQ(1, read_events(fd, e, 2, 2000)) TH_LOG("cycle %d: pin %d", n, pin);
	EXPECT_EQ(1, e[0].seqno) TH_LOG("cycle %d: pin %d", n, pin);
	close(fd);
}

/* Cycles on @t, @check in make check and up to @torture in make torture. */
static void cycles(struct __test_metadata *_metadata, const struct target *t,
		   const char *what, long check, long torture)
{
	const long want = board_torture(check, torture);
	double t0 = now_ns(CLOCK_MONOTONIC) / 1e9;
	long n;

	for (n = 1; board_torture_more(n - 1, check, want); n++) {
		cycle(_metadata, t, n);
		if (n % 100 == 0) {
			ksft_print_msg("%ld cycles, %.0f s\n", n,
				       now_ns(CLOCK_MONOTONIC) / 1e9 - t0);
			fflush(stdout);
		}
	}
	ksft_print_msg("torture: unbind cycles: %s: %ld of %ld with read, poll, epoll and SIGIO waiters, %.1f s\n",
		       what, n - 1, want, now_ns(CLOCK_MONOTONIC) / 1e9 - t0);
	fflush(stdout);
}

FIXTURE(cycles) {
};

FIXTURE_SETUP(cycles)
{
}

/* After a failed cycle: no train, and the INTC bound for the next test. */
FIXTURE_TEARDOWN(cycles)
{
	volatile uint32_t *stim = stim_regs();

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	if (access(BOARD_INTC_DRV "/" BOARD_INTC_DEV, F_OK))
		sysfs_write(BOARD_INTC_DRV "/bind", BOARD_INTC_DEV);
}

/*
 * About 3.5 s a cycle on the debug board: 3 in 'make check', 30 in
 * 'make torture', where the small INTC's cycles take most of the time.
 */
TEST_F_TIMEOUT(cycles, unbind_with_every_kind_of_waiter, 600)
{
	cycles(_metadata, &board_intc0, "32-pin INTC", 3, 30);
}

FIXTURE(small) {
	bool applied;
};

FIXTURE_SETUP(small)
{
	ASSERT_EQ(0, ovl_load());
	ASSERT_EQ(0, ovl_apply(SMALL_DTBO));
	self->applied = true;
}

/* No train, the INTC bound again and the overlay gone. */
FIXTURE_TEARDOWN(small)
{
	volatile uint32_t *stim = stim_regs();

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	if (self->applied) {
		if (access(BOARD_INTC_DRV "/" SMALL_DEV, F_OK))
			sysfs_write(BOARD_INTC_DRV "/bind", SMALL_DEV);
		EXPECT_EQ(0, ovl_remove());
	}
}

/* About 0.6 s a cycle: up to 1000 in 'make torture', as its time allows. */
TEST_F_TIMEOUT(small, unbind_with_every_kind_of_waiter, 3600)
{
	cycles(_metadata, &small_intc, "2-pin INTC", 3, 1000);
}

TEST_HARNESS_MAIN
