/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /dev/pynq-irq nodes in the tests: text lines parsed into events,
 * with a timeout.
 */
#ifndef PYNQ_IRQ_EVENTS_H
#define PYNQ_IRQ_EVENTS_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/pynq-irq.h>

struct ev {
	uint64_t seqno;
	uint64_t ns;
	uint32_t lost;
};

static inline uint64_t now_ns(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A thread blocked in read() or poll() on a node while the test removes the
 * node's device: ret is read()'s -errno (0 if it read an event) or poll()'s
 * revents (0 on its 10 s timeout); done_ns is when the call returned.
 */
struct waiter {
	pthread_t th;
	const char *name;	/* for messages */
	int fd;
	bool use_poll;
	int ret;
	uint64_t done_ns;
};

static inline void *waiter_run(void *arg)
{
	struct waiter *w = arg;
	char buf[64];

	if (w->use_poll) {
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

		w->ret = poll(&pfd, 1, 10000) == 1 ? pfd.revents : 0;
	} else {
		w->ret = read(w->fd, buf, sizeof(buf)) < 0 ? -errno : 0;
	}
	w->done_ns = now_ns(CLOCK_MONOTONIC);
	return NULL;
}

/* Parse "<seqno> <sec>.<nsec> <lost>\n"; 0 when the line is well formed. */
static inline int parse_event(const char *line, struct ev *e)
{
	unsigned long long seq, sec;
	char frac[16];
	unsigned int lost;
	int n = -1;

	if (sscanf(line, "%llu %llu.%15[0-9] %u%n", &seq, &sec, frac, &lost,
		   &n) != 4 || strlen(frac) != 9 || line[n] != '\n')
		return -1;
	e->seqno = seq;
	e->ns = sec * 1000000000ull + strtoull(frac, NULL, 10);
	e->lost = lost;
	return 0;
}

/*
 * Wait up to timeout_ms for the non-blocking text-mode fd to be readable,
 * then read what is queued (until EAGAIN). Returns the number of events
 * stored in out (at most max), or -1 on a malformed line or read error.
 */
static inline int read_events(int fd, struct ev *out, int max, int timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	static char buf[65536];
	size_t len = 0;
	char *line, *nl;
	ssize_t r;
	int n = 0;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	for (;;) {
		r = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0)
			return -1;
		len += r;
		if (len >= sizeof(buf) - 1)
			break;
	}
	buf[len] = 0;
	for (line = buf; (nl = strchr(line, '\n')); line = nl + 1) {
		if (n < max && parse_event(line, &out[n]))
			return -1;
		n++;
	}
	if (*line)
		return -1;	/* a partial line */
	return n < max ? n : max;
}

#endif
