// SPDX-License-Identifier: GPL-2.0
/*
 * The INTC goes away while every pin's node is open: readers blocked in
 * read() and in poll() on every line return within 1 s (read: ENODEV,
 * poll: POLLHUP | POLLERR), later calls fail the same way, no report from
 * the debug kernel; rebinding brings working nodes back.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

FIXTURE(intc) {
};

FIXTURE_SETUP(intc)
{
}

FIXTURE_TEARDOWN(intc)
{
}

TEST_F_TIMEOUT(intc, unbind_with_blocked_readers, 120)
{
	struct pollfd pfd = { .events = POLLIN };
	struct waiter w[2 * BOARD_PINS];
	volatile uint32_t *stim = board_map(BOARD_STIM_BASE, 0x1000);
	uint64_t unbind_ns;
	char seen[96];
	struct ev e[2];
	struct pynq_irq_setting v = { .value = CLOCK_REALTIME };
	int i, fd;

	for (i = 0; i < 2 * BOARD_PINS; i++) {
		w[i].use_poll = i >= BOARD_PINS;
		w[i].fd = board_open_pin(i % BOARD_PINS, O_RDONLY);
		ASSERT_LE(0, w[i].fd) TH_LOG("pin %d", i % BOARD_PINS);
		w[i].tid = 0;
		ASSERT_EQ(0, pthread_create(&w[i].th, NULL, waiter_run, &w[i]));
	}
	for (i = 0; i < 2 * BOARD_PINS; i++) {
		ASSERT_EQ(0, waiter_blocked(&w[i], seen, sizeof(seen)))
			TH_LOG("waiter %d is not blocked: %s", i, seen);
	}

	unbind_ns = now_ns(CLOCK_MONOTONIC);
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/unbind", BOARD_INTC_DEV));
	for (i = 0; i < 2 * BOARD_PINS; i++) {
		pthread_join(w[i].th, NULL);
		EXPECT_GT(unbind_ns + 1000000000ull, w[i].done_ns)
			TH_LOG("waiter %d returned %.3f s after unbind", i,
			       (w[i].done_ns - unbind_ns) / 1e9);
		if (w[i].use_poll) {
			EXPECT_EQ(POLLHUP | POLLERR,
				  w[i].ret & (POLLHUP | POLLERR | POLLIN));
		} else {
			EXPECT_EQ(-ENODEV, w[i].ret);
		}
	}

	/* Later calls fail the same way; the nodes are gone. */
	fd = w[0].fd;
	EXPECT_EQ(-1, read(fd, e, sizeof(e)));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_SET_CLOCK, &v));
	EXPECT_EQ(ENODEV, errno);
	pfd.fd = fd;
	EXPECT_EQ(1, poll(&pfd, 1, 0));
	EXPECT_EQ(POLLHUP | POLLERR, pfd.revents & (POLLHUP | POLLERR | POLLIN));
	EXPECT_NE(0, access("/dev/pynq-irq/btns", F_OK));
	EXPECT_NE(0, access("/sys/class/pynq-irq/btns", F_OK));
	for (i = 0; i < 2 * BOARD_PINS; i++)
		close(w[i].fd);

	/* Rebind: the nodes come back and work. */
	ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/bind", BOARD_INTC_DEV));
	fd = board_open_pin(0, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	reg_wr(stim, STIM_PULSE, 1);
	EXPECT_EQ(1, read_events(fd, e, 2, 2000));
	EXPECT_EQ(1, e[0].seqno);
	close(fd);
}

/* Unbinding with nothing open, many times: nothing leaks or warns. */
TEST_F_TIMEOUT(intc, unbind_rebind_cycles, 300)
{
	/*
	 * About 4 s a cycle on the debug board: four in make check, an even
	 * number so that both orders of close and unbind run twice; more
	 * with readers in torture_cycles.
	 */
	const int want = board_torture(4, 20);
	int i, fd;

	for (i = 0; board_torture_more(i, 4, want); i++) {
		fd = board_open_pin(i % BOARD_PINS, O_RDONLY);
		ASSERT_LE(0, fd);
		if (i & 1)
			close(fd);
		ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/unbind",
					 BOARD_INTC_DEV));
		if (!(i & 1))
			close(fd);
		ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/bind",
					 BOARD_INTC_DEV));
	}
	ksft_print_msg("torture: unbind: %d of %d unbind/bind cycles, a node closed before or after\n",
		       i, want);
}

TEST_HARNESS_MAIN
