// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/pynq-irq nodes of the board's AXI INTC pins, driven by the stimulus
 * block: one event per pulse on the right node, sequence numbers,
 * timestamps, epoll over all pins, O_NONBLOCK, binary records, several
 * readers, the level-pin rule, a 10,000-pulse train, /proc/interrupts and a
 * second consumer of a pin, and bad ioctls.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"
#include "overlay.h"

static volatile uint32_t *stim;

static void pulse(uint32_t mask)
{
	reg_wr(stim, STIM_PULSE, mask);
}

FIXTURE(pins) {
	int fd[BOARD_PINS];
};

/*
 * Every test of the fixture runs on both of the board's INTCs: the one of
 * the base device tree, and the one an overlay adds, which is built
 * without PG099's optional registers (IPR, SIE, CIE, IVR).
 */
FIXTURE_VARIANT(pins) {
	int intc;
};

FIXTURE_VARIANT_ADD(pins, intc0) {
	.intc = 0,
};

FIXTURE_VARIANT_ADD(pins, intc1_no_optional_registers) {
	.intc = 1,
};

FIXTURE_SETUP(pins)
{
	int i;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	reg_wr(stim, STIM_LEVEL, 0);
	board_intc = variant->intc;
	if (board_intc) {
		ASSERT_EQ(0, ovl_load()) TH_LOG("load %s: %s", OVL_MODULE,
						strerror(errno));
		/*
		 * Applied by the variant's first test and kept for the
		 * others (an apply and a remove cost seconds of the debug
		 * board); removed when the program ends.
		 */
		if (ovl_count() == 0)
			ASSERT_EQ(0, ovl_apply(BOARD_INTC1_DTBO));
		ASSERT_EQ(1, ovl_count());
	}
	/* Lockstep trains wait for this INTC's acknowledges. */
	reg_wr(stim, STIM_ACK_SEL, board_intc);
	for (i = 0; i < BOARD_PINS; i++) {
		self->fd[i] = board_open_pin(i, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, self->fd[i]) TH_LOG("open pin %d: %s", i,
						 strerror(errno));
	}
}

FIXTURE_TEARDOWN(pins)
{
	int i;

	for (i = 0; i < BOARD_PINS; i++)
		close(self->fd[i]);
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_ACK_SEL, 0);
	board_intc = 0;
}

/*
 * The overlay of the second INTC goes when the harness's main process
 * exits, after the last test (each test runs in a child, which leaves
 * with _exit() and runs no destructor).
 */
static void __attribute__((destructor)) remove_overlays(void)
{
	while (ovl_count() > 0 && ovl_remove() == 0)
		;
	if (ovl_count() > 0)
		fprintf(stderr, "# intc_pins: an overlay is left applied\n");
}

/* Acceptance 1: one pulse, one event on that pin only, seq +1, stamp. */
TEST_F(pins, one_pulse_one_event)
{
	static const int pins[] = { 0, 3, 9, 15, 16, 23, 31 };
	struct ev e[4];
	unsigned int k, round;
	int i, n;

	for (k = 0; k < sizeof(pins) / sizeof(pins[0]); k++) {
		int p = pins[k];
		uint64_t prev = 0, before, after;

		for (round = 0; round < 3; round++) {
			before = now_ns(CLOCK_MONOTONIC);
			pulse(1u << p);
			n = read_events(self->fd[p], e, 4, 2000);
			after = now_ns(CLOCK_MONOTONIC);
			ASSERT_EQ(1, n) TH_LOG("pin %d round %u", p, round);
			EXPECT_EQ(0, e[0].lost);
			if (round)
				EXPECT_EQ(prev + 1, e[0].seqno);
			prev = e[0].seqno;
			EXPECT_LE(before, e[0].ns);
			EXPECT_GE(after, e[0].ns);
			for (i = 0; i < BOARD_PINS; i++) {
				char c;

				if (i == p)
					continue;
				EXPECT_EQ(-1, read(self->fd[i], &c, 1))
					TH_LOG("pulse on %d seen on %d", p, i);
				EXPECT_EQ(EAGAIN, errno);
			}
		}
	}
}

/* Acceptance 2: epoll over all 32 pins, a mixed pattern of pulses. */
TEST_F(pins, epoll_all_pins)
{
	unsigned int want[BOARD_PINS] = { 0 }, got[BOARD_PINS] = { 0 };
	struct epoll_event ev, ready[BOARD_PINS];
	int ep, i, step, n, r;
	struct ev e[8];

	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	for (i = 0; i < BOARD_PINS; i++) {
		ev.events = EPOLLIN;
		ev.data.u32 = i;
		ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd[i], &ev));
	}
	for (step = 0; step < 64; step++) {
		uint32_t mask = (uint32_t)(step + 1) * 2654435761u;
		unsigned int expect = __builtin_popcount(mask), seen = 0;

		for (i = 0; i < BOARD_PINS; i++)
			want[i] += (mask >> i) & 1;
		pulse(mask);
		while (seen < expect) {
			n = epoll_wait(ep, ready, BOARD_PINS, 2000);
			ASSERT_LT(0, n) TH_LOG("step %d: %u of %u events",
					       step, seen, expect);
			for (i = 0; i < n; i++) {
				int p = ready[i].data.u32;

				r = read_events(self->fd[p], e, 8, 0);
				ASSERT_LE(0, r);
				EXPECT_NE(0, (mask >> p) & 1)
					TH_LOG("step %d: event on pin %d", step, p);
				got[p] += r;
				seen += r;
			}
		}
		ASSERT_EQ(expect, seen);
	}
	for (i = 0; i < BOARD_PINS; i++)
		EXPECT_EQ(want[i], got[i]) TH_LOG("pin %d", i);
	close(ep);
}

/* Acceptance 3: O_NONBLOCK, short and faulting binary reads. */
TEST_F(pins, nonblock_and_short_binary_read)
{
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	struct pynq_irq_event rec;
	char small[16];
	int fd = self->fd[5];
	void *bad;

	EXPECT_EQ(-1, read(fd, small, sizeof(small)));
	EXPECT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, ioctl(fd, PYNQ_IRQ_SET_FORMAT, &fmt));
	pulse(1u << 5);
	ASSERT_EQ(1, poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
			  2000));
	EXPECT_EQ(-1, read(fd, small, sizeof(small)));
	EXPECT_EQ(EINVAL, errno);
	/* A bad buffer: -EFAULT, and the record is still there too. */
	bad = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(bad != MAP_FAILED);
	EXPECT_EQ(-1, read(fd, bad, sizeof(rec)));
	EXPECT_EQ(EFAULT, errno);
	munmap(bad, 4096);
	memset(&rec, 0xff, sizeof(rec));
	ASSERT_EQ((ssize_t)sizeof(rec), read(fd, &rec, sizeof(rec)));
	EXPECT_EQ(5, rec.number);
	EXPECT_EQ(0, rec.lost);
	EXPECT_EQ(0, rec.flags);
	EXPECT_EQ(0, rec.merged);
	EXPECT_EQ(0, rec.suppressed);
	EXPECT_LT(0, rec.seqno);
	EXPECT_EQ(-1, read(fd, &rec, sizeof(rec)));
	EXPECT_EQ(EAGAIN, errno);
}

/* Acceptance 5 (PYNQ #991): two processes on one pin both see all. */
TEST_F(pins, two_processes_see_every_event)
{
	int go[2], ready[2], status, i, n = 0;
	long long base;
	struct ev e[64];
	pid_t child;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		int fd = board_open_pin(6, O_RDONLY | O_NONBLOCK), got = 0, r;
		char c = 0;

		if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		while (got < 20 && (r = read_events(fd, e, 64, 2000)) > 0)
			got += r;
		_exit(got == 20 ? 0 : 1);
	}
	ASSERT_EQ(1, read(ready[0], &(char){ 0 }, 1));
	ASSERT_EQ(1, write(go[1], "x", 1));
	base = board_pin_attr(6, "interrupts");
	for (i = 0; i < 20; i++) {
		int ms;

		pulse(1u << 6);
		/* Taken before the next: no two edges merge in the INTC. */
		for (ms = 0; ms < 2000; ms++) {
			if (board_pin_attr(6, "interrupts") == base + i + 1)
				break;
			usleep(1000);
		}
		ASSERT_EQ(base + i + 1, board_pin_attr(6, "interrupts"));
	}
	while (n < 20) {
		int r = read_events(self->fd[6], e, 64, 2000);

		ASSERT_LT(0, r);
		n += r;
	}
	EXPECT_EQ(20, n);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("the second process did not see all 20 events");
}

/*
 * Wait for and read what is queued with one read(): unlike read_events(),
 * it never finds the queue empty, so it does not re-arm a level pin.
 */
static int read_once(int fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char buf[256];
	ssize_t r;
	int n = 0;

	if (poll(&pfd, 1, timeout_ms) != 1)
		return 0;
	r = read(fd, buf, sizeof(buf));
	while (r > 0)
		n += buf[--r] == '\n';
	return n;
}

/* Acceptance 6 (PYNQ #1315): a held level gives one event, then waits. */
TEST_F(pins, level_pin_masked_until_wait)
{
	const int p = 20;
	long long before;
	char c;

	before = board_pin_attr(p, "interrupts");
	EXPECT_EQ(1, board_pin_attr(p, "enabled"));
	reg_wr(stim, STIM_SET, 1u << p);
	ASSERT_EQ(1, read_once(self->fd[p], 2000));
	/* Held, nobody waiting: masked, no second event. */
	usleep(200000);
	EXPECT_EQ(0, board_pin_attr(p, "enabled"));
	EXPECT_EQ(before + 1, board_pin_attr(p, "interrupts"));

	/* Cleared at the source; the reader waits again: re-armed. */
	reg_wr(stim, STIM_CLEAR, 1u << p);
	EXPECT_EQ(-1, read(self->fd[p], &c, 1));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(1, board_pin_attr(p, "enabled"));
	EXPECT_EQ(0, read_once(self->fd[p], 200));

	/* The next assertion: exactly one event. */
	reg_wr(stim, STIM_SET, 1u << p);
	ASSERT_EQ(1, read_once(self->fd[p], 2000));
	usleep(200000);
	EXPECT_EQ(before + 2, board_pin_attr(p, "interrupts"));
	EXPECT_EQ(0, board_pin_attr(p, "enabled"));
	reg_wr(stim, STIM_CLEAR, 1u << p);
	EXPECT_EQ(0, read_once(self->fd[p], 200));
	EXPECT_EQ(before + 2, board_pin_attr(p, "interrupts"));
}

/*
 * The documented level rule, pinned down: a client that waits again
 * without clearing the source gets another event, one per wait.
 */
TEST_F(pins, level_pin_rewait_without_clearing_fires_again)
{
	const int p = 24;
	int i;

	reg_wr(stim, STIM_SET, 1u << p);
	for (i = 0; i < 3; i++) {
		/* read_once() polls (a wait) with an empty queue: re-armed. */
		ASSERT_EQ(1, read_once(self->fd[p], 2000)) TH_LOG("wait %d", i);
		EXPECT_EQ(0, board_pin_attr(p, "enabled"));
	}
	reg_wr(stim, STIM_CLEAR, 1u << p);
	EXPECT_EQ(0, read_once(self->fd[p], 200));
}

/* Pulses while the level pin is masked (nobody waits) are not reported. */
TEST_F(pins, level_pin_pulses_while_masked_are_dropped)
{
	const int p = 25;
	long long before = board_pin_attr(p, "interrupts");
	int i;

	reg_wr(stim, STIM_PULSE, 1u << p);
	ASSERT_EQ(1, read_once(self->fd[p], 2000));
	/* Masked now: nobody waits. These come and go unseen. */
	for (i = 0; i < 5; i++)
		reg_wr(stim, STIM_PULSE, 1u << p);
	EXPECT_EQ(0, board_pin_attr(p, "enabled"));
	/* Waiting again re-arms; the input is low: nothing to report. */
	EXPECT_EQ(0, read_once(self->fd[p], 300));
	EXPECT_EQ(before + 1, board_pin_attr(p, "interrupts"));
	EXPECT_EQ(1, board_pin_attr(p, "enabled"));
}

/* Two clients on one level pin: one assertion, one event each. */
TEST_F(pins, level_pin_two_clients)
{
	const int p = 26;
	int other = board_open_pin(p, O_RDONLY | O_NONBLOCK);

	ASSERT_LE(0, other);
	reg_wr(stim, STIM_SET, 1u << p);
	EXPECT_EQ(1, read_once(self->fd[p], 2000));
	EXPECT_EQ(1, read_once(other, 2000));
	reg_wr(stim, STIM_CLEAR, 1u << p);
	EXPECT_EQ(0, read_once(self->fd[p], 200));
	EXPECT_EQ(0, read_once(other, 200));
	close(other);
}

/*
 * An edge latched while nobody had the node open is not an event: open
 * acknowledges it (regression test for the stale-edge acknowledge).
 */
TEST_F(pins, stale_edge_before_open_is_not_an_event)
{
	const int p = 12;

	close(self->fd[p]);
	reg_wr(stim, STIM_PULSE, 1u << p);	/* latched, nobody listens */
	self->fd[p] = board_open_pin(p, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->fd[p]);
	EXPECT_EQ(0, read_once(self->fd[p], 300));
	reg_wr(stim, STIM_PULSE, 1u << p);
	EXPECT_EQ(1, read_once(self->fd[p], 2000));
}

/* The nodes are root's only (0600): the udev rule opens them up. */
TEST_F(pins, nodes_are_0600)
{
	char name[64], path[96];
	struct stat st;
	int i;

	for (i = 0; i < BOARD_PINS; i++) {
		snprintf(path, sizeof(path), "/dev/pynq-irq/%s",
			 board_pin_name(i, name, sizeof(name)));
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0600, st.st_mode & 07777) TH_LOG("%s", path);
		EXPECT_EQ(0, st.st_uid);
	}
}

/*
 * Acceptance 7: 10,000 pulses; reader gets all, idle client counts loss.
 * On the second INTC, which only differs in its registers, 2,000 (each
 * 1,000 costs the debug board about three seconds).
 */
TEST_F_TIMEOUT(pins, train_of_10000, 600)
{
	const unsigned long n = board_intc ? 2000 : 10000;
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	struct pynq_irq_setting depth = { .value = 256 };
	struct pynq_irq_setting deep = { .value = 16384 };
	struct counter reader = { .fd = self->fd[7], .cpu = -1, .want = n };
	struct pynq_irq_event rec;
	unsigned long idle_events = 0, idle_lost = 0;
	int idle = self->fd[8];

	/* Pin 8's node stays open but unread; pin 7's is read. */
	ASSERT_EQ(0, ioctl(reader.fd, PYNQ_IRQ_SET_FORMAT, &fmt));
	/*
	 * Under the debug kernel the emulated CPU spends most of each period
	 * in the two pins' hard IRQs, so how far the reader thread falls
	 * behind depends on the host. Its queue covers the whole train: what
	 * is tested is that the IRQ path loses nothing while being read.
	 */
	ASSERT_EQ(0, ioctl(reader.fd, PYNQ_IRQ_SET_QUEUE_DEPTH, &deep));
	ASSERT_EQ(0, ioctl(idle, PYNQ_IRQ_SET_FORMAT, &fmt));
	ASSERT_EQ(0, ioctl(idle, PYNQ_IRQ_SET_QUEUE_DEPTH, &depth));
	ASSERT_EQ(0, pthread_create(&reader.th, NULL, counter_run, &reader));

	reg_wr(stim, STIM_TRAIN_MASK, (1u << 7) | (1u << 8));
	/*
	 * Lockstep: a pulse waits until the INTC acknowledged the previous
	 * one, so however slow the emulated CPU is, no two pulses merge in
	 * the hardware and every one of them must reach the driver.
	 */
	reg_wr(stim, STIM_TRAIN_PERIOD, 500000);
	reg_wr(stim, STIM_TRAIN_COUNT, n);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_LOCKSTEP);
	pthread_join(reader.th, NULL);
	EXPECT_EQ(0, reg_rd(stim, STIM_TRAIN_LEFT));

	TH_LOG("reader: %lu events, %lu lost, %lu seqno gaps", reader.events,
	       reader.lost, reader.gaps);
	EXPECT_EQ(n, reader.events);
	EXPECT_EQ(0, reader.lost);
	EXPECT_EQ(0, reader.gaps);

	while (read(idle, &rec, sizeof(rec)) == sizeof(rec)) {
		idle_events++;
		idle_lost += rec.lost;
	}
	TH_LOG("idle client: %lu delivered + %lu lost", idle_events, idle_lost);
	EXPECT_EQ(depth.value, idle_events);
	EXPECT_EQ(n, idle_events + idle_lost);
}

/* /proc/interrupts line of an IRQ by its name, or -1. */
static long long proc_interrupts(const char *name)
{
	char line[256], *p;
	FILE *f = fopen("/proc/interrupts", "r");
	long long n = -1;
	size_t len = strlen(name);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = line + strlen(line);
		while (p > line && (p[-1] == '\n' || p[-1] == ' '))
			*--p = 0;
		if (p - line > (long)len && !strcmp(p - len, name) &&
		    p[-len - 1] == ' ') {
			n = strtoll(strchr(line, ':') + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return n;
}

/* The base device tree's INTC only: its pin 15 is the stimulus node's. */
FIXTURE(intc0) {
	int fd[BOARD_PINS];
};

FIXTURE_SETUP(intc0)
{
	int i;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	for (i = 0; i < BOARD_PINS; i++) {
		self->fd[i] = board_open_pin(i, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, self->fd[i]);
	}
}

FIXTURE_TEARDOWN(intc0)
{
	int i;

	for (i = 0; i < BOARD_PINS; i++)
		close(self->fd[i]);
}

/* Acceptance 8: /proc/interrupts, and uio_pdrv_genirq on pin 15. */
TEST_F(intc0, proc_interrupts_and_second_consumer)
{
	const char *dev = "/sys/bus/platform/devices/" BOARD_STIM_DEV;
	char path[256], uio[32] = "", name[64] = "";
	long long before, after;
	uint32_t one = 1, count;
	long long uio_before;
	struct ev e[4];
	int i, fd;

	before = proc_interrupts("iop2");
	ASSERT_LE(0, before) TH_LOG("iop2 (pin 3) not in /proc/interrupts");
	for (i = 0; i < 5; i++) {
		pulse(1u << 3);
		ASSERT_EQ(1, read_events(self->fd[3], e, 4, 2000));
	}
	after = proc_interrupts("iop2");
	EXPECT_EQ(before + 5, after);

	/* Pin 15 is the stimulus node's interrupt: bind UIO to it. */
	close(self->fd[15]);
	snprintf(path, sizeof(path), "%s/driver_override", dev);
	ASSERT_EQ(0, sysfs_write(path, "uio_pdrv_genirq"));
	ASSERT_EQ(0, sysfs_write("/sys/bus/platform/drivers_probe",
				 BOARD_STIM_DEV));
	for (i = 0; i < 8 && !uio[0]; i++) {
		snprintf(path, sizeof(path), "%s/uio/uio%d", dev, i);
		if (!access(path, F_OK))
			snprintf(uio, sizeof(uio), "/dev/uio%d", i);
	}
	ASSERT_NE(0, uio[0]) TH_LOG("uio_pdrv_genirq did not bind");
	/*
	 * UIO names its IRQ after the node: "stimulus" up to 6.x,
	 * "stimulus@43c00000" in 6.12. It says which in sysfs.
	 */
	snprintf(path, sizeof(path), "%s/uio/%s/name", dev, uio + 5);
	ASSERT_LT(0, sysfs_read(path, name, sizeof(name)));
	name[strcspn(name, "\n")] = 0;
	fd = open(uio, O_RDWR);
	ASSERT_LE(0, fd);
	uio_before = proc_interrupts(name);
	ASSERT_LE(0, uio_before) TH_LOG("%s not in /proc/interrupts", name);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(4, write(fd, &one, 4));
		pulse(1u << 15);
		ASSERT_EQ(1, poll(&(struct pollfd){ .fd = fd, .events = POLLIN },
				  1, 2000));
		ASSERT_EQ(4, read(fd, &count, 4));
	}
	EXPECT_EQ(5, count);
	EXPECT_EQ(uio_before + 5, proc_interrupts(name));
	close(fd);
	snprintf(path, sizeof(path), "%s/driver/unbind", dev);
	EXPECT_EQ(0, sysfs_write(path, BOARD_STIM_DEV));
	snprintf(path, sizeof(path), "%s/driver_override", dev);
	EXPECT_EQ(0, sysfs_write(path, "\n"));
	self->fd[15] = board_open_pin(15, O_RDONLY | O_NONBLOCK);
	EXPECT_LE(0, self->fd[15]);
}

/*
 * Acceptance 11 (ioctls): -ENOTTY, -EFAULT, -EINVAL (intc_abi.c checks
 * every setting's struct and range).
 */
TEST_F(pins, bad_ioctls)
{
	struct pynq_irq_setting v = { 0 };
	int fd = self->fd[4];

	EXPECT_EQ(-1, ioctl(fd, _IO(PYNQ_IRQ_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOW('x', 1, uint32_t), &v));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_SET_CLOCK, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	v.value = 99;
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_SET_CLOCK, &v));
	EXPECT_EQ(EINVAL, errno);
	v.value = 7;
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_SET_FORMAT, &v));
	EXPECT_EQ(EINVAL, errno);
	v.value = CLOCK_REALTIME;
	EXPECT_EQ(0, ioctl(fd, PYNQ_IRQ_SET_CLOCK, &v));
}

/* Timestamps in the client's chosen clock. */
TEST_F(pins, clocks)
{
	static const clockid_t clocks[] = { CLOCK_REALTIME, CLOCK_BOOTTIME,
					    CLOCK_MONOTONIC };
	/* 2030-01-01: far from MONOTONIC, so a clock ignored shows. */
	struct timespec wall = { .tv_sec = 1893456000 };
	uint64_t before, after;
	unsigned int k;
	struct ev e[2];

	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &wall));
	ASSERT_LT(1000000000ull * 1000000, now_ns(CLOCK_REALTIME) -
		  now_ns(CLOCK_MONOTONIC));
	for (k = 0; k < 3; k++) {
		struct pynq_irq_setting v = { .value = clocks[k] };

		ASSERT_EQ(0, ioctl(self->fd[2], PYNQ_IRQ_SET_CLOCK, &v));
		before = now_ns(clocks[k]);
		pulse(1u << 2);
		ASSERT_EQ(1, read_events(self->fd[2], e, 2, 2000));
		after = now_ns(clocks[k]);
		EXPECT_LE(before, e[0].ns) TH_LOG("clock %d", clocks[k]);
		EXPECT_GE(after, e[0].ns) TH_LOG("clock %d", clocks[k]);
	}
}

TEST_HARNESS_MAIN
