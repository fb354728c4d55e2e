// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt storms and PL reloads: trains at the stimulus's top rate on
 * the pins, with readers, against the storm throttle (sysfs rate_limit),
 * with exact accounting against the stimulus's ground truth (PULSES and
 * MERGED); and the INTC reset the way loading the PL again resets it.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

/* The stimulus's shortest period: its top rate. */
#define TOP_PERIOD_NS	1000

static volatile uint32_t *stim, *intc;

/**
 * struct tally - what one client of a pin read
 * @events: records
 * @merged: their merged fields, summed
 * @lost: their lost fields, summed
 * @suppressed: their suppressed fields, summed
 * @throttled: records flagged PYNQ_IRQ_EVENT_THROTTLED
 * @other_flags: records with any other flag
 */
struct tally {
	uint64_t events, merged, lost, suppressed, throttled, other_flags;
};

struct readers {
	pthread_t th;
	int epfd;
	int fd[BOARD_PINS];
	struct tally t[BOARD_PINS];
	volatile int stop;
};

static void *readers_run(void *arg)
{
	struct readers *r = arg;
	struct pynq_irq_event rec[64];
	struct epoll_event ev[BOARD_PINS];
	int n, i, k, got;

	while (!r->stop) {
		n = epoll_wait(r->epfd, ev, BOARD_PINS, 100);
		for (i = 0; i < n; i++) {
			int pin = ev[i].data.u32;
			struct tally *t = &r->t[pin];

			got = read(r->fd[pin], rec, sizeof(rec));
			for (k = 0; k < got / (int)sizeof(rec[0]); k++) {
				t->events++;
				t->merged += rec[k].merged;
				t->lost += rec[k].lost;
				t->suppressed += rec[k].suppressed;
				if (rec[k].flags & PYNQ_IRQ_EVENT_THROTTLED)
					t->throttled++;
				if (rec[k].flags & ~PYNQ_IRQ_EVENT_THROTTLED)
					t->other_flags++;
			}
		}
	}
	return NULL;
}

static uint64_t accounted(const struct tally *t)
{
	return t->events + t->merged + t->lost + t->suppressed;
}

/* Lines of the kernel log that contain @what. */
static int dmesg_count(const char *what)
{
	char cmd[160], buf[32];
	FILE *f;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "dmesg | grep -c '%s'", what);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f))
		n = atoi(buf);
	pclose(f);
	return n;
}

/* A fixed piece of work on CPU0, where the INTC's interrupt goes: ns. */
static uint64_t work_on_cpu0(void)
{
	uint64_t t0 = now_ns(CLOCK_MONOTONIC);
	cpu_set_t set;
	int i, status;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	for (i = 0; i < 20; i++) {
		pid_t pid = fork();

		if (!pid) {
			sched_setaffinity(0, sizeof(set), &set);
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &status, 0) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status))
			return 0;
	}
	return now_ns(CLOCK_MONOTONIC) - t0;
}

/*
 * A free-running train of @count pulses at the top rate on @mask, and the
 * fixed piece of work on CPU0 meanwhile: its ns (0 if it failed). Returns
 * once the train is over, or after two minutes.
 */
static uint64_t storm(uint32_t mask, uint32_t count)
{
	uint64_t busy;
	int i;

	reg_wr(stim, STIM_TRAIN_MASK, mask);
	reg_wr(stim, STIM_TRAIN_PERIOD, TOP_PERIOD_NS);
	reg_wr(stim, STIM_TRAIN_COUNT, count);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);
	busy = work_on_cpu0();
	for (i = 0; i < 1200 && reg_rd(stim, STIM_TRAIN_LEFT); i++)
		usleep(100000);
	return busy;
}

FIXTURE(storm) {
	struct readers r;
	long long irqs0[BOARD_PINS];
};

FIXTURE_SETUP(storm)
{
	struct pynq_irq_setting bin = { .value = PYNQ_IRQ_FORMAT_BINARY };
	struct epoll_event ev = { .events = EPOLLIN };
	int i;

	if (!stim) {
		stim = board_map(BOARD_STIM_BASE, 0x1000);
		intc = board_map(BOARD_INTC_BASE, 0x1000);
	}
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	reg_wr(stim, STIM_LEVEL, 0);
	reg_wr(stim, STIM_ACK_SEL, 0);
	memset(&self->r, 0, sizeof(self->r));
	self->r.epfd = epoll_create1(0);
	ASSERT_LE(0, self->r.epfd);
	for (i = 0; i < BOARD_PINS; i++) {
		self->r.fd[i] = board_open_pin(i, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, self->r.fd[i]);
		ASSERT_EQ(0, ioctl(self->r.fd[i], PYNQ_IRQ_SET_FORMAT, &bin));
		ASSERT_EQ(0, board_pin_set_attr(i, "rate_limit", "20000"));
		self->irqs0[i] = board_pin_attr(i, "interrupts");
		ev.data.u32 = i;
		ASSERT_EQ(0, epoll_ctl(self->r.epfd, EPOLL_CTL_ADD,
				       self->r.fd[i], &ev));
	}
	ASSERT_EQ(0, pthread_create(&self->r.th, NULL, readers_run, &self->r));
}

FIXTURE_TEARDOWN(storm)
{
	int i;

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	self->r.stop = 1;
	pthread_join(self->r.th, NULL);
	for (i = 0; i < BOARD_PINS; i++)
		close(self->r.fd[i]);
	close(self->r.epfd);
}

/*
 * Wait until no pin of @mask is throttled, and none was for a second and a
 * half (a back-off is a second); true if that came within @s s.
 */
static bool quiet_down(uint32_t mask, int s)
{
	int i, tries, calm = 0;

	for (tries = 0; tries < s * 10; tries++) {
		for (i = 0; i < BOARD_PINS; i++)
			if (mask & (1u << i) && board_pin_attr(i, "enabled") != 1)
				break;
		calm = i == BOARD_PINS ? calm + 1 : 0;
		if (calm >= 15)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * Wait until every pin's interrupts are all accounted for by its reader
 * (a throttled pin is unmasked a second after the train, and its latched
 * edge then comes as one more event); true if they are within @s s.
 */
static bool settled(struct readers *r, const long long *irqs0, uint32_t mask,
		    int s)
{
	int i, tries;

	for (tries = 0; tries < s * 10; tries++) {
		for (i = 0; i < BOARD_PINS; i++) {
			if (!(mask & (1u << i)))
				continue;
			if (board_pin_attr(i, "interrupts") - irqs0[i] !=
			    (long long)accounted(&r->t[i]) ||
			    board_pin_attr(i, "enabled") != 1)
				break;
		}
		if (i == BOARD_PINS)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * A storm on the 16 edge pins at the top rate: every interrupt is
 * accounted for, by each client (1 + merged + lost + suppressed per
 * record) and against the stimulus (PULSES - MERGED: the edges the INTC
 * latched one by one), the pins were throttled, and a fixed piece of work
 * on the interrupt's CPU still finishes. The debug kernel on the emulated
 * CPU takes a few hundred interrupts a second per pin in such a storm, far
 * below the default limit: the limit here is 100 a second (one interrupt
 * a 10 ms window), so that the throttle works as it would on a real board.
 */
TEST_F_TIMEOUT(storm, edge_pins_exact_accounting, 300)
{
	const uint32_t mask = BOARD_EDGE_PINS, count = 2000000;
	uint32_t p0, m0, p1, m1;
	uint64_t quiet, busy, sum = 0, text_sum = 0;
	int logs0, logs, i, episodes = 0, text, nl;
	struct ev lines[256];

	/* A client of pin 0 in the default text format too. */
	text = board_open_pin(0, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, text);
	for (i = 0; i < 16; i++)
		ASSERT_EQ(0, board_pin_set_attr(i, "rate_limit", "100"));

	quiet = work_on_cpu0();
	ASSERT_NE(0, quiet);
	logs0 = dmesg_count("interrupt storm");
	p0 = reg_rd(stim, STIM_PULSES);
	m0 = reg_rd(stim, STIM_MERGED);

	busy = storm(mask, count);
	TH_LOG("20 fork+exec on CPU0: %.3f s quiet, %.3f s in the storm",
	       quiet / 1e9, busy / 1e9);
	ASSERT_NE(0, busy);
	EXPECT_GT(quiet * 20 + 5000000000ull, busy);
	ASSERT_EQ(0, reg_rd(stim, STIM_TRAIN_LEFT)) TH_LOG("the train did not end");

	/*
	 * Quiet: every pin's throttle ends (one may start again on the edge
	 * latched meanwhile). Then one pulse a pin, alone in its window: its
	 * event carries what the last episode suppressed, and the pins work.
	 */
	ASSERT_TRUE(quiet_down(mask, 20)) TH_LOG("the pins stay throttled");
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(0, board_pin_set_attr(i, "rate_limit", "20000"));
		reg_wr(stim, STIM_PULSE, 1u << i);
	}
	ASSERT_TRUE(settled(&self->r, self->irqs0, mask, 10))
		TH_LOG("interrupts not accounted for by the readers");
	p1 = reg_rd(stim, STIM_PULSES);
	m1 = reg_rd(stim, STIM_MERGED);
	EXPECT_EQ(16ull * count + 16, (uint64_t)(p1 - p0));
	for (i = 0; i < 16; i++) {
		struct tally *t = &self->r.t[i];
		long long irqs = board_pin_attr(i, "interrupts") - self->irqs0[i];

		sum += irqs;
		EXPECT_EQ(irqs, (long long)accounted(t)) TH_LOG("pin %d", i);
		episodes += board_pin_attr(i, "throttled");
		EXPECT_LE(1, board_pin_attr(i, "throttled")) TH_LOG("pin %d", i);
		EXPECT_LE(1, t->throttled) TH_LOG("pin %d", i);
		EXPECT_EQ(0, t->other_flags);
		EXPECT_EQ(0, t->merged);
	}
	TH_LOG("%u pulses, %u merged in the INTC, %llu interrupts taken, %d throttle episodes",
	       p1 - p0, m1 - m0, (unsigned long long)sum, episodes);
	/*
	 * Against the stimulus: every edge the INTC latched is one interrupt
	 * taken, throttle episodes or not. (An edge latched while a pin is
	 * throttled stays latched in ISR and fires when the back-off ends.)
	 */
	EXPECT_EQ((uint64_t)(p1 - p0) - (m1 - m0), sum)
		TH_LOG("ISR 0x%08x IER 0x%08x MER 0x%x at the end",
		       reg_rd(intc, INTC_ISR), reg_rd(intc, INTC_IER),
		       reg_rd(intc, INTC_MER));

	/*
	 * The text client of pin 0 read lines of three fields: each line's
	 * lost counts what the throttle suppressed too, so nothing is missing.
	 */
	nl = read_events(text, lines, 256, 2000);
	ASSERT_LT(0, nl);
	for (i = 0; i < nl; i++)
		text_sum += 1 + lines[i].lost;
	EXPECT_EQ(board_pin_attr(0, "interrupts") - self->irqs0[0],
		  (long long)text_sum);
	close(text);

	/* Said once an episode at most, and at least once. */
	logs = dmesg_count("interrupt storm") - logs0;
	EXPECT_LE(1, logs);
	EXPECT_GE(episodes, logs);

	/* And now plain events again: one pulse, one event, no flags. */
	for (i = 0; i < 16; i++) {
		uint64_t e0 = self->r.t[i].events, t0 = self->r.t[i].throttled;
		int k;

		reg_wr(stim, STIM_PULSE, 1u << i);
		for (k = 0; k < 200 && self->r.t[i].events == e0; k++)
			usleep(10000);
		EXPECT_EQ(e0 + 1, self->r.t[i].events) TH_LOG("pin %d", i);
		EXPECT_EQ(t0, self->r.t[i].throttled) TH_LOG("pin %d", i);
	}
}

/*
 * A storm on all 32 pins (the level pins too) with readers, at the default
 * limit: the shell goes on, every client's count is exact, and the pins
 * work afterwards.
 */
TEST_F_TIMEOUT(storm, all_pins_shell_goes_on, 300)
{
	struct waiter w = { .name = "level", .use_poll = false };
	const uint32_t count = 1000000;
	uint64_t quiet, busy;
	char seen[96];

	quiet = work_on_cpu0();
	ASSERT_NE(0, quiet);
	busy = storm(~0u, count);
	TH_LOG("20 fork+exec on CPU0: %.3f s quiet, %.3f s in the storm",
	       quiet / 1e9, busy / 1e9);
	ASSERT_NE(0, busy);
	EXPECT_GT(quiet * 20 + 5000000000ull, busy);
	ASSERT_EQ(0, reg_rd(stim, STIM_TRAIN_LEFT)) TH_LOG("the train did not end");
	ASSERT_TRUE(settled(&self->r, self->irqs0, ~0u, 10));

	/* Afterwards, a blocked reader of a level pin wakes for one event. */
	w.fd = board_open_pin(20, O_RDONLY);
	ASSERT_LE(0, w.fd);
	ASSERT_EQ(0, pthread_create(&w.th, NULL, waiter_run, &w));
	ASSERT_EQ(0, waiter_blocked(&w, seen, sizeof(seen))) TH_LOG("%s", seen);
	reg_wr(stim, STIM_SET, 1u << 20);
	pthread_join(w.th, NULL);
	reg_wr(stim, STIM_CLEAR, 1u << 20);
	EXPECT_EQ(0, w.ret);
	close(w.fd);
}

/*
 * The flags field of the next line of a PYNQ_IRQ_FORMAT_TEXT_FULL file,
 * waiting up to 2 s for it; 0, or -1 if none came or it is malformed.
 */
static int next_flags(int fd, char *flags, size_t len)
{
	char buf[256], fmt[48];
	ssize_t r;

	if (poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1, 2000) != 1)
		return -1;
	r = read(fd, buf, sizeof(buf) - 1);
	if (r <= 0)
		return -1;
	buf[r] = 0;
	snprintf(fmt, sizeof(fmt), "%%*u %%*s %%*u %%*u %%*u %%%zus", len - 1);
	return sscanf(buf, fmt, flags) == 1 ? 0 : -1;
}

/*
 * Loading the PL again resets the INTC: the next wait on any of its pins
 * notices, restores it, says so once, and flags the next event of every
 * open file of its pins.
 */
TEST(pl_reload_restores_the_pins)
{
	struct pynq_irq_setting full = { .value = PYNQ_IRQ_FORMAT_TEXT_FULL };
	char buf[256], flags[32];
	int a, b, logs0, n;

	if (!stim) {
		stim = board_map(BOARD_STIM_BASE, 0x1000);
		intc = board_map(BOARD_INTC_BASE, 0x1000);
	}
	reg_wr(stim, STIM_LEVEL, 0);
	a = board_open_pin(0, O_RDONLY | O_NONBLOCK);
	b = board_open_pin(5, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, a);
	ASSERT_LE(0, b);
	ASSERT_EQ(0, ioctl(a, PYNQ_IRQ_SET_FORMAT, &full));
	ASSERT_EQ(0, ioctl(b, PYNQ_IRQ_SET_FORMAT, &full));
	ASSERT_EQ(INTC_MER_ME | INTC_MER_HIE, reg_rd(intc, INTC_MER));
	logs0 = dmesg_count("the INTC was reset");

	reg_wr(stim, STIM_RESET_INTC, 1);
	EXPECT_EQ(0, reg_rd(intc, INTC_MER));
	EXPECT_EQ(0, reg_rd(intc, INTC_IER));

	/* One wait on pin 0 (a read that finds nothing) restores it. */
	EXPECT_EQ(-1, read(a, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(INTC_MER_ME | INTC_MER_HIE, reg_rd(intc, INTC_MER));
	EXPECT_EQ(1u << 0 | 1u << 5, reg_rd(intc, INTC_IER) & (1u << 0 | 1u << 5));
	EXPECT_EQ(1, dmesg_count("the INTC was reset") - logs0);

	/* Both pins work, and their next event says what happened. */
	for (n = 0; n < 2; n++) {
		reg_wr(stim, STIM_PULSE, 1u << 0 | 1u << 5);
		ASSERT_EQ(0, next_flags(a, flags, sizeof(flags)));
		EXPECT_STREQ(n ? "-" : "reset", flags) TH_LOG("pin 0, %d", n);
		ASSERT_EQ(0, next_flags(b, flags, sizeof(flags)));
		EXPECT_STREQ(n ? "-" : "reset", flags) TH_LOG("pin 5, %d", n);
	}
	/* Said once: the next wait finds nothing to restore. */
	EXPECT_EQ(-1, read(a, buf, sizeof(buf)));
	EXPECT_EQ(1, dmesg_count("the INTC was reset") - logs0);
	close(a);
	close(b);
}

TEST_HARNESS_MAIN
