// SPDX-License-Identifier: GPL-2.0
/*
 * bench - the board side of 'make bench': latency, throughput, CPU cost
 * and SGI round trips of each way of taking an interrupt, against the
 * stimulus block's ground truth (STAMP, NOW, PULSES). Every figure is one
 * line "BENCH {json}" on stdout, for scripts/bench-report.py.
 *
 *   bench latency PATH EVENTS PERIOD_NS [PINS [READERS]]
 *	a free-running train of EVENTS pulses, PERIOD_NS apart (long enough
 *	for the reader to sleep and the CPU to idle before each), on PINS
 *	pins (0, 1, ...), read by READERS readers: the time from each pulse
 *	(STAMP) to NOW right after the read returned it
 *   bench rate PATH PULSES
 *	trains of PULSES pulses at a ladder of rates, then a bisection: the
 *	delivered fraction at each rate and the highest rate with no loss
 *	(loss = PULSES - events the reader read)
 *   bench cost PATH RATE_HZ EVENTS [PINS [READERS]]
 *	guest CPU time per event at a fixed rate, measured by what it takes
 *	away from soakers (one SCHED_IDLE busy loop per CPU)
 *   bench sgi-rtt EVENTS
 *	write to cpu1-kick, CPU1 echoes, read from cpu1-done (AMP board, the
 *	CPU1 program started with 'cpu1ctl cmd echo 8 12')
 *   bench sgi-raise COUNT
 *	COUNT writes to cpu1-kick back to back
 *   bench soak start|stop
 *	soakers for programs that measure their own cost (bench_py.py): the
 *	counters are in SOAK_FILE
 *
 * PATH is text, binary (pynq-irq nodes, blocking read()), epoll32 (one
 * epoll over all 32 pin nodes, binary records) or uio (the PYNQ way, in
 * C: $BENCH_UIO, the INTC bound to uio_pdrv_genirq; wait, read IPR,
 * acknowledge, re-enable, as uio_intc.c does).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <linux/pynq-irq.h>

#include "board.h"

#define SOAK_FILE	"/tmp/bench-soak"
#define SOAK_MAGIC	0x4b414f53u	/* "SOAK" */
#define SOAK_BLOCK	1000		/* loop iterations per count */
#define MAX_CPUS	8
#define MAX_READERS	8
#define RECS		64

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

static volatile uint32_t *stim, *uio_regs;
static int profile_cpus;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("bench: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Virtual time of the board, in ns: QEMU's clock, as STAMP is. */
static uint64_t vnow(void)
{
	uint32_t lo = reg_rd(stim, STIM_NOW_LO);

	return (uint64_t)reg_rd(stim, STIM_NOW_HI) << 32 | lo;
}

static uint64_t vstamp(void)
{
	uint32_t lo = reg_rd(stim, STIM_STAMP_LO);

	return (uint64_t)reg_rd(stim, STIM_STAMP_HI) << 32 | lo;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000ull,
			       .tv_nsec = ns % 1000000000ull };

	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
}

/*
 * CLOCK_MONOTONIC minus the board's virtual time: both follow QEMU's
 * virtual clock, at a constant offset. The closest bracket of 16 wins.
 */
static int64_t mono_offset(void)
{
	int64_t best = 0;
	uint64_t width = UINT64_MAX;

	for (int i = 0; i < 16; i++) {
		uint64_t a = mono_ns(), v = vnow(), b = mono_ns();

		if (b - a < width) {
			width = b - a;
			best = (int64_t)(a + (b - a) / 2) - (int64_t)v;
		}
	}
	return best;
}

static void train(uint32_t mask, uint32_t count, uint32_t period)
{
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_TRAIN_MASK, mask);
	reg_wr(stim, STIM_TRAIN_PERIOD, period);
	reg_wr(stim, STIM_TRAIN_COUNT, count);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_START);
}

static uint32_t pin_mask(int pins)
{
	return pins >= 32 ? 0xffffffffu : (1u << pins) - 1;
}

/* ---- Readers: one way of taking a pin's interrupts each ---- */

enum kind { K_TEXT, K_BINARY, K_EPOLL, K_UIO };

static const char *const path_names[] = {
	[K_TEXT] = "pynq-irq-text",
	[K_BINARY] = "pynq-irq-binary",
	[K_EPOLL] = "pynq-irq-epoll32",
	[K_UIO] = "uio-c",
};

/* One event as a reader sees it; ts is 0 where the path has none. */
struct rec {
	uint64_t seqno;
	uint64_t ts;
	uint32_t lost;
	uint32_t pin;
};

struct reader {
	enum kind kind;
	uint32_t mask;		/* pins this reader takes */
	int fd;			/* the node, or /dev/uioN */
	int ep;			/* epoll32: the epoll */
	int pfd[BOARD_PINS];	/* epoll32: every pin's node */
	char text[4096];	/* text: what a read left of a line */
	size_t text_len;
};

static enum kind parse_kind(const char *s)
{
	if (!strcmp(s, "text"))
		return K_TEXT;
	if (!strcmp(s, "binary"))
		return K_BINARY;
	if (!strcmp(s, "epoll32"))
		return K_EPOLL;
	if (!strcmp(s, "uio"))
		return K_UIO;
	die("unknown path '%s' (text, binary, epoll32, uio)", s);
}

static int open_binary(int pin, int flags)
{
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	int fd = board_open_pin(pin, flags);

	if (fd < 0)
		die("open pin %d: %s", pin, strerror(errno));
	if (ioctl(fd, PYNQ_IRQ_SET_FORMAT, &fmt))
		die("PYNQ_IRQ_SET_FORMAT: %s", strerror(errno));
	return fd;
}

/* The PYNQ way: the INTC's registers through UIO's map 0. */
static int open_uio(void)
{
	const char *dev = getenv("BENCH_UIO");
	int fd;

	if (!dev)
		die("uio: BENCH_UIO names no /dev/uioN (bind the INTC first)");
	fd = open(dev, O_RDWR);
	if (fd < 0)
		die("open %s: %s", dev, strerror(errno));
	if (!uio_regs) {
		void *p = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
			       MAP_SHARED, fd, 0);

		if (p == MAP_FAILED)
			die("mmap %s: %s", dev, strerror(errno));
		uio_regs = p;
	}
	return fd;
}

static void uio_enable(int fd)
{
	uint32_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one))
		die("uio enable: %s", strerror(errno));
}

/* Pin 'first' and the next ones, as the mask says, for one reader. */
static void reader_open(struct reader *r, enum kind kind, uint32_t mask)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int pin = __builtin_ctz(mask);

	memset(r, 0, sizeof(*r));
	r->kind = kind;
	r->mask = mask;
	r->ep = -1;
	switch (kind) {
	case K_TEXT:
		r->fd = board_open_pin(pin, O_RDONLY);
		if (r->fd < 0)
			die("open pin %d: %s", pin, strerror(errno));
		break;
	case K_BINARY:
		r->fd = open_binary(pin, O_RDONLY);
		break;
	case K_EPOLL:
		r->ep = epoll_create1(0);
		for (int i = 0; i < BOARD_PINS; i++) {
			r->pfd[i] = open_binary(i, O_RDONLY | O_NONBLOCK);
			ev.data.u32 = i;
			if (epoll_ctl(r->ep, EPOLL_CTL_ADD, r->pfd[i], &ev))
				die("epoll_ctl: %s", strerror(errno));
		}
		break;
	case K_UIO:
		r->fd = open_uio();
		reg_wr(uio_regs, INTC_IAR, 0xffffffffu);
		reg_wr(uio_regs, INTC_IER, mask);
		reg_wr(uio_regs, INTC_MER, INTC_MER_ME | INTC_MER_HIE);
		uio_enable(r->fd);
		break;
	}
}

static void reader_close(struct reader *r)
{
	if (r->kind == K_EPOLL) {
		for (int i = 0; i < BOARD_PINS; i++)
			close(r->pfd[i]);
		close(r->ep);
		return;
	}
	if (r->kind == K_UIO)
		reg_wr(uio_regs, INTC_IER, 0);
	close(r->fd);
}

static int parse_text(struct reader *r, struct rec *out, int max)
{
	char *p = r->text, *end = r->text + r->text_len, *nl;
	int n = 0;

	while (n < max && (nl = memchr(p, '\n', end - p))) {
		unsigned long long seq, sec, nsec;
		unsigned int lost;

		*nl = 0;
		if (sscanf(p, "%llu %llu.%llu %u", &seq, &sec, &nsec,
			   &lost) != 4)
			die("text line '%s'", p);
		out[n++] = (struct rec){ .seqno = seq, .lost = lost,
					 .ts = sec * 1000000000ull + nsec,
					 .pin = __builtin_ctz(r->mask) };
		p = nl + 1;
	}
	r->text_len = end - p;
	memmove(r->text, p, r->text_len);
	return n;
}

static int take_binary(int fd, struct rec *out, int max)
{
	struct pynq_irq_event e[RECS];
	ssize_t got;
	int n;

	if (max > RECS)
		max = RECS;
	got = read(fd, e, max * sizeof(e[0]));
	if (got < 0)
		return -1;
	n = got / sizeof(e[0]);
	for (int i = 0; i < n; i++)
		out[i] = (struct rec){ .seqno = e[i].seqno,
				       .ts = e[i].timestamp_ns,
				       .lost = e[i].lost, .pin = e[i].number };
	return n;
}

/*
 * Wait for events and take them: up to max records, at least one, unless
 * the wait fails (-1, errno set: EINTR when the run's end interrupted it,
 * EAGAIN when nonblock and there was nothing). UIO: one interrupt, then
 * one record per pending pin, acknowledged and re-enabled.
 */
static int reader_take(struct reader *r, struct rec *out, int max,
		       bool nonblock)
{
	struct epoll_event evs[BOARD_PINS];
	uint32_t count, ipr;
	int n = 0, got;

	switch (r->kind) {
	case K_TEXT:
		if (r->text_len && memchr(r->text, '\n', r->text_len))
			return parse_text(r, out, max);
		for (;;) {
			ssize_t len;

			if (nonblock)
				fcntl(r->fd, F_SETFL, O_NONBLOCK);
			len = read(r->fd, r->text + r->text_len,
				   sizeof(r->text) - r->text_len);
			if (nonblock)
				fcntl(r->fd, F_SETFL, 0);
			if (len < 0)
				return -1;
			r->text_len += len;
			n = parse_text(r, out, max);
			if (n)
				return n;
		}
	case K_BINARY:
		if (nonblock)
			fcntl(r->fd, F_SETFL, O_NONBLOCK);
		n = take_binary(r->fd, out, max);
		if (nonblock)
			fcntl(r->fd, F_SETFL, 0);
		return n;
	case K_EPOLL:
		got = epoll_wait(r->ep, evs, BOARD_PINS, nonblock ? 0 : -1);
		if (got <= 0) {
			if (!got)
				errno = EAGAIN;
			return -1;
		}
		for (int i = 0; i < got && n < max; i++) {
			int k = take_binary(r->pfd[evs[i].data.u32], out + n,
					    max - n);

			if (k > 0)
				n += k;
		}
		if (!n)
			errno = EAGAIN;
		return n ? n : -1;
	case K_UIO:
		if (!nonblock && read(r->fd, &count, sizeof(count)) < 0)
			return -1;
		ipr = reg_rd(uio_regs, INTC_IPR) & r->mask;
		if (ipr)
			reg_wr(uio_regs, INTC_IAR, ipr);
		if (!nonblock)
			uio_enable(r->fd);
		while (ipr && n < max) {
			out[n++] = (struct rec){ .pin = __builtin_ctz(ipr) };
			ipr &= ipr - 1;
		}
		if (!n)
			errno = EAGAIN;
		return n ? n : -1;
	}
	return -1;
}

/* ---- Statistics and output ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted v[0..n-1]. */
static uint32_t pct(const uint32_t *v, size_t n, double q)
{
	size_t i = (size_t)ceil(q * n);

	return v[i ? i - 1 : 0];
}

static void print_stats(const char *name, uint32_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u32);
	printf("\"%s\":{\"min\":%u,\"p50\":%u,\"p99\":%u,\"p999\":%u,\"max\":%u}",
	       name, v[0], pct(v, n, 0.5), pct(v, n, 0.99), pct(v, n, 0.999),
	       v[n - 1]);
}

/* 200 points of the distribution of sorted v, for the CDF plot. */
static void print_cdf(const uint32_t *v, size_t n)
{
	printf("\"cdf\":[");
	for (int i = 0; i < 200; i++) {
		size_t k = (size_t)i * (n - 1) / 199;

		printf("%s[%u,%.6f]", i ? "," : "", v[k], (double)(k + 1) / n);
	}
	printf("]");
}

static void begin(const char *kind)
{
	printf("BENCH {\"kind\":\"%s\",\"profile\":\"%s\"", kind,
	       profile_cpus > 1 ? "smp" : "amp");
}

static void end(void)
{
	printf("}\n");
	fflush(stdout);
}

/* ---- Latency ---- */

/* What one reader measured, in memory shared with the parent. */
struct lat_result {
	uint32_t events;
	uint32_t overruns;	/* a later pulse came before NOW was read */
	uint32_t bad;		/* events out of order or lost */
	uint32_t *lat;		/* ns, one per event */
	uint32_t *pre;		/* ns before the hard-IRQ stamp, or NULL */
};

struct lat_job {
	enum kind kind;
	uint32_t mask;		/* this reader's pins */
	uint32_t pulses;	/* train pulses to expect */
	uint32_t all_pins;	/* pins of the train: PULSES counts them all */
	uint32_t pulses0;	/* PULSES before the train */
	int64_t offset;		/* CLOCK_MONOTONIC - virtual time */
	struct lat_result *res;
	volatile int *ready;
};

static void *lat_reader(void *arg)
{
	struct lat_job *j = arg;
	struct lat_result *res = j->res;
	int per_pulse = __builtin_popcount(j->mask);
	uint32_t want = j->pulses * per_pulse, n = 0, done_pulses = 0;
	uint64_t seq0 = 0;
	bool first = true;
	struct reader r;
	struct rec e[RECS];

	reader_open(&r, j->kind, j->mask);
	__atomic_add_fetch(j->ready, 1, __ATOMIC_RELEASE);
	while (n < want) {
		int got = reader_take(&r, e, RECS, false);
		uint64_t now, stamp;
		uint32_t pulses;

		if (got < 0)
			die("latency read: %s", strerror(errno));
		now = vnow();
		stamp = vstamp();
		pulses = reg_rd(stim, STIM_PULSES) - j->pulses0;
		for (int i = 0; i < got && n < want; i++, n++) {
			uint64_t idx;

			/* Which pulse of the train this event is. */
			if (r.kind == K_UIO) {
				idx = done_pulses + 1;
			} else {
				if (first)
					seq0 = e[i].seqno - 1;
				first = false;
				idx = e[i].seqno - seq0;
				if (e[i].lost)
					res->bad++;
			}
			if (pulses != idx * j->all_pins) {
				if (!res->overruns++)
					fprintf(stderr,
						"bench: first overrun: event %" PRIu64 " of the train, %u pulses so far\n",
						idx, pulses);
				continue;
			}
			res->lat[res->events] = now - stamp;
			if (res->pre) {
				int64_t pre = (int64_t)(e[i].ts - j->offset) -
					      (int64_t)stamp;

				res->pre[res->events] = pre < 0 ? 0 : pre;
			}
			res->events++;
		}
		done_pulses++;
	}
	reader_close(&r);
	return NULL;
}

static void *shared(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	return p;
}

/* Wait until process/thread tid sleeps (state S), at most 5 s. */
static void wait_sleeping(pid_t tid)
{
	char path[64], buf[256], *p;

	snprintf(path, sizeof(path), "/proc/%d/stat", tid);
	for (int i = 0; i < 5000; i++) {
		if (sysfs_read(path, buf, sizeof(buf)) > 0 &&
		    (p = strrchr(buf, ')')) && p[2] == 'S')
			return;
		sleep_ns(1000000);
	}
	die("reader %d never blocked", tid);
}

struct lat_thread {
	struct lat_job job;
	pthread_t th;
	pid_t tid;
};

static void *lat_thread_run(void *arg)
{
	struct lat_thread *t = arg;

	__atomic_store_n(&t->tid, gettid(), __ATOMIC_RELEASE);
	return lat_reader(&t->job);
}

/*
 * pins > 1: one thread per pin, each blocked in its own read(); uio: one
 * reader for all pins. readers > 1: that many processes on pin 0.
 */
static int cmd_latency(enum kind kind, uint32_t events, uint32_t period,
		       int pins, int readers)
{
	uint32_t mask = pin_mask(pins), total = 0, overruns = 0, bad = 0;
	int threads = (kind == K_UIO || kind == K_EPOLL) ? 1 : pins;
	int units = readers > 1 ? readers : threads, per;
	volatile int *ready = shared(sizeof(int));
	struct lat_thread *t = calloc(units, sizeof(*t));
	struct lat_result *res = shared(units * sizeof(*res));
	uint32_t *all_lat, *all_pre = NULL;
	pid_t pid[MAX_READERS];
	int64_t offset = mono_offset();
	uint32_t pulses0 = reg_rd(stim, STIM_PULSES);

	if (readers > MAX_READERS)
		die("at most %d readers", MAX_READERS);
	*ready = 0;
	for (int u = 0; u < units; u++) {
		uint32_t m = readers > 1 ? 1u : threads == 1 ? mask : 1u << u;

		per = __builtin_popcount(m);
		res[u].lat = shared((size_t)events * per * sizeof(uint32_t));
		if (kind != K_UIO)
			res[u].pre = shared((size_t)events * per *
					    sizeof(uint32_t));
		t[u].job = (struct lat_job){
			.kind = kind, .mask = m, .pulses = events,
			.all_pins = __builtin_popcount(readers > 1 ? 1 : mask),
			.pulses0 = pulses0, .offset = offset, .res = &res[u],
			.ready = ready,
		};
	}
	if (readers > 1) {
		for (int u = 0; u < units; u++) {
			pid[u] = fork();
			if (pid[u] < 0)
				die("fork: %s", strerror(errno));
			if (!pid[u]) {
				lat_reader(&t[u].job);
				_exit(0);
			}
		}
		while (__atomic_load_n(ready, __ATOMIC_ACQUIRE) < units)
			sleep_ns(1000000);
		for (int u = 0; u < units; u++)
			wait_sleeping(pid[u]);
	} else {
		for (int u = 0; u < units; u++)
			pthread_create(&t[u].th, NULL, lat_thread_run, &t[u]);
		while (__atomic_load_n(ready, __ATOMIC_ACQUIRE) < units)
			sleep_ns(1000000);
		for (int u = 0; u < units; u++) {
			while (!__atomic_load_n(&t[u].tid, __ATOMIC_ACQUIRE))
				sleep_ns(1000000);
			wait_sleeping(t[u].tid);
		}
	}
	/* The train itself: the first pulse comes one period from now. */
	train(readers > 1 ? 1 : mask, events, period);
	for (int u = 0; u < units; u++) {
		if (readers > 1)
			waitpid(pid[u], NULL, 0);
		else
			pthread_join(t[u].th, NULL);
	}

	for (int u = 0; u < units; u++)
		total += res[u].events;
	all_lat = malloc(total * sizeof(*all_lat) + 1);
	if (kind != K_UIO)
		all_pre = malloc(total * sizeof(*all_pre) + 1);
	total = 0;
	for (int u = 0; u < units; u++) {
		memcpy(all_lat + total, res[u].lat,
		       res[u].events * sizeof(*all_lat));
		if (all_pre)
			memcpy(all_pre + total, res[u].pre,
			       res[u].events * sizeof(*all_pre));
		total += res[u].events;
		overruns += res[u].overruns;
		bad += res[u].bad;
	}
	if (!total)
		die("latency: no event measured (%u overruns)", overruns);
	begin("latency");
	printf(",\"path\":\"%s\",\"pins\":%d,\"readers\":%d,\"events\":%u,"
	       "\"overruns\":%u,\"lost\":%u,\"period_ns\":%u,",
	       path_names[kind], pins, readers, total, overruns, bad, period);
	print_stats("latency_ns", all_lat, total);
	printf(",");
	if (all_pre) {
		print_stats("pre_irq_ns", all_pre, total);
	} else {
		printf("\"pre_irq_ns\":null");
	}
	printf(",");
	print_cdf(all_lat, total);
	end();
	return bad ? 1 : 0;
}

/* ---- Throughput ---- */

static volatile sig_atomic_t run_over;

static void on_usr1(int sig)
{
	(void)sig;
}

struct stopper {
	pthread_t reader;
	uint64_t train_ns;
	volatile int *stopped;
};

/*
 * Once the train is over and the events had 20 ms to arrive, interrupt
 * the reader's wait, again every 10 ms until it noticed.
 */
static void *stopper_run(void *arg)
{
	struct stopper *s = arg;

	sleep_ns(s->train_ns);
	while (reg_rd(stim, STIM_TRAIN_LEFT))
		sleep_ns(1000000);
	sleep_ns(20000000);
	run_over = 1;
	while (!*s->stopped) {
		pthread_kill(s->reader, SIGUSR1);
		sleep_ns(10000000);
	}
	return NULL;
}

struct rate_run {
	uint32_t pulses;	/* PULSES during the train */
	uint32_t delivered;	/* events the reader read */
	uint32_t lost;		/* events the kernel counted as lost */
};

static void rate_once(enum kind kind, uint32_t count, uint32_t period,
		      struct rate_run *out)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	volatile int stopped = 0;
	struct stopper s = { .reader = pthread_self(), .stopped = &stopped,
			     .train_ns = (uint64_t)count * period };
	pthread_t th;
	struct reader r;
	struct rec e[RECS];
	uint32_t p0;
	int n;

	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: waits end */
	memset(out, 0, sizeof(*out));
	reader_open(&r, kind, 1u);
	run_over = 0;
	p0 = reg_rd(stim, STIM_PULSES);
	train(1u, count, period);
	pthread_create(&th, NULL, stopper_run, &s);
	while (!run_over) {
		n = reader_take(&r, e, RECS, false);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("rate read: %s", strerror(errno));
		}
		for (int i = 0; i < n; i++)
			out->lost += e[i].lost;
		out->delivered += n;
	}
	stopped = 1;
	pthread_join(th, NULL);
	while ((n = reader_take(&r, e, RECS, true)) > 0) {
		for (int i = 0; i < n; i++)
			out->lost += e[i].lost;
		out->delivered += n;
	}
	out->pulses = reg_rd(stim, STIM_PULSES) - p0;
	reader_close(&r);
}

static void print_rate(enum kind kind, uint32_t period,
		       const struct rate_run *rr)
{
	begin("rate");
	printf(",\"path\":\"%s\",\"rate_hz\":%.0f,\"period_ns\":%u,"
	       "\"pulses\":%u,\"delivered\":%u,\"lost_kernel\":%u",
	       path_names[kind], 1e9 / period, period, rr->pulses,
	       rr->delivered, rr->lost);
	end();
}

static int cmd_rate(enum kind kind, uint32_t count)
{
	static const uint32_t ladder[] = { 1000, 2000, 5000, 10000, 20000,
					   50000, 100000, 200000, 500000,
					   1000000 };
	uint32_t lo = 0, hi = 0;	/* periods: no loss, loss */
	struct rate_run rr;

	for (size_t i = 0; i < ARRAY_SIZE(ladder); i++) {
		uint32_t period = 1000000000u / ladder[i];

		rate_once(kind, count, period, &rr);
		print_rate(kind, period, &rr);
		if (rr.pulses != count)
			die("the train made %u pulses, not %u", rr.pulses,
			    count);
		if (rr.delivered == rr.pulses) {
			if (!hi)
				lo = period;
		} else if (!hi) {
			hi = period;
		}
	}
	/* Between the last rung with no loss and the first with loss. */
	if (lo && hi) {
		while (lo - hi > lo / 100) {
			uint32_t mid = hi + (lo - hi) / 2;

			rate_once(kind, count, mid, &rr);
			print_rate(kind, mid, &rr);
			if (rr.delivered == rr.pulses)
				lo = mid;
			else
				hi = mid;
		}
	}
	begin("zero_loss");
	if (lo)
		printf(",\"path\":\"%s\",\"rate_hz\":%.0f,\"period_ns\":%u",
		       path_names[kind], 1e9 / lo, lo);
	else
		printf(",\"path\":\"%s\",\"rate_hz\":null", path_names[kind]);
	end();
	return 0;
}

/* ---- CPU cost: soakers ---- */

/* SOAK_FILE: written by the soakers, read by whoever measures. */
struct soak {
	uint32_t magic;
	uint32_t cpus;
	double ns_per_count;	/* CPU ns of one count, all CPUs busy */
	int32_t pid[MAX_CPUS];
	uint32_t pad[4];
	struct {
		uint32_t count;	/* SOAK_BLOCK loop iterations each */
		uint32_t pad[15];
	} cpu[MAX_CPUS];
};

static struct soak *soak_map(bool create)
{
	int fd = open(SOAK_FILE, create ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR,
		      0600);
	struct soak *s;

	if (fd < 0)
		die("%s: %s", SOAK_FILE, strerror(errno));
	if (create && ftruncate(fd, sizeof(*s)))
		die("ftruncate: %s", strerror(errno));
	s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (s == MAP_FAILED)
		die("mmap %s: %s", SOAK_FILE, strerror(errno));
	return s;
}

static uint64_t soak_total(const struct soak *s)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < s->cpus; i++)
		sum += __atomic_load_n(&s->cpu[i].count, __ATOMIC_RELAXED);
	return sum;
}

/* Point stdin, stdout and stderr at /dev/null: a daemon holds no pipe. */
static void detach(void)
{
	int fd = open("/dev/null", O_RDWR);

	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

static void __attribute__((noreturn)) soaker(struct soak *s, int cpu)
{
	struct sched_param sp = { 0 };
	cpu_set_t set;

	detach();
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) ||
	    sched_setscheduler(0, SCHED_IDLE, &sp))
		die("soaker %d: %s", cpu, strerror(errno));
	for (;;) {
		for (int i = 0; i < SOAK_BLOCK; i++)
			__asm__ volatile("" ::: "memory");
		__atomic_store_n(&s->cpu[cpu].count, s->cpu[cpu].count + 1,
				 __ATOMIC_RELAXED);
	}
}

/* Start one soaker per CPU and calibrate them over 500 ms of idle. */
static struct soak *soak_start(void)
{
	struct soak *s = soak_map(true);
	uint64_t t0, t1, c0, c1;

	s->magic = SOAK_MAGIC;
	s->cpus = profile_cpus;
	for (uint32_t i = 0; i < s->cpus; i++) {
		/* Not fork() into s->pid[i]: the child would write 0 there. */
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid)
			soaker(s, i);
		s->pid[i] = pid;
	}
	sleep_ns(100000000);
	t0 = mono_ns();
	c0 = soak_total(s);
	sleep_ns(500000000);
	t1 = mono_ns();
	c1 = soak_total(s);
	if (c1 == c0)
		die("the soakers did not run");
	s->ns_per_count = (double)(t1 - t0) * s->cpus / (c1 - c0);
	return s;
}

static void soak_stop(struct soak *s)
{
	for (uint32_t i = 0; i < s->cpus; i++) {
		if (s->pid[i] <= 0)
			die("soaker %u has no pid", i);
		kill(s->pid[i], SIGKILL);
		waitpid(s->pid[i], NULL, 0);
	}
	munmap(s, sizeof(*s));
	unlink(SOAK_FILE);
}

/* CPU ns that did not go to the soakers between two readings. */
static double soak_busy(const struct soak *s, uint64_t dt, uint64_t dc)
{
	return (double)dt * s->cpus - dc * s->ns_per_count;
}

struct cost_thread {
	pthread_t th;
	enum kind kind;
	uint32_t mask;
	uint32_t want;
	uint32_t got;
	volatile int *ready;
};

static void *cost_reader(void *arg)
{
	struct cost_thread *c = arg;
	struct reader r;
	struct rec e[RECS];

	reader_open(&r, c->kind, c->mask);
	__atomic_add_fetch(c->ready, 1, __ATOMIC_RELEASE);
	while (c->got < c->want) {
		int n = reader_take(&r, e, RECS, false);

		if (n < 0)
			die("cost read: %s", strerror(errno));
		c->got += n;
	}
	reader_close(&r);
	return NULL;
}

static int cmd_cost(enum kind kind, uint32_t rate, uint32_t events,
		    int pins, int readers)
{
	uint32_t mask = pin_mask(pins), period = 1000000000u / rate;
	int threads = (kind == K_UIO || kind == K_EPOLL) ? 1 : pins;
	int units = readers > 1 ? readers : threads;
	struct cost_thread *c = shared(units * sizeof(*c));
	volatile int *ready = shared(sizeof(int));
	uint64_t t0, t1, c0, c1, delivered = 0, irqs;
	pid_t pid[MAX_READERS];
	struct soak *s;
	double busy;

	if (readers > MAX_READERS)
		die("at most %d readers", MAX_READERS);
	for (int u = 0; u < units; u++) {
		c[u].kind = kind;
		c[u].mask = readers > 1 ? 1u : threads == 1 ? mask : 1u << u;
		c[u].want = events * __builtin_popcount(c[u].mask);
		c[u].ready = ready;
	}
	s = soak_start();
	for (int u = 0; u < units; u++) {
		if (readers > 1) {
			pid[u] = fork();
			if (!pid[u]) {
				cost_reader(&c[u]);
				_exit(0);
			}
		} else {
			pthread_create(&c[u].th, NULL, cost_reader, &c[u]);
		}
	}
	while (__atomic_load_n(ready, __ATOMIC_ACQUIRE) < units)
		sleep_ns(1000000);
	sleep_ns(10000000);
	t0 = mono_ns();
	c0 = soak_total(s);
	train(readers > 1 ? 1 : mask, events, period);
	for (int u = 0; u < units; u++) {
		if (readers > 1)
			waitpid(pid[u], NULL, 0);
		else
			pthread_join(c[u].th, NULL);
		delivered += c[u].got;
	}
	t1 = mono_ns();
	c1 = soak_total(s);
	busy = soak_busy(s, t1 - t0, c1 - c0);
	soak_stop(s);
	irqs = (uint64_t)events * (readers > 1 ? 1 : pins);
	begin("cost");
	printf(",\"path\":\"%s\",\"rate_hz\":%u,\"pins\":%d,\"readers\":%d,"
	       "\"interrupts\":%" PRIu64 ",\"events\":%" PRIu64
	       ",\"busy_ns\":%.0f,\"cpu_ns_per_event\":%.0f",
	       path_names[kind], rate, pins, readers, irqs, delivered, busy,
	       busy / delivered);
	end();
	return 0;
}

static int cmd_soak(const char *what)
{
	struct soak *s;

	if (!strcmp(what, "start")) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork: %s", strerror(errno));
		if (!pid) {
			/* The soakers' parent stays until 'soak stop'. */
			setsid();
			s = soak_start();
			printf("soak: %u CPUs, %.2f ns a count\n", s->cpus,
			       s->ns_per_count);
			fflush(stdout);
			detach();
			pause();
			_exit(0);
		}
		/* Back once the calibration is in the file. */
		for (int i = 0; i < 10000; i++) {
			struct stat st;

			if (!stat(SOAK_FILE, &st) && st.st_size) {
				volatile double *cal;

				s = soak_map(false);
				cal = &s->ns_per_count;
				while (!*cal)
					sleep_ns(1000000);
				return 0;
			}
			sleep_ns(1000000);
		}
		die("the soakers did not start");
	}
	if (!strcmp(what, "stop")) {
		s = soak_map(false);
		soak_stop(s);
		return 0;
	}
	die("soak start|stop");
}

/* ---- SGIs through CPU1 ---- */

static int open_node(const char *name, int flags)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/dev/pynq-irq/%s", name);
	fd = open(path, flags);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

static int cmd_sgi_rtt(uint32_t events)
{
	int tx = open_node("cpu1-kick", O_WRONLY);
	int rx = open_node("cpu1-done", O_RDONLY);
	uint32_t *lat = malloc(events * sizeof(*lat));
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	struct pynq_irq_event e;

	if (ioctl(rx, PYNQ_IRQ_SET_FORMAT, &fmt))
		die("PYNQ_IRQ_SET_FORMAT: %s", strerror(errno));
	for (uint32_t i = 0; i < events; i++) {
		uint64_t t0 = vnow();

		if (write(tx, "k", 1) != 1)
			die("write cpu1-kick: %s", strerror(errno));
		if (read(rx, &e, sizeof(e)) != sizeof(e))
			die("read cpu1-done: %s", strerror(errno));
		lat[i] = vnow() - t0;
		if (e.lost)
			die("cpu1-done: %u lost", e.lost);
	}
	begin("sgi_rtt");
	printf(",\"events\":%u,", events);
	print_stats("latency_ns", lat, events);
	printf(",");
	print_cdf(lat, events);
	end();
	return 0;
}

static long cpu1_rx(int sgi)
{
	char cmd[64], buf[32] = "";
	FILE *f;

	snprintf(cmd, sizeof(cmd), "./cpu1ctl rx %d", sgi);
	f = popen(cmd, "r");
	if (!f || !fgets(buf, sizeof(buf), f))
		die("%s failed", cmd);
	pclose(f);
	return atol(buf);
}

static int cmd_sgi_raise(uint32_t count)
{
	int tx = open_node("cpu1-kick", O_WRONLY);
	long before = cpu1_rx(8), after;
	uint64_t t0, t1;

	t0 = vnow();
	for (uint32_t i = 0; i < count; i++)
		if (write(tx, "k", 1) != 1)
			die("write cpu1-kick: %s", strerror(errno));
	t1 = vnow();
	sleep_ns(10000000);
	after = cpu1_rx(8);
	begin("sgi_raise");
	printf(",\"raises\":%u,\"elapsed_ns\":%" PRIu64 ",\"rate_hz\":%.0f,"
	       "\"cpu1_counted\":%ld", count, t1 - t0,
	       count * 1e9 / (t1 - t0), after - before);
	end();
	return 0;
}

static uint32_t num(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	if (!*s || *end || v > UINT32_MAX)
		die("'%s' is not a number", s);
	return v;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	alarm(900);	/* a reader that waits for an event that never comes */
	profile_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (profile_cpus > MAX_CPUS)
		profile_cpus = MAX_CPUS;
	stim = board_map(BOARD_STIM_BASE, 0x1000);
	if (reg_rd(stim, STIM_ID) != STIM_ID_VALUE)
		die("no stimulus block at 0x%x", BOARD_STIM_BASE);

	if (!strcmp(cmd, "latency") && (argc >= 5 && argc <= 7))
		return cmd_latency(parse_kind(argv[2]), num(argv[3]),
				   num(argv[4]), argc > 5 ? num(argv[5]) : 1,
				   argc > 6 ? num(argv[6]) : 1);
	if (!strcmp(cmd, "rate") && argc == 4)
		return cmd_rate(parse_kind(argv[2]), num(argv[3]));
	if (!strcmp(cmd, "cost") && (argc >= 5 && argc <= 7))
		return cmd_cost(parse_kind(argv[2]), num(argv[3]),
				num(argv[4]), argc > 5 ? num(argv[5]) : 1,
				argc > 6 ? num(argv[6]) : 1);
	if (!strcmp(cmd, "sgi-rtt") && argc == 3)
		return cmd_sgi_rtt(num(argv[2]));
	if (!strcmp(cmd, "sgi-raise") && argc == 3)
		return cmd_sgi_raise(num(argv[2]));
	if (!strcmp(cmd, "soak") && argc == 3)
		return cmd_soak(argv[2]);
	fprintf(stderr,
		"usage: bench latency PATH EVENTS PERIOD_NS [PINS [READERS]]\n"
		"       bench rate PATH PULSES\n"
		"       bench cost PATH RATE_HZ EVENTS [PINS [READERS]]\n"
		"       bench sgi-rtt EVENTS | sgi-raise COUNT\n"
		"       bench soak start|stop\n"
		"PATH: text, binary, epoll32, uio ($BENCH_UIO)\n");
	return 2;
}
