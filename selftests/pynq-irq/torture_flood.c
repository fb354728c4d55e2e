// SPDX-License-Identifier: GPL-2.0
/*
 * Floods with exact accounting (make torture): free-running trains on an
 * edge pin, at a rate the board sustains and at the stimulus's top rate,
 * which it does not, with a client of every kind on the pin: default
 * text lines, binary records, a slow reader, a stalled one (a 16-event
 * queue, read only at the end), a coalescing one, and a late text reader
 * (the default queue, read only at the end, in reads that end inside a
 * line, as a shell's buffered reads do). The storm throttle
 * is off, so that every edge the INTC latched is an interrupt:
 *  - the kernel took exactly PULSES - MERGED interrupts (the stimulus's
 *    ground truth, less the edges the INTC merged before the kernel could
 *    see them, which the stimulus counts in MERGED);
 *  - every client accounts for each of them: 1 + merged a record, plus
 *    the lost of each record (in text lines, lost also counts what a
 *    throttle suppressed: here nothing).
 * 10,000 pulses in make check, 1,000,000 under make torture.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

#define PIN		2
#define STALLED_DEPTH	16
#define COALESCE_US	50

enum { TEXT, BINARY, SLOW, STALLED, COALESCING, LATE_TEXT, CLIENTS };

static const char *const kind[CLIENTS] = {
	"text", "binary", "slow", "stalled", "coalescing", "late text",
};

/* Read only at the end: the stalled and the late text clients. */
static bool late(int i)
{
	return i == STALLED || i == LATE_TEXT;
}

/**
 * struct client - one open file of the pin and what it read
 * @fd: the file, non-blocking
 * @records: records (or text lines) read
 * @accounted: interrupts they account for: 1 + merged + lost + suppressed
 *	a record (1 + lost a text line)
 * @bad: malformed lines, read errors, or records of another pin
 * @part: a text line's start, read without its end: a read ends where
 *	its buffer does, inside a line when the backlog is longer
 * @part_len: its length
 */
struct client {
	int fd;
	uint64_t records, accounted, bad;
	char part[64];
	size_t part_len;
};

/**
 * struct flood - the clients and the thread that reads all but the
 *	stalled one
 * @th: the thread
 * @c: the clients
 * @stop: set to end the thread
 */
struct flood {
	pthread_t th;
	struct client c[CLIENTS];
	int stop;
};

static const struct pynq_irq_setting binary = {
	.value = PYNQ_IRQ_FORMAT_BINARY,
};

/* Read what @c has queued; the records' or lines' count. */
static int drain(struct client *c, int text)
{
	static __thread char buf[8192];
	struct pynq_irq_event rec[64];
	char *line, *nl;
	struct ev e;
	ssize_t n;
	int k, got = 0;

	if (text) {
		memcpy(buf, c->part, c->part_len);
		n = read(c->fd, buf + c->part_len,
			 sizeof(buf) - 1 - c->part_len);
		if (n <= 0)
			return n < 0 && errno != EAGAIN ? (c->bad++, 0) : 0;
		n += c->part_len;
		buf[n] = 0;
		for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
			if (parse_event(line, &e)) {
				c->bad++;
				continue;
			}
			c->records++;
			c->accounted += 1 + e.lost;
			got++;
		}
		c->part_len = strlen(line);
		if (c->part_len >= sizeof(c->part)) {
			c->bad++;	/* no event line is this long */
			c->part_len = 0;
		}
		memcpy(c->part, line, c->part_len);
		return got;
	}
	n = read(c->fd, rec, sizeof(rec));
	if (n <= 0)
		return n < 0 && errno != EAGAIN ? (c->bad++, 0) : 0;
	for (k = 0; k < n / (int)sizeof(rec[0]); k++) {
		if (rec[k].number != PIN || rec[k].flags)
			c->bad++;
		c->records++;
		c->accounted += 1ull + rec[k].merged + rec[k].lost +
				rec[k].suppressed;
	}
	return k;
}

static void *flood_run(void *arg)
{
	struct flood *f = arg;
	struct pollfd pfd[CLIENTS];
	int i, n;

	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		n = 0;
		for (i = 0; i < CLIENTS; i++) {
			if (late(i))
				continue;
			pfd[n].fd = f->c[i].fd;
			pfd[n].events = POLLIN;
			n++;
		}
		if (poll(pfd, n, 100) <= 0)
			continue;
		drain(&f->c[TEXT], 1);
		drain(&f->c[BINARY], 0);
		drain(&f->c[COALESCING], 0);
		/* The slow one: one batch, then a millisecond's nap. */
		if (drain(&f->c[SLOW], 0))
			usleep(1000);
	}
	return NULL;
}

static volatile uint32_t *stim;

FIXTURE(flood) {
	struct flood f;
	long long irqs0;
};

FIXTURE_SETUP(flood)
{
	struct pynq_irq_setting s = { 0 };
	int i;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_ACK_SEL, 0);
	memset(&self->f, 0, sizeof(self->f));
	for (i = 0; i < CLIENTS; i++) {
		self->f.c[i].fd = board_open_pin(PIN, O_RDONLY | O_NONBLOCK);
		ASSERT_LE(0, self->f.c[i].fd) TH_LOG("%s", kind[i]);
		if (i != TEXT && i != LATE_TEXT)
			ASSERT_EQ(0, ioctl(self->f.c[i].fd, PYNQ_IRQ_SET_FORMAT,
					   &binary));
	}
	s.value = STALLED_DEPTH;
	ASSERT_EQ(0, ioctl(self->f.c[STALLED].fd, PYNQ_IRQ_SET_QUEUE_DEPTH, &s));
	s.value = COALESCE_US;
	ASSERT_EQ(0, ioctl(self->f.c[COALESCING].fd, PYNQ_IRQ_SET_COALESCE, &s));
	ASSERT_EQ(0, board_pin_set_attr(PIN, "rate_limit", "0"));
	self->irqs0 = board_pin_attr(PIN, "interrupts");
	ASSERT_EQ(0, pthread_create(&self->f.th, NULL, flood_run, &self->f));
}

FIXTURE_TEARDOWN(flood)
{
	int i;

	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	__atomic_store_n(&self->f.stop, 1, __ATOMIC_RELEASE);
	pthread_join(self->f.th, NULL);
	for (i = 0; i < CLIENTS; i++)
		close(self->f.c[i].fd);
	board_pin_set_attr(PIN, "rate_limit", "20000");
}

/* Every client but the late ones has read all there is; within @s s. */
static bool caught_up(struct flood *f, long long irqs, int s)
{
	int i, tries;

	for (tries = 0; tries < s * 10; tries++) {
		for (i = 0; i < CLIENTS; i++)
			if (!late(i) && (long long)
			    __atomic_load_n(&f->c[i].accounted,
					    __ATOMIC_ACQUIRE) != irqs)
				break;
		if (i == CLIENTS)
			return true;
		usleep(100000);
	}
	return false;
}

/*
 * A train of @count pulses @period_ns apart on the pin; then the checks
 * of the file's comment.
 */
static void flood(struct __test_metadata *_metadata, FIXTURE_DATA(flood) *self,
		  uint32_t period_ns, uint32_t count)
{
	uint32_t p0 = reg_rd(stim, STIM_PULSES), m0 = reg_rd(stim, STIM_MERGED);
	double t0 = now_ns(CLOCK_MONOTONIC) / 1e9;
	struct client *st = &self->f.c[STALLED];
	uint32_t pulses, merged;
	long long irqs;
	int i, tries;

	reg_wr(stim, STIM_TRAIN_MASK, 1u << PIN);
	reg_wr(stim, STIM_TRAIN_PERIOD, period_ns);
	reg_wr(stim, STIM_TRAIN_COUNT, count);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);
	for (tries = 0; reg_rd(stim, STIM_TRAIN_LEFT) && tries < 36000; tries++)
		usleep(100000);
	ASSERT_EQ(0, reg_rd(stim, STIM_TRAIN_LEFT)) TH_LOG("the train did not end");
	/* The last edge's interrupt, and the coalescing window's end. */
	usleep(200000);
	pulses = reg_rd(stim, STIM_PULSES) - p0;
	merged = reg_rd(stim, STIM_MERGED) - m0;
	irqs = board_pin_attr(PIN, "interrupts") - self->irqs0;
	EXPECT_EQ(count, pulses);
	EXPECT_EQ((long long)(pulses - merged), irqs)
		TH_LOG("%u pulses, %u merged in the INTC, %lld interrupts",
		       pulses, merged, irqs);
	EXPECT_TRUE(caught_up(&self->f, irqs, 30));
	while (drain(st, 0) > 0)
		;
	while (drain(&self->f.c[LATE_TEXT], 1) > 0)
		;
	EXPECT_GE(STALLED_DEPTH, (long long)st->records);
	for (i = 0; i < CLIENTS; i++) {
		EXPECT_EQ(irqs, (long long)self->f.c[i].accounted)
			TH_LOG("%s: %llu records", kind[i],
			       (unsigned long long)self->f.c[i].records);
		EXPECT_EQ(0, self->f.c[i].bad) TH_LOG("%s", kind[i]);
		EXPECT_EQ(0, self->f.c[i].part_len)
			TH_LOG("%s: a line without its end", kind[i]);
	}
	ksft_print_msg("torture: flood: %u pulses %u ns apart in %.1f s: %u merged in the INTC, %lld interrupts; records: text %llu, binary %llu, slow %llu, stalled %llu, coalescing %llu, late text %llu\n",
		       pulses, period_ns, now_ns(CLOCK_MONOTONIC) / 1e9 - t0,
		       merged, irqs,
		       (unsigned long long)self->f.c[TEXT].records,
		       (unsigned long long)self->f.c[BINARY].records,
		       (unsigned long long)self->f.c[SLOW].records,
		       (unsigned long long)st->records,
		       (unsigned long long)self->f.c[COALESCING].records,
		       (unsigned long long)self->f.c[LATE_TEXT].records);
	fflush(stdout);
}

/* 2 ms apart: a rate the board takes pulse by pulse. */
TEST_F_TIMEOUT(flood, sustained_rate, 3600)
{
	flood(_metadata, self, 2000000, board_torture(2000, 100000));
}

/* 1 us apart, the stimulus's top rate: the INTC merges most of them. */
TEST_F_TIMEOUT(flood, top_rate, 3600)
{
	flood(_metadata, self, 1000, board_torture(8000, 900000));
}

TEST_HARNESS_MAIN
