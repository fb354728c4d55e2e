// SPDX-License-Identifier: GPL-2.0
/*
 * The GIC SGI nodes (driver gic-sgi.c, node "gic-sgi" of the board's device
 * tree) against the CPU1 program (cpu1/): 10,000 kicks through a tx node,
 * each counted once by CPU1; 10,000 round trips without loss or stall; a
 * burst from CPU1 to a slow reader, explained by the counters; what a
 * write means; non-root writers; readers blocked while the driver is
 * unbound.
 *
 * Run by gic_sgi_io.sh, after board_cpu1.sh has seen CPU1 still held.
 * Starts CPU1 itself when it does not run yet (cpu1ctl start).
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/pynq-irq.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"
#include "mailbox.h"

#define SGI_DEV		"gic-sgi"
#define SGI_DEV_DIR	"/sys/bus/platform/devices/" SGI_DEV
#define SGI_DRV_DIR	"/sys/bus/platform/drivers/pynq-irq-gic-sgi"
#define NODE(name)	"/dev/pynq-irq/" name

/* The board's node: Linux raises 8-11 to CPU1 and takes 12-15 from it. */
#define KICK		8	/* cpu1-kick */
#define DONE		12	/* cpu1-done */

static volatile struct cpu1_mailbox *mb;
static char dir[PATH_MAX];	/* where this program and cpu1ctl live */

/* Run "cpu1ctl ARGS"; its exit status. */
static int cpu1ctl(const char *fmt, ...)
{
	char cmd[PATH_MAX + 128];
	va_list ap;
	int n, ret;

	n = snprintf(cmd, sizeof(cmd), "%s/cpu1ctl ", dir);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - n, fmt, ap);
	va_end(ap);
	ret = system(cmd);
	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

/* Wait up to ms for *counter to reach want; its last value. */
static uint32_t wait_count(volatile uint32_t *counter, uint32_t want, int ms)
{
	uint64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000ull;

	/* Sleep, not spin: on a one-thread emulator CPU1 runs while we idle. */
	while (*counter != want && now_ns(CLOCK_MONOTONIC) < end)
		usleep(20);
	return *counter;
}

static int open_binary(const char *path, int flags)
{
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	int fd = open(path, flags);

	if (fd >= 0 && ioctl(fd, PYNQ_IRQ_SET_FORMAT, &fmt)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int driver_bound(void)
{
	return access(SGI_DEV_DIR "/driver", F_OK) == 0;
}

FIXTURE(sgi) {
	int unused;
};

FIXTURE_SETUP(sgi)
{
	ssize_t n;

	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	ASSERT_LT(0, n);
	dir[n] = 0;
	*strrchr(dir, '/') = 0;
	if (!driver_bound())
		sysfs_write(SGI_DRV_DIR "/bind", SGI_DEV);
	ASSERT_TRUE(driver_bound()) TH_LOG("%s has no driver", SGI_DEV);
	ASSERT_EQ(0, cpu1ctl("start %s/cpu1.bin >/dev/null", dir));
	if (!mb)
		mb = (volatile struct cpu1_mailbox *)board_map(CPU1_MBOX_PHYS,
							       CPU1_MBOX_SIZE);
	ASSERT_EQ(CPU1_MAGIC, mb->magic);
}

FIXTURE_TEARDOWN(sgi)
{
	cpu1ctl("cmd echo %d none", KICK);
	if (!driver_bound())
		sysfs_write(SGI_DRV_DIR "/bind", SGI_DEV);
}

/* Test 1: 10,000 write() calls on a tx node: CPU1 takes 10,000 SGIs. */
TEST_F_TIMEOUT(sgi, write_10000_kicks, 240)
{
	uint32_t rx0 = mb->rx_count[KICK], got;
	long long sent0 = board_line_attr("cpu1-kick", "interrupts");
	int fd, i;

	fd = open(NODE("cpu1-kick"), O_WRONLY);
	ASSERT_LE(0, fd);
	/*
	 * The GIC merges an SGI raised again before CPU1 took the previous
	 * one, so wait for CPU1 to count each kick before the next: this
	 * checks that every write raised exactly one SGI.
	 */
	for (i = 0; i < 10000; i++) {
		ASSERT_EQ(1, write(fd, "k", 1)) TH_LOG("write %d: %s", i,
						       strerror(errno));
		got = wait_count(&mb->rx_count[KICK], rx0 + i + 1, 2000);
		ASSERT_EQ(rx0 + i + 1, got) TH_LOG("after kick %d", i + 1);
	}
	close(fd);
	usleep(100000);
	EXPECT_EQ(rx0 + 10000, mb->rx_count[KICK]);
	EXPECT_EQ(sent0 + 10000, board_line_attr("cpu1-kick", "interrupts"));
}

/* What a write means: one SGI per call of 1 byte or more, 0 bytes none. */
TEST_F(sgi, write_contract)
{
	char buf[4096];
	uint32_t rx0;
	int fd;

	memset(buf, 'x', sizeof(buf));
	fd = open(NODE("cpu1-kick"), O_WRONLY);
	ASSERT_LE(0, fd);

	rx0 = mb->rx_count[KICK];
	EXPECT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	EXPECT_EQ(rx0 + 1, wait_count(&mb->rx_count[KICK], rx0 + 1, 2000));
	EXPECT_EQ(4, write(fd, "\x05\0\0\0", 4));	/* not a count */
	EXPECT_EQ(rx0 + 2, wait_count(&mb->rx_count[KICK], rx0 + 2, 2000));
	EXPECT_EQ(0, write(fd, buf, 0));
	usleep(100000);
	EXPECT_EQ(rx0 + 2, mb->rx_count[KICK]);
	close(fd);

	/* A receive node cannot be written. */
	fd = open(NODE("cpu1-done"), O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, write(fd, "x", 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/* poll: a transmit node is always writable, a receive node never. */
TEST_F(sgi, pollout_on_transmit_nodes_only)
{
	struct pollfd p[2] = {
		{ .fd = open(NODE("cpu1-kick"), O_RDWR | O_NONBLOCK),
		  .events = POLLIN | POLLOUT | POLLWRNORM },
		{ .fd = open(NODE("cpu1-rx13"), O_RDWR | O_NONBLOCK),
		  .events = POLLIN | POLLOUT | POLLWRNORM },
	};

	ASSERT_LE(0, p[0].fd);
	ASSERT_LE(0, p[1].fd);
	EXPECT_EQ(1, poll(p, 2, 0));
	EXPECT_EQ(POLLOUT | POLLWRNORM, p[0].revents);
	EXPECT_EQ(0, p[1].revents);
	close(p[0].fd);
	close(p[1].fd);
}

/* One writev() call is one SGI, however many segments it has. */
TEST_F(sgi, writev_raises_once)
{
	struct iovec iov[4] = {
		{ .iov_base = "a", .iov_len = 1 },
		{ .iov_base = "bc", .iov_len = 2 },
		{ .iov_base = "", .iov_len = 0 },
		{ .iov_base = "def", .iov_len = 3 },
	};
	long long sent0 = board_line_attr("cpu1-kick", "interrupts");
	uint32_t rx0 = mb->rx_count[KICK];
	int fd = open(NODE("cpu1-kick"), O_WRONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(6, writev(fd, iov, 4));
	EXPECT_EQ(rx0 + 1, wait_count(&mb->rx_count[KICK], rx0 + 1, 2000));
	usleep(100000);
	EXPECT_EQ(rx0 + 1, mb->rx_count[KICK]) TH_LOG("one writev(), %u SGIs",
						     mb->rx_count[KICK] - rx0);
	EXPECT_EQ(sent0 + 1, board_line_attr("cpu1-kick", "interrupts"));
	close(fd);
}

/*
 * Linux must not take back the CPU the remote program runs on: while the
 * node is bound, bringing CPU1 online is refused with EBUSY and a log
 * line, and the program on CPU1 keeps running.
 */
TEST_F(sgi, cpu1_online_is_refused)
{
	uint32_t beat;
	char seen[256] = "";
	int fd, n;

	fd = open("/sys/devices/system/cpu/cpu1/online", O_RDONLY);
	ASSERT_LE(0, fd) TH_LOG("no cpu1/online: %s", strerror(errno));
	n = read(fd, seen, sizeof(seen) - 1);
	close(fd);
	ASSERT_EQ(2, n);
	ASSERT_EQ('0', seen[0]);
	beat = mb->heartbeat;
	EXPECT_EQ(-EBUSY, sysfs_write("/sys/devices/system/cpu/cpu1/online",
				      "1"));
	fd = open("/sys/devices/system/cpu/online", O_RDONLY);
	ASSERT_LE(0, fd);
	n = read(fd, seen, sizeof(seen) - 1);
	close(fd);
	seen[n > 0 ? n : 0] = 0;
	EXPECT_EQ(0, strcmp(seen, "0\n")) TH_LOG("online: %s", seen);
	/* CPU1 still runs its program: its heartbeat moves, it takes kicks. */
	EXPECT_NE(beat, wait_count(&mb->heartbeat, beat + 1, 2000));
	n = mb->rx_count[KICK];
	EXPECT_EQ(0, sysfs_write(SGI_DEV_DIR "/raise", "8"));
	EXPECT_EQ(n + 1, wait_count(&mb->rx_count[KICK], n + 1, 2000));
}

/* A tx node reads as the kicks sent, from sysfs "raise" and write(). */
TEST_F(sgi, tx_node_reads_kicks)
{
	struct pynq_irq_event ev;
	uint64_t seq = 0;
	int rfd, wfd, i;

	rfd = open_binary(NODE("cpu1-tx10"), O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rfd);
	wfd = open(NODE("cpu1-tx10"), O_WRONLY);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, sysfs_write(SGI_DEV_DIR "/raise", "10"));
	ASSERT_EQ(1, write(wfd, "x", 1));
	ASSERT_EQ(0, sysfs_write(SGI_DEV_DIR "/raise", "10\n"));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ((ssize_t)sizeof(ev), read(rfd, &ev, sizeof(ev)));
		EXPECT_EQ(10u, ev.number);
		EXPECT_EQ(0u, ev.lost);
		if (i)
			EXPECT_EQ(seq + 1, ev.seqno);
		seq = ev.seqno;
	}
	EXPECT_EQ(-1, read(rfd, &ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ((long long)seq, board_line_attr("cpu1-tx10", "interrupts"));
	/* A writer gets no queue, so it cannot lose events. */
	EXPECT_EQ(0, board_line_attr("cpu1-tx10", "lost"));
	close(wfd);
	close(rfd);
}

/* Test 2: Linux kicks SGI 8, CPU1 answers with SGI 12; 10,000 times. */
TEST_F_TIMEOUT(sgi, round_trip_10000, 240)
{
	uint32_t rx0 = mb->rx_count[KICK], tx0 = mb->tx_count[DONE];
	long long taken0 = board_line_attr("cpu1-done", "interrupts");
	struct pollfd pfd = { .events = POLLIN };
	struct pynq_irq_event ev;
	uint64_t seq = 0, stamp = 0;
	int kick, done, i;

	done = open_binary(NODE("cpu1-done"), O_RDONLY);
	ASSERT_LE(0, done);
	kick = open(NODE("cpu1-kick"), O_WRONLY);
	ASSERT_LE(0, kick);
	ASSERT_EQ(0, cpu1ctl("cmd echo %d %d", KICK, DONE));
	pfd.fd = done;

	for (i = 0; i < 10000; i++) {
		ASSERT_EQ(1, write(kick, "k", 1));
		/* No stall: the answer comes within a second. */
		ASSERT_EQ(1, poll(&pfd, 1, 1000)) TH_LOG("round trip %d", i);
		ASSERT_EQ((ssize_t)sizeof(ev), read(done, &ev, sizeof(ev)));
		ASSERT_EQ((unsigned int)DONE, ev.number);
		ASSERT_EQ(0u, ev.lost) TH_LOG("round trip %d", i);
		if (i)
			ASSERT_EQ(seq + 1, ev.seqno) TH_LOG("round trip %d", i);
		ASSERT_LE(stamp, ev.timestamp_ns);
		seq = ev.seqno;
		stamp = ev.timestamp_ns;
	}
	/* Nothing more arrives. */
	EXPECT_EQ(0, poll(&pfd, 1, 100));
	EXPECT_EQ(rx0 + 10000, mb->rx_count[KICK]);
	EXPECT_EQ(tx0 + 10000, mb->tx_count[DONE]);
	EXPECT_EQ(taken0 + 10000, board_line_attr("cpu1-done", "interrupts"));
	EXPECT_EQ((long long)seq, board_line_attr("cpu1-done", "interrupts"));
	close(kick);
	close(done);
}

static void *burst_thread(void *arg)
{
	*(int *)arg = cpu1ctl("cmd burst 14 1000");
	return NULL;
}

/*
 * Test 3: CPU1 raises SGI 14 1,000 times back to back while Linux reads
 * slowly through a 4-event queue. SGIs raised while one is pending merge
 * in the GIC; events taken but not read are lost from the queue. Then
 * sent (CPU1) = taken (line's interrupts) + merged, and
 * taken = read + lost (this reader).
 */
TEST_F_TIMEOUT(sgi, burst_to_slow_reader, 120)
{
	uint32_t tx0 = mb->tx_count[14], sent;
	long long taken0 = board_line_attr("cpu1-rx14", "interrupts"), taken;
	struct pollfd pfd = { .events = POLLIN };
	struct pynq_irq_setting depth = { .value = 4 };
	uint32_t nread = 0, lost = 0;
	struct pynq_irq_event ev;
	uint64_t last_seq = 0;
	pthread_t thread;
	int status = -1;

	pfd.fd = open_binary(NODE("cpu1-rx14"), O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, pfd.fd);
	ASSERT_EQ(0, ioctl(pfd.fd, PYNQ_IRQ_SET_QUEUE_DEPTH, &depth));
	ASSERT_EQ(0, pthread_create(&thread, NULL, burst_thread, &status));

	/* One record every 20 ms, until nothing came for half a second. */
	while (poll(&pfd, 1, 500) == 1) {
		ASSERT_EQ((ssize_t)sizeof(ev), read(pfd.fd, &ev, sizeof(ev)));
		EXPECT_EQ(14u, ev.number);
		EXPECT_LT(last_seq, ev.seqno);
		last_seq = ev.seqno;
		lost += ev.lost;
		nread++;
		usleep(20000);
	}
	pthread_join(thread, NULL);
	ASSERT_EQ(0, status);
	/* The burst is acked once raised; take what may still be queued. */
	while (poll(&pfd, 1, 200) == 1 &&
	       read(pfd.fd, &ev, sizeof(ev)) == sizeof(ev)) {
		lost += ev.lost;
		last_seq = ev.seqno;
		nread++;
	}
	close(pfd.fd);

	sent = mb->tx_count[14] - tx0;
	taken = board_line_attr("cpu1-rx14", "interrupts") - taken0;
	TH_LOG("CPU1 raised %u, Linux took %lld (merged %lld), read %u, lost %u",
	       sent, taken, sent - taken, nread, lost);
	EXPECT_EQ(1000u, sent);
	EXPECT_LE(1u, nread);
	EXPECT_GE(1000u, nread);
	EXPECT_GE((long long)sent, taken);
	EXPECT_EQ(taken, (long long)nread + lost);
	EXPECT_EQ((long long)last_seq, board_line_attr("cpu1-rx14", "interrupts"));
}

/* Test 4 (the /dev and sysfs sides): only root raises SGIs. */
TEST_F(sgi, non_root_is_refused)
{
	uint32_t rx0 = mb->rx_count[KICK];
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int bad = 0;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		if (open(NODE("cpu1-kick"), O_WRONLY) >= 0 || errno != EACCES)
			bad |= 4;
		if (sysfs_write(SGI_DEV_DIR "/raise", "8") != -EACCES)
			bad |= 8;
		_exit(bad);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("as nobody: 4 = the node opened, 8 = raise written");
	usleep(100000);
	EXPECT_EQ(rx0, mb->rx_count[KICK]);
}

/* Test 7: unbinding wakes every blocked reader and poller within 1 s. */
TEST_F(sgi, unbind_wakes_blocked_readers)
{
	struct waiter w[] = {
		{ .name = NODE("cpu1-done") },
		{ .name = NODE("cpu1-rx13"), .use_poll = true },
		{ .name = NODE("cpu1-rx15") },
		{ .name = NODE("cpu1-rx15"), .use_poll = true },
		{ .name = NODE("cpu1-kick") },
	};
	const int n = sizeof(w) / sizeof(w[0]);
	uint64_t t0, t1;
	char seen[96];
	uint32_t tx0;
	int kick, i;

	for (i = 0; i < n; i++) {
		w[i].fd = open(w[i].name, O_RDONLY);
		ASSERT_LE(0, w[i].fd) TH_LOG("%s", w[i].name);
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, waiter_run, &w[i]));
	}
	kick = open(NODE("cpu1-kick"), O_WRONLY);
	ASSERT_LE(0, kick);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, waiter_blocked(&w[i], seen, sizeof(seen)))
			TH_LOG("%s: not blocked: %s", w[i].name, seen);
	}

	t0 = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, sysfs_write(SGI_DRV_DIR "/unbind", SGI_DEV));
	t1 = now_ns(CLOCK_MONOTONIC);
	EXPECT_GT(1000000000ull, t1 - t0) TH_LOG("unbind took %llu ms",
					       (unsigned long long)(t1 - t0) / 1000000);
	for (i = 0; i < n; i++) {
		pthread_join(w[i].th, NULL);
		EXPECT_GT(1000000000ull, w[i].done_ns - t0) TH_LOG("%s", w[i].name);
		if (w[i].use_poll) {
			EXPECT_EQ(POLLHUP | POLLERR,
				  w[i].ret & (POLLHUP | POLLERR))
				TH_LOG("%s: revents 0x%x", w[i].name, w[i].ret);
		} else {
			EXPECT_EQ(-ENODEV, w[i].ret) TH_LOG("%s", w[i].name);
		}
	}
	/* Calls on files still open fail; CPU1's SGIs do no harm. */
	EXPECT_EQ(-1, write(kick, "k", 1));
	EXPECT_EQ(ENODEV, errno);
	tx0 = mb->tx_count[DONE];
	EXPECT_EQ(0, cpu1ctl("cmd burst %d 10", DONE));
	usleep(100000);
	EXPECT_EQ(tx0 + 10, mb->tx_count[DONE]);
	for (i = 0; i < n; i++)
		close(w[i].fd);
	close(kick);

	ASSERT_EQ(0, sysfs_write(SGI_DRV_DIR "/bind", SGI_DEV));
	EXPECT_EQ(0, access(NODE("cpu1-done"), F_OK));
	EXPECT_EQ(0, access(NODE("cpu1-kick"), F_OK));
}

/**
 * struct raiser - a thread that keeps CPU1 raising SGI 12 back to back
 * @th: the thread
 * @stop: set to end it after the current burst
 * @bursts: bursts CPU1 ran
 * @failed: a burst command failed
 */
struct raiser {
	pthread_t th;
	int stop, bursts, failed;
};

static void *raiser_run(void *arg)
{
	struct raiser *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_ACQUIRE)) {
		if (cpu1ctl("cmd burst %d 20000", DONE))
			r->failed++;
		else
			r->bursts++;
	}
	return NULL;
}

/*
 * Test 8: the SGI driver is unbound and bound again, 5 times (up to 200
 * under make torture, as its time allows), while CPU1 raises SGI 12 at full speed and a reader
 * takes it: the reader's file fails with ENODEV once the driver is gone,
 * and after each bind the node comes back and gets CPU1's SGIs again.
 */
TEST_F_TIMEOUT(sgi, unbind_bind_while_cpu1_raises, 3600)
{
	const int want = board_torture(5, 200);
	int n, fd;
	struct raiser r = { 0 };
	struct pynq_irq_event ev[16];
	struct pollfd pfd = { .events = POLLIN };
	uint32_t tx0 = mb->tx_count[DONE];
	double t0 = now_ns(CLOCK_MONOTONIC) / 1e9;
	const struct pynq_irq_setting bin = {
		.value = PYNQ_IRQ_FORMAT_BINARY,
	};

	ASSERT_EQ(0, pthread_create(&r.th, NULL, raiser_run, &r));
	for (n = 1; board_torture_more(n - 1, 5, want); n++) {
		fd = open(NODE("cpu1-done"), O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("cycle %d: %s", n, strerror(errno));
		ASSERT_EQ(0, ioctl(fd, PYNQ_IRQ_SET_FORMAT, &bin));
		pfd.fd = fd;
		/* CPU1's SGIs reach the node that came back. */
		ASSERT_EQ(1, poll(&pfd, 1, 5000)) TH_LOG("cycle %d: no SGI", n);
		ASSERT_LT(0, read(fd, ev, sizeof(ev))) TH_LOG("cycle %d", n);
		ASSERT_EQ(0, sysfs_write(SGI_DRV_DIR "/unbind", SGI_DEV))
			TH_LOG("cycle %d", n);
		EXPECT_EQ(-1, read(fd, ev, sizeof(ev))) TH_LOG("cycle %d", n);
		EXPECT_EQ(ENODEV, errno) TH_LOG("cycle %d", n);
		close(fd);
		ASSERT_EQ(0, sysfs_write(SGI_DRV_DIR "/bind", SGI_DEV))
			TH_LOG("cycle %d", n);
	}
	__atomic_store_n(&r.stop, 1, __ATOMIC_RELEASE);
	pthread_join(r.th, NULL);
	EXPECT_EQ(0, r.failed);
	EXPECT_LT(0, r.bursts);
	EXPECT_LT(tx0, mb->tx_count[DONE]);
	ksft_print_msg("torture: sgi: %d of %d unbind/bind cycles in %.1f s, CPU1 raised %u SGIs meanwhile\n",
		       n - 1, want, now_ns(CLOCK_MONOTONIC) / 1e9 - t0,
		       mb->tx_count[DONE] - tx0);
	fflush(stdout);
}

TEST_HARNESS_MAIN
