/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading /dev/pynq-irq nodes in the tests: text lines parsed into events,
 * with a timeout.
 */
#ifndef PYNQ_IRQ_EVENTS_H
#define PYNQ_IRQ_EVENTS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
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
	pid_t tid;		/* the thread's id, once it runs */
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

	__atomic_store_n(&w->tid, gettid(), __ATOMIC_RELEASE);

	if (w->use_poll) {
		struct pollfd pfd = { .fd = w->fd, .events = POLLIN };

		w->ret = poll(&pfd, 1, 10000) == 1 ? pfd.revents : 0;
	} else {
		w->ret = read(w->fd, buf, sizeof(buf)) < 0 ? -errno : 0;
	}
	w->done_ns = now_ns(CLOCK_MONOTONIC);
	return NULL;
}

/*
 * The state letter (field 3 of /proc/TID/stat) and the kernel function it
 * sleeps in (/proc/TID/wchan) of a task or thread; 0 and "" if gone.
 */
static inline char task_state(pid_t tid, char *wchan, size_t len)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	if (wchan && len)
		wchan[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return 0;
	if (wchan && len) {
		snprintf(path, sizeof(path), "/proc/%d/wchan", tid);
		fd = open(path, O_RDONLY);
		if (fd >= 0) {
			n = read(fd, wchan, len - 1);
			wchan[n > 0 ? n : 0] = 0;
			close(fd);
		}
	}
	return p[2];
}

/*
 * Wait up to 5 s until task @tid sleeps (state S) in a kernel function
 * whose name contains @where (e.g. "line_read", "poll"): a wait that must
 * be blocked is seen blocked, not assumed after a sleep. 0, or -1 with
 * what was last seen in @seen.
 */
static inline int wait_blocked(pid_t tid, const char *where, char *seen,
			       size_t len)
{
	char wchan[64];
	char st = 0;
	int i;

	for (i = 0; i < 500; i++) {
		st = task_state(tid, wchan, sizeof(wchan));
		if (st == 'S' && strstr(wchan, where))
			return 0;
		usleep(10000);
	}
	snprintf(seen, len, "state %c in '%s'", st ? st : '?', wchan);
	return -1;
}

/* Wait until a waiter thread started by waiter_run() is blocked. */
static inline int waiter_blocked(struct waiter *w, char *seen, size_t len)
{
	pid_t tid;
	int i;

	for (i = 0; i < 500; i++) {
		tid = __atomic_load_n(&w->tid, __ATOMIC_ACQUIRE);
		if (tid)
			return wait_blocked(tid, w->use_poll ? "poll" :
					    "line_read", seen, len);
		usleep(10000);
	}
	snprintf(seen, len, "the thread did not start");
	return -1;
}

/**
 * struct counter - a thread reading binary records of one node, and
 *	checking their sequence numbers
 * @fd: the node, binary format
 * @cpu: the CPU it runs on, or -1 for any
 * @want: records to read before it stops
 * @events: records read
 * @lost: their lost counts, summed
 * @gaps: records whose seqno is not the previous one + 1 + lost
 * @on_cpu: the CPU it read on last (sched_getcpu())
 */
struct counter {
	pthread_t th;
	int fd;
	int cpu;
	unsigned long want;
	unsigned long events, lost, gaps;
	int on_cpu;
};

static inline void *counter_run(void *arg)
{
	struct counter *c = arg;
	struct pynq_irq_event rec[64];
	uint64_t last = 0;
	ssize_t r;
	int i;

	if (c->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(c->cpu, &set);
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	}
	while (c->events + c->lost < c->want) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };

		if (poll(&pfd, 1, 60000) <= 0)
			break;
		r = read(c->fd, rec, sizeof(rec));
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r <= 0)
			break;
		c->on_cpu = sched_getcpu();
		for (i = 0; i < r / (int)sizeof(rec[0]); i++) {
			if (last && rec[i].seqno != last + 1 + rec[i].lost)
				c->gaps++;
			last = rec[i].seqno;
			c->events++;
			c->lost += rec[i].lost;
		}
	}
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
