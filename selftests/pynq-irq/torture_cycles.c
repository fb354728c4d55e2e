// SPDX-License-Identifier: GPL-2.0
/*
 * Lifetime cycles of the INTC's driver (issue: make torture): unbind and
 * bind again, many times, with a reader of every kind blocked on its
 * nodes each time: read(), poll(), epoll_wait() and a process that waits
 * for SIGIO in sigsuspend(). Each is confirmed blocked before the unbind
 * and must come back with the node's end: ENODEV, POLLHUP | POLLERR,
 * EPOLLHUP | EPOLLERR, and SIGIO. The nodes that come back work. 'make
 * check' runs a few cycles, 'make torture' a thousand.
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

/* How long every waiter has to come back after the unbind. */
#define WAKE_NS	5000000000ull

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
 * A child that opens @pin with O_ASYNC, tells @ready, and waits for
 * SIGIO in sigsuspend(). Exit status: 0 if SIGIO came and the node then
 * read ENODEV, 1 if it read something else, 2-3 setup failures, 4 no
 * SIGIO within 10 s.
 */
static pid_t sigio_child(int pin, int ready)
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
	fd = board_open_pin(pin, O_RDONLY | O_NONBLOCK);
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
 * One cycle: waiters of every kind on pins 0-3, the unbind, their ends,
 * the bind. Meanwhile a train runs on pins 8-15, open and never read:
 * their handlers run on one CPU while the unbind goes on on the other.
 */
static void cycle(struct __test_metadata *_metadata, int n)
{
	volatile uint32_t *stim = board_map(BOARD_STIM_BASE, 0x1000);
	struct waiter w[2] = { { .use_poll = false }, { .use_poll = true } };
	struct epoller ep = { 0 };
	int ready[2], status, i, fd, pin = n % 8;
	int busy[8];
	struct ev e[2];
	char seen[96], c;
	uint64_t t0;
	pid_t child;

	for (i = 0; i < 8; i++) {
		busy[i] = board_open_pin(8 + i, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, busy[i]) TH_LOG("cycle %d: pin %d", n, 8 + i);
	}
	reg_wr(stim, STIM_TRAIN_MASK, 0xff00);
	reg_wr(stim, STIM_TRAIN_PERIOD, 1000000);
	reg_wr(stim, STIM_TRAIN_COUNT, 1000000);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);

	for (i = 0; i < 2; i++) {
		w[i].fd = board_open_pin(i, O_RDONLY);
		ASSERT_LE(0, w[i].fd) TH_LOG("cycle %d: pin %d", n, i);
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, waiter_run, &w[i]));
	}
	ep.fd = board_open_pin(2, O_RDONLY);
	ASSERT_LE(0, ep.fd);
	ASSERT_EQ(0, pthread_create(&ep.th, NULL, epoller_run, &ep));
	ASSERT_EQ(0, pipe(ready));
	child = sigio_child(3, ready[1]);
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
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/unbind", BOARD_INTC_DEV));
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
	for (i = 0; i < 8; i++)
		close(busy[i]);
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/bind", BOARD_INTC_DEV));
	/* The nodes that came back work: one pulse (an edge pin), one event. */
	fd = board_open_pin(pin, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd) TH_LOG("cycle %d", n);
	reg_wr(stim, STIM_PULSE, 1u << pin);
	EXPECT_EQ(1, read_events(fd, e, 2, 2000)) TH_LOG("cycle %d: pin %d", n, pin);
	EXPECT_EQ(1, e[0].seqno) TH_LOG("cycle %d: pin %d", n, pin);
	close(fd);
}

FIXTURE(cycles) {
};

FIXTURE_SETUP(cycles)
{
}

/* After a failed cycle: no train, and the INTC bound for the next test. */
FIXTURE_TEARDOWN(cycles)
{
	volatile uint32_t *stim = board_map(BOARD_STIM_BASE, 0x1000);

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	if (access(BOARD_INTC_DRV "/" BOARD_INTC_DEV, F_OK))
		sysfs_write(BOARD_INTC_DRV "/bind", BOARD_INTC_DEV);
}

/*
 * 3 cycles in 'make check'; up to 1000 in 'make torture', as its time
 * allows (a few s each).
 */
TEST_F_TIMEOUT(cycles, unbind_with_every_kind_of_waiter, 3600)
{
	const long want = board_torture(3, 1000);
	double t0 = now_ns(CLOCK_MONOTONIC) / 1e9;
	long n;

	for (n = 1; board_torture_more(n - 1, 3, want); n++) {
		cycle(_metadata, n);
		if (n % 100 == 0) {
			ksft_print_msg("%ld cycles, %.0f s\n", n,
				       now_ns(CLOCK_MONOTONIC) / 1e9 - t0);
			fflush(stdout);
		}
	}
	ksft_print_msg("torture: unbind cycles: %ld of %ld with read, poll, epoll and SIGIO waiters, %.1f s\n",
		       n - 1, want, now_ns(CLOCK_MONOTONIC) / 1e9 - t0);
	fflush(stdout);
}

TEST_HARNESS_MAIN
