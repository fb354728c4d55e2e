// SPDX-License-Identifier: GPL-2.0
/*
 * Linux on both CPUs, as PYNQ images run: the INTC's handler on one CPU,
 * readers, ioctls, close and unbind on the other.
 *  - trains with the reader on one CPU and the INTC's GIC line on the
 *    other, then swapped: every pulse once, in order;
 *  - two readers on two CPUs on one pin: both see every pulse;
 *  - a level pin opened and closed in a loop while it fires: no unbalanced
 *    enable, and it still works;
 *  - SET_QUEUE_DEPTH of a full queue while a train runs on the CPU that
 *    resizes: hardly a pulse merges in the INTC (interrupts stay on), and
 *    the resized queue keeps the newest events in order;
 *  - unbind and bind in a loop during a free-running train, with readers
 *    blocked on both CPUs.
 * The debug kernel's reports fail each of them (the runner reads the log).
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

#define INTC_IRQ_NAME	BOARD_INTC_DEV

static volatile uint32_t *stim;

/* The resize test's train: slow enough for the debug kernel's handler. */
#define TRAIN_PIN	10
#define TRAIN_PERIOD_NS	2000000

/* The Linux IRQ of the INTC's GIC line, from /proc/interrupts; -1. */
static int intc_irq(void)
{
	char line[256];
	FILE *f = fopen("/proc/interrupts", "r");
	int irq = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strstr(line, INTC_IRQ_NAME)) {
			irq = atoi(line);
			break;
		}
	}
	fclose(f);
	return irq;
}

/* Route @irq to @cpu only; 0 or -errno. */
static int irq_to_cpu(int irq, int cpu)
{
	char path[64], val[8];

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity_list", irq);
	snprintf(val, sizeof(val), "%d", cpu);
	return sysfs_write(path, val);
}

/* Which CPUs handled @irq: its /proc/interrupts counts for CPU0 and 1. */
static int irq_counts(int irq, long long n[2])
{
	char line[256];
	FILE *f = fopen("/proc/interrupts", "r");
	int ok = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *p = strchr(line, ':');

		if (p && atoi(line) == irq &&
		    sscanf(p + 1, "%lld %lld", &n[0], &n[1]) == 2) {
			ok = 0;
			break;
		}
	}
	fclose(f);
	return ok;
}

static int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void train(uint32_t mask, uint32_t period_ns, uint32_t count,
		  uint32_t ctrl)
{
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_TRAIN_MASK, mask);
	reg_wr(stim, STIM_TRAIN_PERIOD, period_ns);
	reg_wr(stim, STIM_TRAIN_COUNT, count);
	reg_wr(stim, STIM_TRAIN_CTRL, ctrl);
}

static int open_binary(int pin, uint32_t depth)
{
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	int fd = board_open_pin(pin, O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (ioctl(fd, PYNQ_IRQ_SET_FORMAT, &fmt) ||
	    (depth && ioctl(fd, PYNQ_IRQ_SET_QUEUE_DEPTH,
			    &(struct pynq_irq_setting){ .value = depth }))) {
		close(fd);
		return -1;
	}
	return fd;
}

FIXTURE(smp) {
	int irq;
};

FIXTURE_SETUP(smp)
{
	char online[16] = "";
	int fd = open("/sys/devices/system/cpu/online", O_RDONLY);

	ASSERT_LE(0, fd);
	ASSERT_LT(0, read(fd, online, sizeof(online) - 1));
	close(fd);
	ASSERT_EQ(0, strcmp(online, "0-1\n"))
		TH_LOG("Linux runs on CPUs %s, not on both", online);
	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
	self->irq = intc_irq();
}

FIXTURE_TEARDOWN(smp)
{
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
	if (self->irq > 0)
		irq_to_cpu(self->irq, 0);
}

/*
 * The race tests route the INTC's GIC line where they want it when the
 * line can be routed; the affinity test below requires that it can.
 */
static void route_intc(struct __test_metadata *_metadata, int irq, int cpu)
{
	if (irq > 0) {
		EXPECT_EQ(0, irq_to_cpu(irq, cpu));
	} else {
		TH_LOG("the INTC's GIC line is not in /proc/interrupts: not routed");
	}
}

/* The reader on one CPU, the INTC's handler on the other; then swapped. */
TEST_F_TIMEOUT(smp, reader_and_handler_on_different_cpus, 300)
{
	const unsigned long n = 2000;
	int round;

	ASSERT_LT(0, self->irq) TH_LOG("no %s in /proc/interrupts",
				       INTC_IRQ_NAME);
	for (round = 0; round < 2; round++) {
		int irq_cpu = round, reader_cpu = !round;
		struct counter c = { .cpu = reader_cpu, .want = n };
		long long before[2], after[2];

		ASSERT_EQ(0, irq_to_cpu(self->irq, irq_cpu));
		c.fd = open_binary(5, 4096);
		ASSERT_LE(0, c.fd);
		ASSERT_EQ(0, irq_counts(self->irq, before));
		ASSERT_EQ(0, pthread_create(&c.th, NULL, counter_run, &c));
		train(1u << 5, 200000, n, STIM_TRAIN_LOCKSTEP);
		pthread_join(c.th, NULL);
		ASSERT_EQ(0, irq_counts(self->irq, after));
		TH_LOG("IRQ on CPU%d, reader on CPU%d: %lu events, %lu lost, %lu gaps; CPU0 took %lld, CPU1 %lld",
		       irq_cpu, reader_cpu, c.events, c.lost, c.gaps,
		       after[0] - before[0], after[1] - before[1]);
		EXPECT_EQ(n, c.events);
		EXPECT_EQ(0, c.lost);
		EXPECT_EQ(0, c.gaps);
		EXPECT_EQ(reader_cpu, c.on_cpu);
		/*
		 * The train was taken where the line was sent, and only there
		 * (one interrupt may take several pulses: the handler reads
		 * ISR again before it returns).
		 */
		EXPECT_LT(0, after[irq_cpu] - before[irq_cpu]);
		EXPECT_EQ(0, after[!irq_cpu] - before[!irq_cpu]);
		close(c.fd);
	}
}

/* Two readers of one pin on two CPUs: each sees every pulse. */
TEST_F_TIMEOUT(smp, two_readers_on_two_cpus, 300)
{
	const unsigned long n = 2000;
	struct counter c[2] = {
		{ .cpu = 0, .want = n }, { .cpu = 1, .want = n },
	};
	int i;

	route_intc(_metadata, self->irq, 1);
	for (i = 0; i < 2; i++) {
		c[i].fd = open_binary(6, 4096);
		ASSERT_LE(0, c[i].fd);
	}
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pthread_create(&c[i].th, NULL, counter_run, &c[i]));
	}
	train(1u << 6, 200000, n, STIM_TRAIN_LOCKSTEP);
	for (i = 0; i < 2; i++) {
		pthread_join(c[i].th, NULL);
		TH_LOG("reader on CPU%d: %lu events, %lu lost, %lu gaps",
		       c[i].cpu, c[i].events, c[i].lost, c[i].gaps);
		EXPECT_EQ(n, c[i].events);
		EXPECT_EQ(0, c[i].lost);
		EXPECT_EQ(0, c[i].gaps);
		close(c[i].fd);
	}
}

/*
 * A level pin opened, waited on and closed in a loop on CPU1 while a fast
 * train fires it on CPU0. Some closes meet the handler: if a close let it
 * mask the pin again after the close cleared "masked", a later open's
 * first wait enables an IRQ that is already enabled, and the kernel says
 * "Unbalanced enable" (a report: the runner fails the test).
 */
TEST_F_TIMEOUT(smp, level_pin_closed_while_it_fires, 300)
{
	/* About 30 ms a round on the debug board. */
	const int p = 21, want = board_torture(600, 3000);
	int i, fd, events = 0;
	char c;

	route_intc(_metadata, self->irq, 0);
	ASSERT_EQ(0, pin_self(1));
	train(1u << p, 20000, 0xffffffffu, STIM_TRAIN_START);
	for (i = 0; board_torture_more(i, 600, want); i++) {
		fd = board_open_pin(p, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, fd) TH_LOG("round %d: open: %s", i, strerror(errno));
		/* An empty queue is a wait: it re-arms the pin. */
		if (read(fd, &c, 1) == 1) {
			events++;
		} else {
			ASSERT_EQ(EAGAIN, errno);
		}
		close(fd);
	}
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	ksft_print_msg("torture: smp: %d of %d closes of a level pin while it fires, %d read an event\n",
		       i, want, events);
	EXPECT_LT(0, events);

	/* Still a working level pin: closed, it is off; open, it fires. */
	EXPECT_EQ(0, board_pin_attr(p, "enabled"));
	fd = board_open_pin(p, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	while (read(fd, &c, 1) == 1)
		;
	reg_wr(stim, STIM_PULSE, 1u << p);
	EXPECT_EQ(1, poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
			  2000));
	close(fd);
	pin_self(0);
}

/*
 * The resize test's train on TRAIN_PIN: train_merges(false, ...) starts it
 * and notes the counts; train_merges(true, ...) stops it and gives the
 * pulses since and how many of them merged (pulses - interrupts taken).
 */
static void train_merges(bool stop, uint32_t *pulses, uint32_t *merged)
{
	static uint32_t pulses0;
	static long long taken0;

	if (!stop) {
		taken0 = board_pin_attr(TRAIN_PIN, "interrupts");
		pulses0 = reg_rd(stim, STIM_PULSES);
		train(1u << TRAIN_PIN, TRAIN_PERIOD_NS, 0xffffffffu,
		      STIM_TRAIN_START);
		return;
	}
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	usleep(20000);
	*pulses = reg_rd(stim, STIM_PULSES) - pulses0;
	*merged = *pulses - (board_pin_attr(TRAIN_PIN, "interrupts") - taken0);
}

/*
 * Resizing a full queue while a train runs on the CPU that resizes. A
 * resize that copies the queue with interrupts off holds them off for
 * milliseconds, and the train's edges merge in the INTC meanwhile: fewer
 * interrupts than pulses. The queue keeps the newest events, in order,
 * and what it drops is counted. (16384 events: filling a 65536-event
 * queue takes minutes of the emulated board.)
 */
TEST_F_TIMEOUT(smp, queue_resize_racing_a_train, 600)
{
	const uint32_t full = 16384;
	const int fill_pin = 9, resizes = 20;
	struct pynq_irq_setting depth = { .value = full };
	struct pynq_irq_setting small = { .value = 1000 };
	uint32_t pulses, merged, cpulses, cmerged;
	uint64_t t0, busy_ns;
	long long fill0;
	struct pynq_irq_event rec[64];
	uint64_t last = 0;
	unsigned long got = 0, lost = 0;
	int fill, watch, i;
	ssize_t r;

	route_intc(_metadata, self->irq, 0);
	ASSERT_EQ(0, pin_self(0));
	fill = open_binary(fill_pin, full);
	watch = open_binary(TRAIN_PIN, 0);
	ASSERT_LE(0, fill);
	ASSERT_LE(0, watch);

	/*
	 * Fill: more interrupts than the queue holds, faster than the storm
	 * throttle lets through by default.
	 */
	ASSERT_EQ(0, board_pin_set_attr(fill_pin, "rate_limit", "0"));
	fill0 = board_pin_attr(fill_pin, "interrupts");
	train(1u << fill_pin, 20000, full + 2000, STIM_TRAIN_LOCKSTEP);
	for (i = 0; i < 18000 && reg_rd(stim, STIM_TRAIN_LEFT); i++)
		usleep(10000);
	ASSERT_EQ(0, reg_rd(stim, STIM_TRAIN_LEFT)) TH_LOG("fill too slow");
	ASSERT_EQ(fill0 + full + 2000, board_pin_attr(fill_pin, "interrupts"));

	/* A free-running train on the other pin while the queue moves. */
	t0 = now_ns(CLOCK_MONOTONIC);
	train_merges(false, &pulses, &merged);
	for (i = 0; i < resizes; i++) {
		ASSERT_EQ(0, ioctl(fill, PYNQ_IRQ_SET_QUEUE_DEPTH, &depth));
	}
	train_merges(true, &pulses, &merged);
	busy_ns = now_ns(CLOCK_MONOTONIC) - t0;

	/* The same train for as long with nothing else: the host's share. */
	train_merges(false, &cpulses, &cmerged);
	usleep(busy_ns / 1000);
	train_merges(true, &cpulses, &cmerged);
	TH_LOG("%d resizes in %llu ms: %u pulses, %u merged; alone: %u pulses, %u merged",
	       resizes, (unsigned long long)busy_ns / 1000000, pulses, merged,
	       cpulses, cmerged);
	EXPECT_LT(20, pulses);
	/*
	 * Interrupts off for the whole copy merge nearly every pulse of the
	 * train; off for one chunk at a time, no more than the host's own
	 * hiccups do (guest time is host time here), which the same train
	 * alone measures.
	 */
	EXPECT_GE(cmerged * pulses / (cpulses ? cpulses : 1) + pulses / 4,
		  merged) TH_LOG("edges merged while interrupts were off");

	/* Shrink: the newest 1000 stay, in order; the rest count as lost. */
	ASSERT_EQ(0, ioctl(fill, PYNQ_IRQ_SET_QUEUE_DEPTH, &small));
	while ((r = read(fill, rec, sizeof(rec))) > 0) {
		for (i = 0; i < r / (int)sizeof(rec[0]); i++) {
			if (last)
				EXPECT_EQ(last + 1, rec[i].seqno);
			last = rec[i].seqno;
			lost += rec[i].lost;
			got++;
		}
	}
	EXPECT_EQ(small.value, got);
	EXPECT_EQ(full + 2000 - small.value, lost);
	EXPECT_EQ(fill0 + full + 2000, last);
	close(fill);
	close(watch);
	EXPECT_EQ(0, board_pin_set_attr(fill_pin, "rate_limit", "20000"));
}

/* Unbind and bind during a free-running train, readers on both CPUs. */
TEST_F_TIMEOUT(smp, unbind_during_a_train_with_readers_on_both_cpus, 600)
{
	/* About 8 s a cycle on the debug board; 1000 in torture_cycles. */
	const int want = board_torture(4, 20);
	char seen[96];
	int cycle, i;

	for (cycle = 0; board_torture_more(cycle, 4, want); cycle++) {
		struct waiter w[4];
		cpu_set_t set;

		self->irq = intc_irq();
		route_intc(_metadata, self->irq, cycle & 1);
		for (i = 0; i < 4; i++) {
			memset(&w[i], 0, sizeof(w[i]));
			w[i].use_poll = i & 1;
			w[i].fd = board_open_pin(11 + i, O_RDONLY);
			ASSERT_LE(0, w[i].fd);
			ASSERT_EQ(0, pthread_create(&w[i].th, NULL, waiter_run,
						    &w[i]));
			CPU_ZERO(&set);
			CPU_SET(i >> 1, &set);
			pthread_setaffinity_np(w[i].th, sizeof(set), &set);
		}
		/* Pins 11-14 stay quiet: the readers stay blocked. */
		for (i = 0; i < 4; i++) {
			ASSERT_EQ(0, waiter_blocked(&w[i], seen, sizeof(seen)))
				TH_LOG("cycle %d waiter %d: %s", cycle, i, seen);
		}
		/* Nine edge pins at once, every 200 us: busy, not a storm. */
		train(0x000001ffu, 200000, 0xffffffffu, STIM_TRAIN_START);
		usleep(20000 + 3000 * cycle);
		ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/unbind",
					 BOARD_INTC_DEV));
		for (i = 0; i < 4; i++) {
			pthread_join(w[i].th, NULL);
			if (w[i].use_poll) {
				EXPECT_EQ(POLLHUP | POLLERR, w[i].ret &
					  (POLLHUP | POLLERR | POLLIN));
			} else {
				EXPECT_EQ(-ENODEV, w[i].ret);
			}
			close(w[i].fd);
		}
		ASSERT_EQ(0, sysfs_write(BOARD_INTC_DRV "/bind",
					 BOARD_INTC_DEV));
		reg_wr(stim, STIM_TRAIN_CTRL, 0);
	}
	ksft_print_msg("torture: smp: %d of %d unbind cycles during a train, readers on both CPUs\n",
		       cycle, want);
	/* Bound again and working. */
	self->irq = intc_irq();
	i = board_open_pin(0, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, i);
	reg_wr(stim, STIM_PULSE, 1);
	EXPECT_EQ(1, poll(&(struct pollfd){ .fd = i, .events = POLLIN }, 1,
			  2000));
	close(i);
}

TEST_HARNESS_MAIN
