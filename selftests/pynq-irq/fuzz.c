// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded syscall fuzzer of the /dev/pynq-irq nodes (pins and SGIs):
 * random sequences of open (every access mode and a mix of flags), read
 * and write (0 bytes to 1 MiB, good and bad buffers), every ioctl of the
 * ABI with valid, invalid and boundary payloads, unknown ioctl numbers and
 * wrong sizes and directions, poll, epoll, fcntl, dup, close and fork with
 * shared files, from two processes of two threads each and their forked
 * children, while the stimulus block pulses the pins and runs trains.
 *
 * Every return value is checked against the errnos the uapi header and the
 * user guide document for that call (and those the VFS gives before the
 * driver is called); one outside the set fails the test with the seed, the
 * worker, its call number and the call. Then the driver must still work:
 * one pulse is one event with the next seqno, one write to an "sgi-tx"
 * node is one raise, and no file of the fuzzer is left open.
 *
 * Environment: FUZZ_SEED (default 1, or the time under TORTURE), TORTURE=1
 * for the torture's 10^6 calls (10^4 otherwise; under make torture it
 * stops after 10^4 once the test's share of the time is over,
 * TORTURE_UNTIL), FUZZ_CALLS to set the number. Each worker's sequence follows from the seed; how the workers
 * interleave does not, so a replay gives the same calls, not always the
 * same order across workers.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <dirent.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

#define NR_SLOTS	12	/* files a worker has open at most */
#define MAX_NODES	24
#define NR_PROCS	2	/* long-lived fuzzing processes */
#define NR_THREADS	2	/* workers in each */
#define MAX_KIDS	2	/* forked children a worker has at once */
#define MAX_FAILURES	20	/* reported before the run stops */
#define BIG		(1u << 20)
#define CHECK_CALLS	10000	/* make check's calls, and torture's least */
#define PAGE		4096u
#define KERNEL_PTR	((void *)0xc0008000ul)

/* The pins fuzzed: edge 0-3, 5 and 15, level 16, 17 and 31. */
static const int fuzz_pins[] = { 0, 1, 2, 3, 5, 15, 16, 17, 31 };

enum kind { K_EDGE, K_LEVEL, K_TX, K_RX };

struct node {
	char name[64];
	char path[96];
	enum kind kind;
	unsigned int number;
};

static struct node nodes[MAX_NODES];
static int nr_nodes;

/* Access modes of a slot: O_RDONLY, O_WRONLY, O_RDWR, 3 (neither) or: */
#define ACC_PATH	4

#define FMT_ANY		-1	/* the file is shared: another may set it */

/**
 * struct slot - an open file as its worker knows it
 * @fd: the descriptor, -1 when free
 * @node: index in nodes[]
 * @acc: access mode (see ACC_PATH)
 * @shared: another process or thread may use the file: what follows
 *	is not known (the format, O_NONBLOCK, the epoll entry)
 * @nonblock: O_NONBLOCK is set
 * @fmt: PYNQ_IRQ_FORMAT_*
 * @clock: the timestamps' clock
 * @depth: queue depth
 * @coalesce: coalescing window, us
 * @partial: a text line is half read (SET_FORMAT is EBUSY, a read does
 *	not give EAGAIN)
 * @staged: a text line may wait for the next read (SET_FORMAT may be
 *	EBUSY): a read that stopped where its buffer turned bad may have
 *	taken the next line from the queue
 * @in_ep: in the worker's epoll set
 * @ep_excl: ... with EPOLLEXCLUSIVE
 */
struct slot {
	int fd;
	int node;
	int acc;
	bool shared;
	bool nonblock;
	int fmt;
	uint32_t clock, depth, coalesce;
	bool partial, staged;
	bool in_ep, ep_excl;
};

enum op { OP_READ, OP_WRITE, OP_IOCTL, OP_POLL, OP_EPOLL_CTL,
	  OP_EPOLL_WAIT, OP_OPEN, OP_CLOSE, OP_DUP, OP_FCNTL, OP_STREAM,
	  OP_FORK, NR_OPS };

static const char *const op_names[NR_OPS] = {
	"read", "write", "ioctl", "poll", "epoll_ctl", "epoll_wait", "open",
	"close", "dup", "fcntl", "stream", "fork",
};

/* Shared by every process of the run (MAP_SHARED). */
struct stats {
	uint64_t calls;
	uint64_t target;
	uint64_t failures;
	uint64_t forks;
	uint64_t bytes;
	uint64_t ret[134];	/* [0]: success, [e]: errno e */
	uint64_t op_n[NR_OPS], op_ns[NR_OPS];	/* one op in 8, timed */
	int stop;
};

static struct stats *st;
static uint64_t seed;
/* Files every worker of a process may use (opened before the workers). */
static struct slot common[MAX_NODES];
static int nr_common;
static volatile uint32_t *stim;
static uint32_t edge_mask, level_mask;
static int stim_stop;

struct worker {
	char id[24];
	uint64_t rng;
	uint64_t seq;		/* calls made */
	uint64_t budget;	/* a forked child's calls; 0: until target */
	struct slot slot[NR_SLOTS];
	int ep;
	timer_t timer;
	bool armed;
	bool child;
	pid_t kids[MAX_KIDS];
	char *big;		/* BIG bytes, a guard page after */
	char *ro;		/* one read-only page */
	char desc[256];		/* the call, for the failure message */
};

/* splitmix64 */
static uint64_t rnd64(struct worker *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t rnd(struct worker *w, uint32_t n)
{
	return n ? rnd64(w) % n : 0;
}

/* true with probability pct % */
static bool chance(struct worker *w, unsigned int pct)
{
	return rnd(w, 100) < pct;
}

#define E(e)	(1ull << (e))

static const char *ename(int e)
{
	const char *s = e ? strerrorname_np(e) : "0";

	return s ? s : "E?";
}

static void emsg(const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	/* One write: no stdio lock, safe in a forked child. */
	if (write(2, buf, n) < 0)
		return;
}

static void fail(struct worker *w, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	emsg("# fuzz: FAIL seed %llu worker %s call %llu: %s: %s\n",
	     (unsigned long long)seed, w->id, (unsigned long long)w->seq,
	     w->desc, why);
	if (__atomic_add_fetch(&st->failures, 1, __ATOMIC_RELAXED) >=
	    MAX_FAILURES)
		__atomic_store_n(&st->stop, 1, __ATOMIC_RELAXED);
}

static void allowed_str(uint64_t errs, bool ok, char *buf, size_t len)
{
	int e, n = 0;

	buf[0] = 0;
	if (ok)
		n += snprintf(buf + n, len - n, "success ");
	for (e = 1; e < 64 && n < (int)len; e++)
		if (errs & E(e))
			n += snprintf(buf + n, len - n, "%s ", ename(e));
}

/*
 * Count the result of one call and check it: a failure (ret < 0) must
 * have an errno in @errs, a success must be allowed (@ok). true when the
 * call succeeded.
 */
static bool verdict(struct worker *w, long ret, int err, uint64_t errs,
		    bool ok)
{
	char allowed[256];
	int idx = ret < 0 ? err : 0;

	__atomic_add_fetch(&st->calls, 1, __ATOMIC_RELAXED);
	if (idx >= 0 && idx < 134)
		__atomic_add_fetch(&st->ret[idx], 1, __ATOMIC_RELAXED);
	if (ret >= 0 ? ok : (err > 0 && err < 64 && (errs & E(err))))
		return ret >= 0;
	allowed_str(errs, ok, allowed, sizeof(allowed));
	if (ret >= 0)
		fail(w, "returned %ld; allowed: %s", ret, allowed);
	else
		fail(w, "failed with %s; allowed: %s", ename(err), allowed);
	return false;
}

/* Timer: interrupts a call that may block (EINTR), every 1 to 4 ms. */
static void on_alarm(int sig)
{
}

static void timer_init(struct worker *w)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_THREAD_ID,
		.sigev_signo = SIGUSR1,
	};

	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, &w->timer)) {
		emsg("# fuzz: timer_create: %s\n", strerror(errno));
		exit(1);
	}
}

static void arm(struct worker *w)
{
	long ns = (1 + rnd(w, 4)) * 1000000l;
	struct itimerspec it = {
		.it_value = { .tv_nsec = ns },
		.it_interval = { .tv_nsec = ns },
	};

	timer_settime(w->timer, 0, &it, NULL);
	w->armed = true;
}

static void disarm(struct worker *w)
{
	struct itimerspec it = { };

	if (w->armed)
		timer_settime(w->timer, 0, &it, NULL);
	w->armed = false;
}

static const char *acc_name(int acc)
{
	static const char *const n[] = { "O_RDONLY", "O_WRONLY", "O_RDWR",
					 "O_ACCMODE", "O_PATH" };
	return n[acc];
}

static int nr_all(void)
{
	return NR_SLOTS + nr_common;
}

static struct slot *slot_at(struct worker *w, int i)
{
	return i < NR_SLOTS ? &w->slot[i] : &common[i - NR_SLOTS];
}

/* A random open slot (common ones too unless @own); NULL if none. */
static struct slot *pick(struct worker *w, bool own)
{
	int n = own ? NR_SLOTS : nr_all(), i, start = rnd(w, n);

	for (i = 0; i < n; i++) {
		struct slot *s = slot_at(w, (start + i) % n);

		if (s->fd >= 0)
			return s;
	}
	return NULL;
}

static const char *sdesc(struct slot *s, char *buf, size_t len)
{
	snprintf(buf, len, "fd %d (%s %s%s%s)", s->fd, nodes[s->node].name,
		 acc_name(s->acc), s->shared ? " shared" :
		 s->nonblock ? " O_NONBLOCK" : "",
		 s->shared ? "" : s->fmt == PYNQ_IRQ_FORMAT_BINARY ? " bin" :
		 s->fmt == PYNQ_IRQ_FORMAT_TEXT_FULL ? " full" : "");
	return buf;
}

static bool readable(int acc)
{
	return acc == O_RDONLY || acc == O_RDWR;
}

static bool writable(int acc)
{
	return acc == O_WRONLY || acc == O_RDWR;
}

/* Buffers: good, NULL, 1, read-only, kernel, running into a guard page. */
enum buf { B_OK, B_NULL, B_ONE, B_RO, B_KERNEL, B_EDGE, NR_BUF };

static const char *const buf_name[] = { "buf", "NULL", "(void *)1", "ro",
					"kernel", "edge" };

static enum buf rand_buf(struct worker *w)
{
	return chance(w, 80) ? B_OK : 1 + rnd(w, NR_BUF - 1);
}

/*
 * The address for a buffer of @len bytes of kind @b; *@valid is how many
 * bytes at its start may be written (for B_EDGE, a guard page follows).
 */
static void *buf_ptr(struct worker *w, enum buf b, size_t len, size_t *valid)
{
	size_t v;

	*valid = 0;
	switch (b) {
	case B_OK:
		*valid = len;
		return w->big;
	case B_NULL:
		return NULL;
	case B_ONE:
		return (void *)1;
	case B_RO:
		return w->ro;
	case B_KERNEL:
		return KERNEL_PTR;
	default:
		v = len ? rnd(w, len) : 0;
		*valid = v;
		return w->big + BIG - v;
	}
}

static size_t rand_size(struct worker *w)
{
	switch (rnd(w, 12)) {
	case 0:
		return 0;
	case 1:
		return 1 + rnd(w, 31);
	case 2:
		return sizeof(struct pynq_irq_event);
	case 3:
		return sizeof(struct pynq_irq_event) + 1 - 2 * rnd(w, 2);
	case 4:
		return sizeof(struct pynq_irq_event) * (1 + rnd(w, 16));
	case 5:
		return 1 + rnd(w, 256);
	case 6:
		return 1 + rnd(w, PAGE);
	case 7:
		return 1u << rnd(w, 21);
	case 8:
		return chance(w, 20) ? BIG : 64;
	case 9:
		return 1 + rnd(w, 64 * 1024);
	default:
		return 64;
	}
}

/* The lines of a text read are digits, spaces, dots and newlines (and
 * the flags' names in the full format).
 */
static bool text_ok(const char *p, size_t n, bool full)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if ((c >= '0' && c <= '9') || c == ' ' || c == '.' ||
		    c == '\n')
			continue;
		if (full && c && strchr("throttledrese,-", c))
			continue;
		return false;
	}
	return true;
}

static void op_read(struct worker *w)
{
	struct slot *s = pick(w, false);
	size_t len, valid;
	enum buf b;
	uint64_t errs = 0;
	bool ok = true, block, bin, text, known;
	char sd[128];
	void *p;
	ssize_t r;
	int err;

	if (!s)
		return;
	len = rand_size(w);
	b = rand_buf(w);
	p = buf_ptr(w, b, len, &valid);
	snprintf(w->desc, sizeof(w->desc), "read(%s, %s, %zu)",
		 sdesc(s, sd, sizeof(sd)), buf_name[b], len);

	known = !s->shared;
	bin = !known || s->fmt == PYNQ_IRQ_FORMAT_BINARY;
	text = !known || s->fmt != PYNQ_IRQ_FORMAT_BINARY;
	block = !known || !s->nonblock;
	if (!readable(s->acc)) {
		errs = E(EBADF);
		ok = false;
	} else if (b == B_KERNEL) {
		errs = E(EFAULT);
		ok = !len;
	} else if (!len) {
		ok = true;
	} else {
		if (bin && len < sizeof(struct pynq_irq_event))
			errs |= E(EINVAL);
		if (!(bin && !text && len < sizeof(struct pynq_irq_event))) {
			if (b != B_OK)
				errs |= E(EFAULT);
			if (!known || s->nonblock)
				errs |= E(EAGAIN);
			ok = b == B_OK || valid;
		} else {
			ok = false;
		}
		if (block)
			errs |= E(EINTR);
	}
	if (block && readable(s->acc) && len)
		arm(w);
	r = read(s->fd, p, len);
	err = errno;
	disarm(w);
	if (!verdict(w, r, err, errs, ok)) {
		if (r < 0 && known && text && !bin && readable(s->acc)) {
			/* A line was taken, and not copied (the VFS refuses
			 * a kernel buffer before the driver sees it).
			 */
			if (err == EFAULT && b != B_KERNEL)
				s->partial = true;
			if (err == EAGAIN && s->partial)
				fail(w, "EAGAIN with half a line unread");
		}
		return;
	}
	__atomic_add_fetch(&st->bytes, r, __ATOMIC_RELAXED);
	if ((size_t)r > len || (size_t)r > valid || (len && !r)) {
		fail(w, "returned %zd of %zu bytes (%zu writable)", r, len,
		     valid);
		return;
	}
	if (!r || !known)
		return;
	if (s->fmt == PYNQ_IRQ_FORMAT_BINARY) {
		struct pynq_irq_event *rec = p;
		ssize_t i;

		if (r % sizeof(*rec)) {
			fail(w, "%zd bytes: not whole records", r);
			return;
		}
		for (i = 0; i < r / (ssize_t)sizeof(*rec); i++)
			if (rec[i].number != nodes[s->node].number ||
			    rec[i].flags & ~(PYNQ_IRQ_EVENT_THROTTLED |
					     PYNQ_IRQ_EVENT_RESET) ||
			    !rec[i].seqno) {
				fail(w, "record %zd: number %u flags %#x seqno %llu",
				     i, rec[i].number, rec[i].flags,
				     (unsigned long long)rec[i].seqno);
				return;
			}
	} else {
		if (!text_ok(p, r, s->fmt == PYNQ_IRQ_FORMAT_TEXT_FULL))
			fail(w, "not a text line: '%.*s'", (int)(r < 80 ? r : 80),
			     (char *)p);
		s->partial = ((char *)p)[r - 1] != '\n';
		s->staged = b != B_OK && (size_t)r < len;
	}
}

static void op_write(struct worker *w)
{
	struct slot *s = pick(w, false);
	bool tx, ok, vec = chance(w, 20);
	struct iovec iov[4];
	size_t len = 0, valid;
	uint64_t errs = 0;
	bool badp = false, kern = false, badvec = false;
	char sd[128];
	int n = 0, i, err;
	void *p = NULL;
	ssize_t r;

	if (!s)
		return;
	tx = nodes[s->node].kind == K_TX;
	if (vec) {
		n = rnd(w, 5);
		for (i = 0; i < n; i++) {
			enum buf b = rand_buf(w);

			iov[i].iov_len = chance(w, 30) ? 0 : rand_size(w);
			iov[i].iov_base = buf_ptr(w, b, iov[i].iov_len, &valid);
			len += iov[i].iov_len;
			/* access_ok() refuses a kernel address, even for 0 bytes */
			kern |= b == B_KERNEL;
			badp |= b != B_OK;
		}
		badvec = chance(w, 5);
		snprintf(w->desc, sizeof(w->desc), "writev(%s, %s, %d: %zu bytes%s)",
			 sdesc(s, sd, sizeof(sd)), badvec ? "NULL" : "iov", n,
			 len, badp ? ", bad buffers" : "");
	} else {
		enum buf b = rand_buf(w);

		len = rand_size(w);
		p = buf_ptr(w, b, len, &valid);
		kern = b == B_KERNEL;
		badp = b != B_OK;
		snprintf(w->desc, sizeof(w->desc), "write(%s, %s, %zu)",
			 sdesc(s, sd, sizeof(sd)), buf_name[b], len);
	}

	if (!writable(s->acc)) {
		/* writev() imports the vector before it checks the mode. */
		errs = E(EBADF) | (vec && ((badvec && n) || kern) ?
				   E(EFAULT) : 0);
		ok = false;
	} else if (badvec && n) {
		errs = E(EFAULT);
		ok = false;
	} else if (kern) {
		errs = E(EFAULT) | (tx ? 0 : E(EINVAL));
		ok = !len && (tx || vec);
	} else if (!tx) {
		errs = E(EINVAL);
		/* The VFS takes a writev of no bytes without the driver. */
		ok = vec && !len;
	} else {
		errs = badp ? E(EFAULT) : 0;
		ok = true;
	}
	if (vec)
		r = writev(s->fd, badvec ? NULL : iov, n);
	else
		r = write(s->fd, p, len);
	err = errno;
	if (verdict(w, r, err, errs, ok) && (size_t)r != len)
		fail(w, "wrote %zd of %zu bytes", r, len);
}

/* Settings: a value of each kind for each SET ioctl. */
static uint32_t set_value(struct worker *w, unsigned long cmd, bool *valid)
{
	uint32_t v;

	*valid = true;
	switch (cmd) {
	case PYNQ_IRQ_SET_FORMAT:
		v = chance(w, 85) ? rnd(w, 3) : (uint32_t[]){ 3, 4, 255,
			0x80000000u, ~0u }[rnd(w, 5)];
		*valid = v < 3;
		return v;
	case PYNQ_IRQ_SET_CLOCK:
		v = chance(w, 80) ? (uint32_t[]){ CLOCK_MONOTONIC,
			CLOCK_REALTIME, CLOCK_BOOTTIME }[rnd(w, 3)] : rnd(w, 13);
		if (chance(w, 3))
			v = ~0u;
		*valid = v == CLOCK_MONOTONIC || v == CLOCK_REALTIME ||
			 v == CLOCK_BOOTTIME;
		return v;
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
		switch (rnd(w, 10)) {
		case 0:
			v = 0;
			break;
		case 1:
			v = chance(w, 20) ? PYNQ_IRQ_QUEUE_MAX : 1;
			break;
		case 2:
			v = PYNQ_IRQ_QUEUE_MAX + 1;
			break;
		case 3:
			v = chance(w, 50) ? ~0u : 0x80000000u;
			break;
		case 4:
			v = PYNQ_IRQ_QUEUE_DEFAULT;
			break;
		default:
			v = 1 + rnd(w, 2048);
		}
		*valid = v >= 1 && v <= PYNQ_IRQ_QUEUE_MAX;
		return v;
	default:	/* PYNQ_IRQ_SET_COALESCE */
		switch (rnd(w, 8)) {
		case 0:
			v = PYNQ_IRQ_COALESCE_MAX_US + 1;
			break;
		case 1:
			v = chance(w, 30) ? PYNQ_IRQ_COALESCE_MAX_US : ~0u;
			break;
		case 2:
		case 3:
			v = 0;
			break;
		default:
			v = 1 + rnd(w, 2000);
		}
		*valid = v <= PYNQ_IRQ_COALESCE_MAX_US;
		return v;
	}
}

static const unsigned long set_cmds[] = {
	PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_SET_CLOCK, PYNQ_IRQ_SET_QUEUE_DEPTH,
	PYNQ_IRQ_SET_COALESCE,
};
static const char *const set_names[] = { "SET_FORMAT", "SET_CLOCK",
					 "SET_QUEUE_DEPTH", "SET_COALESCE" };

static bool is_ours(unsigned long cmd)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		if (cmd == set_cmds[i])
			return true;
	return cmd == PYNQ_IRQ_GET_INFO;
}

/*
 * Types of ioctl numbers the VFS answers itself, whatever the file:
 * FIGETBSZ (0), the FS_IOC ones ('f', 'X', 0x15, 0x94) and FIO* ('T').
 */
static bool vfs_type(unsigned int type)
{
	return type == 0 || type == 0x15 || type == 'T' || type == 'X' ||
	       type == 'f' || type == 0x94;
}

/* The settings the read-only page holds: value 2, nothing else. */
#define RO_VALUE	2

static void ioctl_set(struct worker *w, struct slot *s, char *sd)
{
	unsigned int i = rnd(w, 4);
	unsigned long cmd = set_cmds[i];
	struct pynq_irq_setting set = { };
	bool valid, known = !s->shared, ok;
	uint64_t errs;
	enum buf b;
	size_t v;
	void *p;
	long r;
	int err;

	set.value = set_value(w, cmd, &valid);
	if (chance(w, 10))
		set.flags = 1u << rnd(w, 32);
	if (chance(w, 10))
		set.reserved[rnd(w, 2)] = 1u << rnd(w, 32);
	b = rand_buf(w);
	if (b == B_RO) {
		set = (struct pynq_irq_setting){ .value = RO_VALUE };
		valid = cmd != PYNQ_IRQ_SET_CLOCK;
	}
	p = buf_ptr(w, b, sizeof(set), &v);
	if (b == B_OK) {
		p = &set;
	} else if (b == B_EDGE) {
		/* The part of the struct before the guard is good. */
		memcpy(p, &set, v);
	}
	snprintf(w->desc, sizeof(w->desc),
		 "ioctl(%s, %s, %s{%u, %#x, %#x %#x})", sd, set_names[i],
		 buf_name[b], set.value, set.flags, set.reserved[0],
		 set.reserved[1]);

	ok = false;
	if (s->acc == ACC_PATH) {
		errs = E(EBADF);
	} else if (b != B_OK && b != B_RO) {
		errs = E(EFAULT);
	} else if (set.flags || set.reserved[0] || set.reserved[1] ||
		   !valid) {
		errs = E(EINVAL);
	} else {
		ok = true;
		errs = 0;
		if (cmd == PYNQ_IRQ_SET_QUEUE_DEPTH)
			errs = E(ENOMEM);
		if (cmd == PYNQ_IRQ_SET_FORMAT &&
		    (!known || (s->fmt != PYNQ_IRQ_FORMAT_BINARY &&
				(s->partial || s->staged))))
			errs = E(EBUSY);
	}
	r = ioctl(s->fd, cmd, p);
	err = errno;
	if (!verdict(w, r, err, errs, ok)) {
		if (r < 0 && err == EBUSY)
			s->partial = true;
		return;
	}
	if (r) {
		fail(w, "returned %ld", r);
		return;
	}
	switch (cmd) {
	case PYNQ_IRQ_SET_FORMAT:
		s->fmt = set.value;
		s->partial = false;
		s->staged = false;
		break;
	case PYNQ_IRQ_SET_CLOCK:
		s->clock = set.value;
		break;
	case PYNQ_IRQ_SET_QUEUE_DEPTH:
		s->depth = set.value;
		break;
	default:
		s->coalesce = set.value;
	}
}

static void ioctl_info(struct worker *w, struct slot *s, char *sd)
{
	struct pynq_irq_info info;
	struct node *nd = &nodes[s->node];
	static const uint32_t trig[] = {
		[K_EDGE] = PYNQ_IRQ_TRIGGER_EDGE,
		[K_LEVEL] = PYNQ_IRQ_TRIGGER_LEVEL,
		[K_TX] = PYNQ_IRQ_TRIGGER_SGI_TX,
		[K_RX] = PYNQ_IRQ_TRIGGER_SGI_RX,
	};
	enum buf b = rand_buf(w);
	uint64_t errs;
	size_t v;
	void *p;
	long r;
	int err, i;

	p = b == B_OK ? &info : buf_ptr(w, b, sizeof(info), &v);
	memset(&info, 0xa5, sizeof(info));
	snprintf(w->desc, sizeof(w->desc), "ioctl(%s, GET_INFO, %s)", sd,
		 buf_name[b]);
	errs = s->acc == ACC_PATH ? E(EBADF) : b == B_OK ? 0 : E(EFAULT);
	r = ioctl(s->fd, PYNQ_IRQ_GET_INFO, p);
	err = errno;
	if (!verdict(w, r, err, errs, !errs) || b != B_OK)
		return;
	if (r || strnlen(info.name, sizeof(info.name)) == sizeof(info.name) ||
	    strncmp(info.name, nd->name, sizeof(info.name) - 1) ||
	    info.number != nd->number || info.trigger != trig[nd->kind] ||
	    info.flags & ~(PYNQ_IRQ_INFO_ENABLED | PYNQ_IRQ_INFO_THROTTLED) ||
	    !info.clients || info.format > 2 ||
	    info.queue_depth < 1 || info.queue_depth > PYNQ_IRQ_QUEUE_MAX ||
	    info.queued > info.queue_depth ||
	    info.coalesce_us > PYNQ_IRQ_COALESCE_MAX_US) {
		fail(w, "info: '%.64s' number %u trigger %u flags %#x clients %u format %u depth %u queued %u coalesce %u",
		     info.name, info.number, info.trigger, info.flags,
		     info.clients, info.format, info.queue_depth, info.queued,
		     info.coalesce_us);
		return;
	}
	for (i = 0; i < 8; i++)
		if (info.reserved[i]) {
			fail(w, "info: reserved[%d] = %#x", i, info.reserved[i]);
			return;
		}
	if (!s->shared && (info.format != (uint32_t)s->fmt ||
			   info.clock != s->clock ||
			   info.queue_depth != s->depth ||
			   info.coalesce_us != s->coalesce))
		fail(w, "info: format %u clock %u depth %u coalesce %u, set %d %u %u %u",
		     info.format, info.clock, info.queue_depth,
		     info.coalesce_us, s->fmt, s->clock, s->depth, s->coalesce);
}

static void ioctl_other(struct worker *w, struct slot *s, char *sd)
{
	static const unsigned int sizes[] = { 0, 1, 4, 8, 15, 16, 17, 32, 159,
					      160, 161, 0x3fff };
	static const unsigned int odd_nrs[] = { 0x7f, 0x80, 0xff };
	unsigned long cmd;
	unsigned int nr;
	enum buf b = rand_buf(w);
	size_t v;
	void *p = buf_ptr(w, b, 256, &v);
	long r;
	int err;

	do {
		switch (rnd(w, 3)) {
		case 0:	/* our numbers, with a wrong size or direction */
			nr = chance(w, 80) ? rnd(w, 8) : odd_nrs[rnd(w, 3)];
			cmd = _IOC(rnd(w, 4), PYNQ_IRQ_IOC_MAGIC, nr,
				   sizes[rnd(w, 12)]);
			break;
		case 1:	/* version 0's: a bare __u32 */
			cmd = chance(w, 50) ?
			      _IOW(PYNQ_IRQ_IOC_MAGIC, 1 + rnd(w, 5), __u32) :
			      _IOR(PYNQ_IRQ_IOC_MAGIC, 1 + rnd(w, 6), __u32);
			break;
		default:
			cmd = (uint32_t)rnd64(w);
		}
	} while (is_ours(cmd) || vfs_type(_IOC_TYPE(cmd)));
	snprintf(w->desc, sizeof(w->desc), "ioctl(%s, %#lx, %s)", sd, cmd,
		 buf_name[b]);
	r = ioctl(s->fd, cmd, p);
	err = errno;
	verdict(w, r, err, s->acc == ACC_PATH ? E(EBADF) : E(ENOTTY), false);
}

/* The VFS's own: FIONBIO, FIOASYNC, FIOCLEX, FIONCLEX, FIONREAD, FIOQSIZE. */
static void ioctl_vfs(struct worker *w, struct slot *s, char *sd)
{
	static const unsigned long cmds[] = { FIONBIO, FIOASYNC, FIOCLEX,
					      FIONCLEX, FIONREAD, FIOQSIZE };
	static const char *const names[] = { "FIONBIO", "FIOASYNC", "FIOCLEX",
					     "FIONCLEX", "FIONREAD",
					     "FIOQSIZE" };
	unsigned int i = rnd(w, 6);
	int val = rnd(w, 2), err;
	enum buf b = chance(w, 85) ? B_OK : B_NULL;
	uint64_t errs = 0;
	bool ok = true;
	long r;

	snprintf(w->desc, sizeof(w->desc), "ioctl(%s, %s, %s %d)", sd,
		 names[i], buf_name[b], val);
	if (s->acc == ACC_PATH) {
		errs = E(EBADF);
		ok = false;
	} else if (i >= 4) {
		errs = E(ENOTTY);
		ok = false;
	} else if (i < 2 && b != B_OK) {
		errs = E(EFAULT);
		ok = false;
	} else if (i == 1) {
		errs = E(ENOMEM);	/* fasync_helper() */
	}
	r = ioctl(s->fd, cmds[i], b == B_OK ? &val : NULL);
	err = errno;
	if (verdict(w, r, err, errs, ok) && i == 0)
		s->nonblock = val;
}

static void op_ioctl(struct worker *w)
{
	struct slot *s = pick(w, false);
	char sd[128];
	unsigned int k;

	if (!s)
		return;
	sdesc(s, sd, sizeof(sd));
	k = rnd(w, 100);
	if (k < 50)
		ioctl_set(w, s, sd);
	else if (k < 70)
		ioctl_info(w, s, sd);
	else if (k < 92)
		ioctl_other(w, s, sd);
	else
		ioctl_vfs(w, s, sd);
}

static int rand_open_flags(struct worker *w, int *acc)
{
	static const struct { int flag, pct; } extra[] = {
		{ O_NONBLOCK, 50 }, { O_CLOEXEC, 30 }, { O_APPEND, 5 },
		{ O_NOCTTY, 5 }, { O_SYNC, 3 }, { O_DSYNC, 2 },
		{ O_NOATIME, 3 }, { O_TRUNC, 3 }, { O_ASYNC, 3 },
		{ O_LARGEFILE, 10 }, { O_NOFOLLOW, 5 }, { O_DIRECT, 2 },
		{ O_DIRECTORY, 2 }, { O_CREAT, 3 }, { O_EXCL, 3 },
	};
	unsigned int i, k = rnd(w, 100);
	int flags;

	*acc = k < 40 ? O_RDONLY : k < 70 ? O_RDWR : k < 90 ? O_WRONLY :
	       k < 93 ? 3 : ACC_PATH;
	flags = *acc == ACC_PATH ? O_PATH : *acc;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (chance(w, extra[i].pct))
			flags |= extra[i].flag;
	return flags;
}

static void slot_reset(struct slot *s, int fd, int node, int acc, int flags)
{
	*s = (struct slot){
		.fd = fd, .node = node, .acc = acc,
		.nonblock = flags & O_NONBLOCK,
		.fmt = PYNQ_IRQ_FORMAT_TEXT, .clock = CLOCK_MONOTONIC,
		.depth = PYNQ_IRQ_QUEUE_DEFAULT,
	};
}

static void op_close_slot(struct worker *w, struct slot *s)
{
	char sd[128];
	long r;

	snprintf(w->desc, sizeof(w->desc), "close(%s)",
		 sdesc(s, sd, sizeof(sd)));
	r = close(s->fd);
	verdict(w, r, errno, 0, true);
	s->fd = -1;
}

static void op_close(struct worker *w)
{
	struct slot *s = pick(w, true);

	if (s)
		op_close_slot(w, s);
}

static struct slot *free_slot(struct worker *w)
{
	int i;

	for (i = 0; i < NR_SLOTS; i++)
		if (w->slot[i].fd < 0)
			return &w->slot[i];
	op_close_slot(w, &w->slot[rnd(w, NR_SLOTS)]);
	return free_slot(w);
}

static void op_open(struct worker *w)
{
	struct slot *s = free_slot(w);
	int node = rnd(w, nr_nodes), acc, flags, fd, err;
	uint64_t errs;
	bool ok = true;

	flags = rand_open_flags(w, &acc);
	snprintf(w->desc, sizeof(w->desc), "open(%s, %#o)", nodes[node].path,
		 flags);
	if (flags & O_DIRECTORY) {
		/* ENOTDIR; O_CREAT with it is EINVAL since Linux 6.4. */
		errs = E(ENOTDIR) | (acc != ACC_PATH ?
				     E(EINVAL) | E(EEXIST) : 0);
		ok = false;
	} else if (acc != ACC_PATH && (flags & (O_CREAT | O_EXCL)) ==
		   (O_CREAT | O_EXCL)) {
		errs = E(EEXIST);
		ok = false;
	} else {
		errs = acc == ACC_PATH ? 0 : E(ENOMEM);
		/* O_DIRECT needs direct I/O of the inode's mapping. */
		if (acc != ACC_PATH && flags & O_DIRECT)
			errs |= E(EINVAL);
	}
	fd = open(nodes[node].path, flags, 0600);
	err = errno;
	if (verdict(w, fd, err, errs, ok))
		slot_reset(s, fd, node, acc, flags);
	else if (fd >= 0)
		close(fd);
}

static void op_dup(struct worker *w)
{
	struct slot *s = pick(w, false), *d;
	char sd[128];
	int fd, err;

	if (!s)
		return;
	d = free_slot(w);
	if (s->fd < 0)	/* free_slot() closed it */
		return;
	snprintf(w->desc, sizeof(w->desc), "dup(%s)", sdesc(s, sd, sizeof(sd)));
	fd = chance(w, 50) ? dup(s->fd) : fcntl(s->fd, F_DUPFD_CLOEXEC, 0);
	err = errno;
	if (!verdict(w, fd, err, 0, true))
		return;
	*d = *s;
	d->fd = fd;
	d->shared = s->shared = true;
}

static void op_fcntl(struct worker *w)
{
	struct slot *s = pick(w, false);
	static const int fl[] = { O_NONBLOCK, O_ASYNC, O_APPEND, O_NOATIME };
	bool path;
	char sd[128];
	int k, r, err, v = 0, i;

	if (!s)
		return;
	path = s->acc == ACC_PATH;
	sdesc(s, sd, sizeof(sd));
	k = rnd(w, 4);
	if (k == 0) {
		snprintf(w->desc, sizeof(w->desc), "fcntl(%s, F_GETFL)", sd);
		r = fcntl(s->fd, F_GETFL);
		err = errno;
		if (!verdict(w, r, err, 0, true))
			return;
		if (path ? !(r & O_PATH) : (r & O_ACCMODE) != s->acc ||
		    (!s->shared && !!(r & O_NONBLOCK) != s->nonblock))
			fail(w, "flags %#o", r);
	} else if (k == 1) {
		for (i = 0; i < 4; i++)
			if (chance(w, 40))
				v |= fl[i];
		snprintf(w->desc, sizeof(w->desc), "fcntl(%s, F_SETFL, %#o)",
			 sd, v);
		r = fcntl(s->fd, F_SETFL, v);
		err = errno;
		if (verdict(w, r, err, path ? E(EBADF) :
			    v & O_ASYNC ? E(ENOMEM) : 0, !path))
			s->nonblock = v & O_NONBLOCK;
	} else if (k == 2) {
		snprintf(w->desc, sizeof(w->desc), "fcntl(%s, F_SETOWN, self)",
			 sd);
		r = fcntl(s->fd, F_SETOWN, getpid());
		err = errno;
		verdict(w, r, err, path ? E(EBADF) : 0, !path);
	} else {
		snprintf(w->desc, sizeof(w->desc), "fcntl(%s, F_SETFD)", sd);
		r = fcntl(s->fd, F_SETFD, rnd(w, 2) ? FD_CLOEXEC : 0);
		err = errno;
		verdict(w, r, err, 0, true);
	}
}

/* Nodes are streams: no seek, no pread or pwrite, no mmap. */
static void op_stream(struct worker *w)
{
	struct slot *s = pick(w, false);
	bool path;
	char sd[128];
	long r;
	int err;
	void *m;

	if (!s)
		return;
	path = s->acc == ACC_PATH;
	sdesc(s, sd, sizeof(sd));
	switch (rnd(w, 4)) {
	case 0:
		snprintf(w->desc, sizeof(w->desc), "lseek(%s)", sd);
		r = lseek(s->fd, rnd(w, 100), rnd(w, 3));
		err = errno;
		verdict(w, r, err, path ? E(EBADF) : E(ESPIPE), false);
		break;
	case 1:
		snprintf(w->desc, sizeof(w->desc), "pread(%s, 64)", sd);
		r = pread(s->fd, w->big, 64, 0);
		err = errno;
		verdict(w, r, err, path ? E(EBADF) : E(ESPIPE), false);
		break;
	case 2:
		snprintf(w->desc, sizeof(w->desc), "pwrite(%s, 1)", sd);
		r = pwrite(s->fd, w->big, 1, 0);
		err = errno;
		verdict(w, r, err, path ? E(EBADF) : E(ESPIPE), false);
		break;
	default:
		snprintf(w->desc, sizeof(w->desc), "mmap(%s)", sd);
		m = mmap(NULL, PAGE, PROT_READ | (chance(w, 50) ? PROT_WRITE : 0),
			 chance(w, 50) ? MAP_SHARED : MAP_PRIVATE, s->fd, 0);
		err = errno;
		r = m == MAP_FAILED ? -1 : 0;
		if (!r)
			munmap(m, PAGE);
		verdict(w, r, err, path ? E(EBADF) : E(ENODEV) | E(EACCES),
			false);
	}
}

/* What a node may report: POLLIN if its file reads, POLLOUT on sgi-tx. */
static unsigned int node_mask(struct slot *s)
{
	unsigned int m = 0;

	if (readable(s->acc))
		m |= POLLIN | POLLRDNORM;
	if (nodes[s->node].kind == K_TX)
		m |= POLLOUT | POLLWRNORM;
	return m;
}

static void op_poll(struct worker *w)
{
	static const short evs[] = { POLLIN, POLLOUT, POLLPRI, POLLRDNORM,
				     POLLWRNORM, POLLRDHUP, POLLRDBAND };
	struct pollfd pfd[4];
	struct slot *ps[4];
	int n = 1 + rnd(w, 4), i, j, tmo, r, err, ready = 0;
	bool badptr = chance(w, 2);
	uint64_t errs = 0;

	for (i = 0; i < n; i++) {
		ps[i] = pick(w, false);
		pfd[i].fd = ps[i] ? ps[i]->fd : -1;
		if (chance(w, 5)) {
			ps[i] = NULL;
			pfd[i].fd = chance(w, 50) ? -1 : 1000 + rnd(w, 10);
		}
		pfd[i].events = 0;
		for (j = 0; j < 7; j++)
			if (chance(w, 40))
				pfd[i].events |= evs[j];
		pfd[i].revents = 0x5a5a;
	}
	tmo = chance(w, 60) ? 0 : chance(w, 75) ? 1 + rnd(w, 3) : -1;
	snprintf(w->desc, sizeof(w->desc), "poll(%s, %d, %d): fd %d %#x ...",
		 badptr ? "NULL" : "fds", n, tmo, pfd[0].fd, pfd[0].events);
	if (badptr)
		errs = E(EFAULT);
	if (tmo < 0) {
		arm(w);
		errs |= E(EINTR);
	}
	r = poll(badptr ? NULL : pfd, n, tmo);
	err = errno;
	disarm(w);
	if (!verdict(w, r, err, errs, !badptr))
		return;
	for (i = 0; i < n; i++) {
		unsigned int want;

		if (pfd[i].revents)
			ready++;
		if (pfd[i].fd < 0)
			want = 0;
		else if (!ps[i] || ps[i]->acc == ACC_PATH)
			want = POLLNVAL;
		else
			want = node_mask(ps[i]) & pfd[i].events;
		if (pfd[i].revents & ~want) {
			fail(w, "fd %d (%s): events %#x, revents %#x", pfd[i].fd,
			     ps[i] ? nodes[ps[i]->node].name : "-",
			     pfd[i].events, pfd[i].revents);
			return;
		}
		if (want == POLLNVAL && pfd[i].revents != POLLNVAL) {
			fail(w, "fd %d: revents %#x, not POLLNVAL", pfd[i].fd,
			     pfd[i].revents);
			return;
		}
	}
	if (r != ready)
		fail(w, "%d ready, %d with revents", r, ready);
}

/* What EPOLLEXCLUSIVE may come with (fs/eventpoll.c). */
#define EXCL_OK	(EPOLLIN | EPOLLOUT | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | \
		 EPOLLET | EPOLLEXCLUSIVE)

static void op_epoll_ctl(struct worker *w)
{
	static const uint32_t evs[] = { EPOLLIN, EPOLLOUT, EPOLLRDNORM,
					EPOLLPRI, EPOLLET, EPOLLONESHOT,
					EPOLLRDHUP, EPOLLEXCLUSIVE };
	static const char *const ops[] = { "?", "ADD", "DEL", "MOD" };
	struct slot *s = pick(w, false);
	struct epoll_event ev = { };
	int op = 1 + rnd(w, 3), i, r, err;
	uint64_t errs = 0;
	bool excl, ok = true;
	char sd[128];

	if (!s)
		return;
	for (i = 0; i < 8; i++)
		if (chance(w, i == 7 ? 10 : 40))
			ev.events |= evs[i];
	ev.data.u64 = (uint64_t)s->node | (uint64_t)s->acc << 32;
	excl = ev.events & EPOLLEXCLUSIVE;
	snprintf(w->desc, sizeof(w->desc), "epoll_ctl(%s, %s, %#x)", ops[op],
		 sdesc(s, sd, sizeof(sd)), ev.events);
	if (s->acc == ACC_PATH) {
		errs = E(EBADF);
		ok = false;
	} else if (s->shared) {
		errs = E(EEXIST) | E(ENOENT) | E(EINVAL);
	} else if (excl && op != EPOLL_CTL_DEL &&
		   (op == EPOLL_CTL_MOD || ev.events & ~EXCL_OK)) {
		errs = E(EINVAL);
		ok = false;
	} else if (op == EPOLL_CTL_ADD && s->in_ep) {
		errs = E(EEXIST);
		ok = false;
	} else if (op != EPOLL_CTL_ADD && !s->in_ep) {
		errs = E(ENOENT);
		ok = false;
	} else if (op == EPOLL_CTL_MOD && s->ep_excl) {
		errs = E(EINVAL);
		ok = false;
	} else if (op == EPOLL_CTL_ADD) {
		errs = E(ENOMEM);
	}
	r = epoll_ctl(w->ep, op, s->fd, &ev);
	err = errno;
	if (!verdict(w, r, err, errs, ok) || s->shared)
		return;
	if (op == EPOLL_CTL_ADD) {
		s->in_ep = true;
		s->ep_excl = excl;
	} else if (op == EPOLL_CTL_DEL) {
		s->in_ep = false;
	}
}

static void op_epoll_wait(struct worker *w)
{
	struct epoll_event ev[8];
	int max = 1 + rnd(w, 8), tmo, r, err, i;
	uint64_t errs = 0;

	tmo = chance(w, 60) ? 0 : chance(w, 75) ? 1 + rnd(w, 3) : -1;
	snprintf(w->desc, sizeof(w->desc), "epoll_wait(%d, %d)", max, tmo);
	if (tmo < 0) {
		arm(w);
		errs = E(EINTR);
	}
	r = epoll_wait(w->ep, ev, max, tmo);
	err = errno;
	disarm(w);
	if (!verdict(w, r, err, errs, true))
		return;
	if (r > max) {
		fail(w, "%d events", r);
		return;
	}
	for (i = 0; i < r; i++) {
		struct slot s = {
			.node = ev[i].data.u64 & 0xffffffff,
			.acc = ev[i].data.u64 >> 32,
		};
		unsigned int want = node_mask(&s);

		if (s.node >= nr_nodes || ev[i].events & ~want ||
		    !ev[i].events) {
			fail(w, "event %d: %s, events %#x", i,
			     s.node < nr_nodes ? nodes[s.node].name : "?",
			     ev[i].events);
			return;
		}
	}
}

static void worker_run(struct worker *w);

static void op_fork(struct worker *w)
{
	int i, k, status;
	pid_t pid;

	/* Reap the children that are done; fork one if there is room. */
	for (k = -1, i = 0; i < MAX_KIDS; i++) {
		if (w->kids[i] > 0 &&
		    waitpid(w->kids[i], &status, WNOHANG) == w->kids[i]) {
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				snprintf(w->desc, sizeof(w->desc), "child %d",
					 w->kids[i]);
				fail(w, "ended with status %#x", status);
			}
			w->kids[i] = 0;
		}
		if (w->kids[i] <= 0)
			k = i;
	}
	/* A fork costs about a second of the debug board: a few a run. */
	if (k < 0 || w->child ||
	    __atomic_load_n(&st->forks, __ATOMIC_RELAXED) >= st->target / 1000)
		return;
	snprintf(w->desc, sizeof(w->desc), "fork()");
	for (i = 0; i < NR_SLOTS; i++)
		w->slot[i].shared = true;
	pid = fork();
	if (!pid) {
		size_t n = strlen(w->id);

		snprintf(w->id + n, sizeof(w->id) - n, ".%llu",
			 (unsigned long long)w->seq);
		w->child = true;
		w->budget = 20 + rnd(w, 100);
		w->rng ^= 0xc0ffee;
		w->seq = 0;
		memset(w->kids, 0, sizeof(w->kids));
		/* The epoll set is the parent's: take one of our own. */
		w->ep = epoll_create1(EPOLL_CLOEXEC);
		timer_init(w);
		worker_run(w);
		_exit(0);
	}
	verdict(w, pid, errno, E(EAGAIN) | E(ENOMEM), true);
	if (pid > 0) {
		w->kids[k] = pid;
		__atomic_add_fetch(&st->forks, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Up to the target; under make torture at least make check's calls, then
 * as long as the test's share of the time lasts.
 */
static bool more(struct worker *w)
{
	uint64_t calls;

	if (__atomic_load_n(&st->stop, __ATOMIC_RELAXED))
		return false;
	if (w->child)
		return w->seq < w->budget;
	calls = __atomic_load_n(&st->calls, __ATOMIC_RELAXED);
	return calls < st->target &&
	       (calls < CHECK_CALLS || board_torture_left() > 0);
}

/* The mix, in thousandths: the upper bound of each op's share. */
static const struct {
	unsigned int upto;
	enum op op;
	void (*fn)(struct worker *w);
} mix[] = {
	{ 230, OP_READ, op_read },
	{ 310, OP_WRITE, op_write },
	{ 590, OP_IOCTL, op_ioctl },
	{ 670, OP_POLL, op_poll },
	{ 730, OP_EPOLL_CTL, op_epoll_ctl },
	{ 780, OP_EPOLL_WAIT, op_epoll_wait },
	{ 860, OP_OPEN, op_open },
	{ 927, OP_CLOSE, op_close },
	{ 947, OP_DUP, op_dup },
	{ 977, OP_FCNTL, op_fcntl },
	{ 997, OP_STREAM, op_stream },
	{ 1000, OP_FORK, op_fork },
};

static void worker_run(struct worker *w)
{
	uint64_t t0 = 0;
	unsigned int i, k;

	while (more(w)) {
		k = rnd(w, 1000);
		for (i = 0; mix[i].upto <= k; i++)
			;
		w->seq++;
		if (!(w->seq & 7))
			t0 = now_ns(CLOCK_MONOTONIC);
		mix[i].fn(w);
		if (!(w->seq & 7)) {
			__atomic_add_fetch(&st->op_n[mix[i].op], 1,
					   __ATOMIC_RELAXED);
			__atomic_add_fetch(&st->op_ns[mix[i].op],
					   now_ns(CLOCK_MONOTONIC) - t0,
					   __ATOMIC_RELAXED);
		}
	}
}

static void *worker_thread(void *arg)
{
	struct worker *w = arg;
	int i, status;

	timer_init(w);
	w->ep = epoll_create1(EPOLL_CLOEXEC);
	worker_run(w);
	for (i = 0; i < NR_SLOTS; i++)
		if (w->slot[i].fd >= 0)
			op_close_slot(w, &w->slot[i]);
	for (i = 0; i < MAX_KIDS; i++)
		if (w->kids[i] > 0 &&
		    (waitpid(w->kids[i], &status, 0) != w->kids[i] ||
		     !WIFEXITED(status) || WEXITSTATUS(status))) {
			snprintf(w->desc, sizeof(w->desc), "child %d",
				 w->kids[i]);
			fail(w, "ended with status %#x", status);
		}
	close(w->ep);
	timer_delete(w->timer);
	return NULL;
}

static void worker_init(struct worker *w, int proc, int thr)
{
	int i;

	memset(w, 0, sizeof(*w));
	snprintf(w->id, sizeof(w->id), "%d.%d", proc, thr);
	w->rng = seed * 0x100000001b3ull + proc * 16 + thr + 1;
	for (i = 0; i < NR_SLOTS; i++)
		w->slot[i].fd = -1;
	/* BIG bytes and a guard page; a read-only page. */
	w->big = mmap(NULL, BIG + PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	w->ro = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (w->big == MAP_FAILED || w->ro == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	mprotect(w->big + BIG, PAGE, PROT_NONE);
	*(struct pynq_irq_setting *)w->ro =
		(struct pynq_irq_setting){ .value = RO_VALUE };
	mprotect(w->ro, PAGE, PROT_READ);
}

/* One process of the run: NR_THREADS workers. */
static void run_process(int proc)
{
	static struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	int i;

	for (i = 0; i < NR_THREADS; i++) {
		worker_init(&w[i], proc, i);
		pthread_create(&th[i], NULL, worker_thread, &w[i]);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
}

/*
 * The stimulus meanwhile: single pulses, plain and lockstep trains of
 * 100 us to 2 ms periods (and one in ten of 20 to 50 us, over the storm
 * limit), and level lines raised for up to 2 ms.
 */
static void *stim_thread(void *arg)
{
	struct worker *w = arg;
	uint32_t m;

	while (!__atomic_load_n(&stim_stop, __ATOMIC_RELAXED)) {
		m = (uint32_t)rnd64(w) & edge_mask;
		switch (rnd(w, 8)) {
		case 0:
		case 1:
		case 2:
			reg_wr(stim, STIM_PULSE, m ? m : edge_mask);
			break;
		case 3:
		case 4:
			reg_wr(stim, STIM_TRAIN_CTRL, 0);
			reg_wr(stim, STIM_TRAIN_MASK, m);
			/* One train in ten is over the storm limit. */
			reg_wr(stim, STIM_TRAIN_PERIOD, chance(w, 10) ?
			       20000 + rnd(w, 30000) :
			       100000 + rnd(w, 1900000));
			reg_wr(stim, STIM_TRAIN_COUNT, 1 + rnd(w, 200));
			reg_wr(stim, STIM_TRAIN_CTRL, rnd(w, 2) ?
			       STIM_TRAIN_START : STIM_TRAIN_LOCKSTEP);
			break;
		case 5:
			m = (uint32_t)rnd64(w) & level_mask;
			reg_wr(stim, STIM_SET, m);
			usleep(200 + rnd(w, 1800));
			reg_wr(stim, STIM_CLEAR, m);
			break;
		case 6:
			reg_wr(stim, STIM_TRAIN_CTRL, 0);
			break;
		default:
			break;
		}
		usleep(500 + rnd(w, 3000));
	}
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
	return NULL;
}

static int trigger_of(const char *name, unsigned int *number)
{
	char path[160], buf[32];

	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/number", name);
	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	*number = atoi(buf);
	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/trigger", name);
	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	if (!strcmp(buf, "edge\n"))
		return K_EDGE;
	if (!strcmp(buf, "level\n"))
		return K_LEVEL;
	if (!strcmp(buf, "sgi-tx\n"))
		return K_TX;
	if (!strcmp(buf, "sgi-rx\n"))
		return K_RX;
	return -1;
}

static void add_node(const char *name)
{
	struct node *n = &nodes[nr_nodes];
	int kind;

	if (nr_nodes >= MAX_NODES)
		return;
	kind = trigger_of(name, &n->number);
	if (kind < 0)
		return;
	n->kind = kind;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->path, sizeof(n->path), "/dev/pynq-irq/%s", name);
	if (access(n->path, F_OK))
		return;
	nr_nodes++;
}

/* The pins of fuzz_pins[] and every SGI node there is. */
static void find_nodes(void)
{
	char name[64];
	struct dirent *de;
	unsigned int i, number;
	DIR *d;

	board_intc = 0;
	nr_nodes = 0;
	for (i = 0; i < sizeof(fuzz_pins) / sizeof(fuzz_pins[0]); i++)
		add_node(board_pin_name(fuzz_pins[i], name, sizeof(name)));
	d = opendir("/dev/pynq-irq");
	while (d && (de = readdir(d))) {
		int k = de->d_name[0] == '.' ? -1 :
			trigger_of(de->d_name, &number);

		if (k == K_TX || k == K_RX)
			add_node(de->d_name);
	}
	if (d)
		closedir(d);
}

static const char *kind_name(enum kind k)
{
	return (const char *[]){ "edge", "level", "sgi-tx", "sgi-rx" }[k];
}

FIXTURE(fuzz) {
	struct worker stim_w;	/* the stimulus thread's random numbers */
};

FIXTURE_SETUP(fuzz)
{
	const char *e;
	int i;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
	reg_wr(stim, STIM_ACK_SEL, 0);
	find_nodes();
	ASSERT_LT(0, nr_nodes) TH_LOG("no /dev/pynq-irq node to fuzz");
	edge_mask = level_mask = 0;
	for (i = 0; i < nr_nodes; i++) {
		if (nodes[i].kind == K_EDGE)
			edge_mask |= 1u << nodes[i].number;
		if (nodes[i].kind == K_LEVEL)
			level_mask |= 1u << nodes[i].number;
	}

	e = getenv("FUZZ_SEED");
	seed = e ? strtoull(e, NULL, 0) :
	       getenv("TORTURE") ? (uint64_t)time(NULL) : 1;
	st = mmap(NULL, sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(st != MAP_FAILED);
	memset(st, 0, sizeof(*st));
	e = getenv("FUZZ_CALLS");
	st->target = e ? strtoull(e, NULL, 0) :
		     getenv("TORTURE") ? 1000000 : CHECK_CALLS;
	memset(&self->stim_w, 0, sizeof(self->stim_w));
	self->stim_w.rng = seed ^ 0x5717;
}

FIXTURE_TEARDOWN(fuzz)
{
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
}

/* Random calls from NR_PROCS processes of NR_THREADS threads each. */
TEST_F_TIMEOUT(fuzz, random_calls, 3600)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	char line[1024];
	pthread_t sth;
	uint64_t t0, seen = 0;
	int i, n, status, flags;
	struct worker cw;
	pid_t pid;

	printf("# fuzz: seed %llu (FUZZ_SEED=%llu replays it), %llu calls, %d nodes:",
	       (unsigned long long)seed, (unsigned long long)seed,
	       (unsigned long long)st->target, nr_nodes);
	for (i = 0; i < nr_nodes; i++)
		printf(" %s (%s %u)", nodes[i].name, kind_name(nodes[i].kind),
		       nodes[i].number);
	printf("\n");
	fflush(stdout);

	/* EINTR for the timer's signal; SIGIO (O_ASYNC) is not wanted. */
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGIO, SIG_IGN);

	/* Files of every node that both processes and all threads share. */
	memset(&cw, 0, sizeof(cw));
	cw.rng = seed ^ 0xc033;
	strcpy(cw.id, "common");
	nr_common = 0;
	for (i = 0; i < nr_nodes; i++) {
		int acc;

		do {
			flags = rand_open_flags(&cw, &acc);
		} while (flags & (O_DIRECTORY | O_DIRECT | O_EXCL));
		n = open(nodes[i].path, flags, 0600);
		ASSERT_LE(0, n) TH_LOG("open %s %#o: %s", nodes[i].path, flags,
				       strerror(errno));
		slot_reset(&common[nr_common], n, i, acc, flags);
		common[nr_common++].shared = true;
	}

	t0 = now_ns(CLOCK_MONOTONIC);
	stim_stop = 0;
	pthread_create(&sth, NULL, stim_thread, &self->stim_w);
	fflush(stdout);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		run_process(1);
		_exit(0);
	}
	run_process(0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
		TH_LOG("the second process ended with status %#x", status);
	__atomic_store_n(&stim_stop, 1, __ATOMIC_RELAXED);
	pthread_join(sth, NULL);
	for (i = 0; i < nr_common; i++)
		close(common[i].fd);

	n = snprintf(line, sizeof(line), "# fuzz: results:");
	for (i = 0; i < 134; i++) {
		if (!st->ret[i])
			continue;
		seen += i > 0;
		n += snprintf(line + n, sizeof(line) - n, " %s %llu", ename(i),
			      (unsigned long long)st->ret[i]);
	}
	printf("%s\n", line);
	n = snprintf(line, sizeof(line), "# fuzz: us per call (1 in 8 timed):");
	for (i = 0; i < NR_OPS; i++)
		if (st->op_n[i])
			n += snprintf(line + n, sizeof(line) - n, " %s %llu",
				      op_names[i], (unsigned long long)
				      (st->op_ns[i] / st->op_n[i] / 1000));
	printf("%s\n", line);
	printf("# fuzz: %llu forks, %llu bytes read\n",
	       (unsigned long long)st->forks, (unsigned long long)st->bytes);
	printf("# torture: fuzz: %llu calls of %llu, %.1f s, seed %llu, %llu errnos seen\n",
	       (unsigned long long)st->calls, (unsigned long long)st->target,
	       (now_ns(CLOCK_MONOTONIC) - t0) / 1e9, (unsigned long long)seed,
	       (unsigned long long)seen);
	fflush(stdout);
	EXPECT_EQ(0, st->failures) TH_LOG("seed %llu: %llu calls out of their errno set",
					  (unsigned long long)seed,
					  (unsigned long long)st->failures);
	EXPECT_LE(st->target < CHECK_CALLS ? st->target : CHECK_CALLS,
		  st->calls);
}

/* Read one binary record within @ms; 1, 0 (none) or -1. */
static int read_rec(int fd, struct pynq_irq_event *rec, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	return read(fd, rec, sizeof(*rec)) == sizeof(*rec) ? 1 : -1;
}

static int open_binary(const char *path)
{
	struct pynq_irq_setting fmt = { .value = PYNQ_IRQ_FORMAT_BINARY };
	int fd = open(path, O_RDWR | O_NONBLOCK);

	if (fd >= 0 && ioctl(fd, PYNQ_IRQ_SET_FORMAT, &fmt)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* No file the fuzzer opened is left: every node has no client. */
TEST_F(fuzz, no_client_left)
{
	int i;

	find_nodes();
	for (i = 0; i < nr_nodes; i++)
		EXPECT_EQ(0, board_line_attr(nodes[i].name, "clients"))
			TH_LOG("%s", nodes[i].name);
}

/* After the fuzzing, one pulse on a pin is one event, the next seqno. */
TEST_F(fuzz, pin_still_works)
{
	struct pynq_irq_info info;
	struct pynq_irq_event rec;
	char name[64], path[96];
	struct ev e[4];
	int fd, txt, i;

	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	reg_wr(stim, STIM_LEVEL, 0);
	board_intc = 0;
	snprintf(path, sizeof(path), "/dev/pynq-irq/%s",
		 board_pin_name(0, name, sizeof(name)));
	fd = open_binary(path);
	ASSERT_LE(0, fd);
	txt = open(path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, txt);
	/* A storm throttle of the fuzzing ends within a second. */
	for (i = 0; i < 300; i++) {
		ASSERT_EQ(0, ioctl(fd, PYNQ_IRQ_GET_INFO, &info));
		if (!(info.flags & PYNQ_IRQ_INFO_THROTTLED))
			break;
		usleep(10000);
	}
	EXPECT_EQ(PYNQ_IRQ_INFO_ENABLED, info.flags);
	EXPECT_EQ(2, info.clients);
	EXPECT_EQ(0, info.queued);

	reg_wr(stim, STIM_PULSE, 1u << 0);
	ASSERT_EQ(1, read_rec(fd, &rec, 2000));
	EXPECT_EQ(info.interrupts + 1, rec.seqno);
	EXPECT_EQ(0, rec.number);
	EXPECT_EQ(0, rec.lost);
	EXPECT_EQ(0, rec.merged);
	EXPECT_EQ(0, rec.suppressed);
	EXPECT_EQ(0, rec.flags);
	EXPECT_EQ(0, read_rec(fd, &rec, 300)) TH_LOG("a second event");
	ASSERT_EQ(1, read_events(txt, e, 4, 2000));
	EXPECT_EQ(info.interrupts + 1, e[0].seqno);
	close(txt);
	close(fd);
}

/* An SGI raise still works, where there are SGI nodes. */
TEST_F(fuzz, sgi_still_works)
{
	struct pynq_irq_info info;
	struct pynq_irq_event rec;
	int fd, i;

	find_nodes();
	for (i = 0; i < nr_nodes && nodes[i].kind != K_TX; i++)
		;
	if (i == nr_nodes)
		SKIP(return, "no sgi-tx node on this board");
	fd = open_binary(nodes[i].path);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, PYNQ_IRQ_GET_INFO, &info));
	EXPECT_EQ(0, info.queued);
	ASSERT_EQ(1, write(fd, "k", 1));
	ASSERT_EQ(1, read_rec(fd, &rec, 2000));
	EXPECT_EQ(info.interrupts + 1, rec.seqno);
	EXPECT_EQ(nodes[i].number, rec.number);
	EXPECT_EQ(0, read_rec(fd, &rec, 100));
	ASSERT_EQ(0, ioctl(fd, PYNQ_IRQ_GET_INFO, &info));
	EXPECT_EQ(rec.seqno, info.interrupts);
	close(fd);
}

TEST_HARNESS_MAIN
