// SPDX-License-Identifier: GPL-2.0
/*
 * ABI version 1 of the pin nodes: the checked settings, PYNQ_IRQ_GET_INFO,
 * the full text format, timestamps taken at interrupt time, coalescing
 * ("debounce"), SIGIO, and the per-line latency histogram and rate limit
 * in sysfs.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "board.h"
#include "events.h"

static volatile uint32_t *stim;

static int set(int fd, unsigned long cmd, uint32_t value)
{
	struct pynq_irq_setting s = { .value = value };

	return ioctl(fd, cmd, &s);
}

static int get_info(int fd, struct pynq_irq_info *info)
{
	memset(info, 0xa5, sizeof(*info));
	return ioctl(fd, PYNQ_IRQ_GET_INFO, info);
}

/*
 * @count pulses on @mask, each once the INTC acknowledged the one before
 * (so that every pulse is an interrupt of its own), @period_ns apart at
 * least; returns when the train is done.
 */
static void lockstep(uint32_t mask, uint32_t count, uint32_t period_ns)
{
	int i;

	reg_wr(stim, STIM_TRAIN_MASK, mask);
	reg_wr(stim, STIM_TRAIN_PERIOD, period_ns);
	reg_wr(stim, STIM_TRAIN_COUNT, count);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_LOCKSTEP);
	for (i = 0; i < 1000 && reg_rd(stim, STIM_TRAIN_LEFT); i++)
		usleep(10000);
}

/* Read one whole binary record, waiting up to @ms for it; 1, 0 or -1. */
static int read_rec(int fd, struct pynq_irq_event *rec, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (poll(&pfd, 1, ms) != 1)
		return 0;
	n = read(fd, rec, sizeof(*rec));
	return n == sizeof(*rec) ? 1 : -1;
}

FIXTURE(abi) {
	int fd;		/* pin 3, text, O_NONBLOCK */
	int bin;	/* pin 3, binary, O_NONBLOCK */
};

FIXTURE_SETUP(abi)
{
	if (!stim)
		stim = board_map(BOARD_STIM_BASE, 0x1000);
	ASSERT_EQ(STIM_ID_VALUE, reg_rd(stim, STIM_ID));
	reg_wr(stim, STIM_LEVEL, 0);
	reg_wr(stim, STIM_ACK_SEL, 0);
	self->fd = board_open_pin(3, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->fd);
	self->bin = board_open_pin(3, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, self->bin);
	ASSERT_EQ(0, set(self->bin, PYNQ_IRQ_SET_FORMAT,
			 PYNQ_IRQ_FORMAT_BINARY));
}

FIXTURE_TEARDOWN(abi)
{
	reg_wr(stim, STIM_TRAIN_CTRL, 0);
	close(self->fd);
	close(self->bin);
}

/* Every setting checks its struct, its value and the pointer. */
TEST_F(abi, settings_are_checked)
{
	static const unsigned long cmds[] = {
		PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_SET_CLOCK,
		PYNQ_IRQ_SET_QUEUE_DEPTH, PYNQ_IRQ_SET_COALESCE,
	};
	/* A valid value for each, then out-of-range ones. */
	static const uint32_t good[] = { PYNQ_IRQ_FORMAT_TEXT_FULL,
					 CLOCK_BOOTTIME, 1, 0 };
	static const struct { unsigned long cmd; uint32_t v; } bad[] = {
		{ PYNQ_IRQ_SET_FORMAT, 3 },
		{ PYNQ_IRQ_SET_FORMAT, ~0u },
		{ PYNQ_IRQ_SET_CLOCK, CLOCK_PROCESS_CPUTIME_ID },
		{ PYNQ_IRQ_SET_CLOCK, 99 },
		{ PYNQ_IRQ_SET_QUEUE_DEPTH, 0 },
		{ PYNQ_IRQ_SET_QUEUE_DEPTH, PYNQ_IRQ_QUEUE_MAX + 1 },
		{ PYNQ_IRQ_SET_COALESCE, PYNQ_IRQ_COALESCE_MAX_US + 1 },
		{ PYNQ_IRQ_SET_COALESCE, ~0u },
	};
	struct pynq_irq_setting s;
	struct pynq_irq_info info;
	int fd = self->fd;
	unsigned int i;
	void *ro;

	for (i = 0; i < 4; i++) {
		s = (struct pynq_irq_setting){ .value = good[i] };
		EXPECT_EQ(0, ioctl(fd, cmds[i], &s)) TH_LOG("ioctl %u", i);
		s.flags = 1;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], &s));
		EXPECT_EQ(EINVAL, errno) TH_LOG("flags, ioctl %u", i);
		s.flags = 0;
		s.reserved[1] = 0x80000000u;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], &s));
		EXPECT_EQ(EINVAL, errno) TH_LOG("reserved, ioctl %u", i);
		EXPECT_EQ(-1, ioctl(fd, cmds[i], (void *)8));
		EXPECT_EQ(EFAULT, errno) TH_LOG("pointer, ioctl %u", i);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, set(fd, bad[i].cmd, bad[i].v));
		EXPECT_EQ(EINVAL, errno) TH_LOG("bad value %u", i);
	}
	/* The boundaries are accepted. */
	EXPECT_EQ(0, set(fd, PYNQ_IRQ_SET_QUEUE_DEPTH, PYNQ_IRQ_QUEUE_MAX));
	EXPECT_EQ(0, set(fd, PYNQ_IRQ_SET_COALESCE, PYNQ_IRQ_COALESCE_MAX_US));
	ASSERT_EQ(0, get_info(fd, &info));
	EXPECT_EQ(PYNQ_IRQ_QUEUE_MAX, info.queue_depth);
	EXPECT_EQ(PYNQ_IRQ_COALESCE_MAX_US, info.coalesce_us);
	EXPECT_EQ(PYNQ_IRQ_FORMAT_TEXT_FULL, info.format);
	EXPECT_EQ(CLOCK_BOOTTIME, info.clock);

	/* Version 0's ioctls (a bare __u32) are not ours any more. */
	EXPECT_EQ(-1, ioctl(fd, _IOW(PYNQ_IRQ_IOC_MAGIC, 0x01, __u32), &i));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IOR(PYNQ_IRQ_IOC_MAGIC, 0x04, __u32), &i));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(PYNQ_IRQ_IOC_MAGIC, 0x7f), 0));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_GET_INFO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ro != MAP_FAILED);
	EXPECT_EQ(-1, ioctl(fd, PYNQ_IRQ_GET_INFO, ro));
	EXPECT_EQ(EFAULT, errno);
	munmap(ro, 4096);
}

/* GET_INFO: the line's state and this file's own settings. */
TEST_F(abi, info_shows_the_line_and_the_file)
{
	struct pynq_irq_info info, other;
	char name[64];
	int level, i;

	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_STREQ(board_pin_name(3, name, sizeof(name)), info.name);
	EXPECT_EQ(3, info.number);
	EXPECT_EQ(PYNQ_IRQ_TRIGGER_EDGE, info.trigger);
	EXPECT_EQ(PYNQ_IRQ_INFO_ENABLED, info.flags);
	EXPECT_EQ(2, info.clients);
	EXPECT_EQ(board_pin_attr(3, "interrupts"), (long long)info.interrupts);
	EXPECT_EQ(board_pin_attr(3, "lost"), (long long)info.lost);
	EXPECT_EQ(board_pin_attr(3, "throttled"), (long long)info.throttled);
	EXPECT_EQ(board_pin_attr(3, "rate_limit"), info.rate_limit);
	EXPECT_EQ(PYNQ_IRQ_FORMAT_TEXT, info.format);
	EXPECT_EQ(CLOCK_MONOTONIC, info.clock);
	EXPECT_EQ(PYNQ_IRQ_QUEUE_DEFAULT, info.queue_depth);
	EXPECT_EQ(0, info.queued);
	EXPECT_EQ(0, info.coalesce_us);
	for (i = 0; i < 8; i++)
		EXPECT_EQ(0, info.reserved[i]);

	/* Settings are per file: the other file of the pin keeps its own. */
	ASSERT_EQ(0, set(self->fd, PYNQ_IRQ_SET_CLOCK, CLOCK_REALTIME));
	ASSERT_EQ(0, set(self->fd, PYNQ_IRQ_SET_QUEUE_DEPTH, 100));
	ASSERT_EQ(0, set(self->fd, PYNQ_IRQ_SET_COALESCE, 1500));
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(CLOCK_REALTIME, info.clock);
	EXPECT_EQ(100, info.queue_depth);
	EXPECT_EQ(1500, info.coalesce_us);
	ASSERT_EQ(0, get_info(self->bin, &other));
	EXPECT_EQ(PYNQ_IRQ_FORMAT_BINARY, other.format);
	EXPECT_EQ(CLOCK_MONOTONIC, other.clock);
	EXPECT_EQ(PYNQ_IRQ_QUEUE_DEFAULT, other.queue_depth);
	EXPECT_EQ(0, other.coalesce_us);

	/* queued counts what waits in this file's queue. */
	ASSERT_EQ(0, set(self->fd, PYNQ_IRQ_SET_COALESCE, 0));
	lockstep(1u << 3, 3, 100000);
	ASSERT_EQ(0, get_info(self->fd, &info));
	EXPECT_EQ(3, info.queued);
	EXPECT_EQ(board_pin_attr(3, "interrupts"), (long long)info.interrupts);

	/* A level pin says so. */
	level = board_open_pin(20, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, level);
	ASSERT_EQ(0, get_info(level, &info));
	EXPECT_EQ(PYNQ_IRQ_TRIGGER_LEVEL, info.trigger);
	EXPECT_EQ(20, info.number);
	EXPECT_EQ(1, info.clients);
	close(level);
}

/* The full text format adds merged, suppressed and flags; the default
 * keeps its three fields.
 */
TEST_F(abi, full_text_format)
{
	unsigned long long seq, seq3, sec;
	unsigned int lost, merged, supp;
	char frac[16], flags[32], buf[256];
	struct ev e[2];
	ssize_t n;
	int fd;

	fd = board_open_pin(3, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, set(fd, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_TEXT_FULL));
	lockstep(1u << 3, 1, 100000);
	n = read(fd, buf, sizeof(buf) - 1);
	ASSERT_LT(0, n);
	buf[n] = 0;
	ASSERT_EQ(7, sscanf(buf, "%llu %llu.%15[0-9] %u %u %u %31s\n", &seq,
			    &sec, frac, &lost, &merged, &supp, flags))
		TH_LOG("line '%s'", buf);
	EXPECT_EQ(9, strlen(frac));
	EXPECT_EQ(0, lost);
	EXPECT_EQ(0, merged);
	EXPECT_EQ(0, supp);
	EXPECT_STREQ("-", flags);
	EXPECT_EQ('\n', buf[n - 1]);
	EXPECT_TRUE(strchr(buf, '\n') == buf + n - 1);

	ASSERT_EQ(1, read_events(self->fd, e, 2, 2000));
	seq3 = e[0].seqno;
	EXPECT_EQ(seq, seq3);
	close(fd);
}

/*
 * SET_FORMAT waits for a text line that is half read, and for one that a
 * read took from the queue but could not copy (its buffer turned bad
 * part-way): EBUSY until the next read returns the rest, and no event is
 * lost. The read with the bad buffer returns the lines before it.
 */
TEST_F(abi, format_waits_for_a_half_read_line)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long seq[3];
	char line[64], rest[64], *map, *buf;
	ssize_t n, len;
	int fd;

	fd = board_open_pin(3, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	lockstep(1u << 3, 3, 100000);

	/*
	 * The first line: 3 bytes, then EBUSY; then the rest a byte a read
	 * (a larger read would go on with the next lines).
	 */
	n = read(fd, line, 3);
	ASSERT_EQ(3, n);
	EXPECT_EQ(-1, set(fd, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY));
	EXPECT_EQ(EBUSY, errno);
	for (len = 3; len < (ssize_t)sizeof(line) - 1 && line[len - 1] != '\n';
	     len++)
		ASSERT_EQ(1, read(fd, line + len, 1));
	line[len] = 0;
	ASSERT_EQ('\n', line[len - 1]) TH_LOG("'%s'", line);
	ASSERT_EQ(1, sscanf(line, "%llu", &seq[0]));

	/* The second line fits before a page that cannot be written, the
	 * third does not: the read returns the second alone.
	 */
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(map != MAP_FAILED);
	ASSERT_EQ(0, mprotect(map + page, page, PROT_NONE));
	buf = map + page - len - 2;
	n = read(fd, buf, 2 * len);
	ASSERT_LT(0, n) TH_LOG("read: %s", strerror(errno));
	ASSERT_GE(len + 2, n);
	ASSERT_EQ('\n', buf[n - 1]);
	memcpy(rest, buf, n);
	rest[n] = 0;
	ASSERT_EQ(1, sscanf(rest, "%llu", &seq[1]));
	EXPECT_EQ(seq[0] + 1, seq[1]);
	EXPECT_EQ(-1, set(fd, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY));
	EXPECT_EQ(EBUSY, errno);
	munmap(map, 2 * page);

	/* The next read returns the third, and then the format can change. */
	n = read(fd, rest, sizeof(rest) - 1);
	ASSERT_LT(0, n);
	rest[n] = 0;
	ASSERT_EQ(1, sscanf(rest, "%llu", &seq[2]));
	EXPECT_EQ(seq[1] + 1, seq[2]);
	EXPECT_EQ(0, set(fd, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY));
	close(fd);
}

/*
 * CLOCK_REALTIME stamps are taken at interrupt time: stepping the clock
 * between the pulse and the read does not move the event's stamp.
 */
TEST_F(abi, realtime_stamp_is_the_interrupts)
{
	struct timespec ts;
	uint64_t before, after;
	struct ev e[2];
	const int64_t step = 1000ll * 1000000000ll;

	/* 2030-01-01: well after boot, so that stepping back is allowed. */
	ts = (struct timespec){ .tv_sec = 1893456000 };
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &ts));
	ASSERT_EQ(0, set(self->fd, PYNQ_IRQ_SET_CLOCK, CLOCK_REALTIME));
	before = now_ns(CLOCK_REALTIME);
	lockstep(1u << 3, 1, 100000);
	after = now_ns(CLOCK_REALTIME);
	ASSERT_EQ(1, poll(&(struct pollfd){ .fd = self->fd, .events = POLLIN },
			  1, 2000));

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += step / 1000000000ll;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &ts));
	EXPECT_EQ(1, read_events(self->fd, e, 2, 2000));
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec -= step / 1000000000ll;
	ASSERT_EQ(0, clock_settime(CLOCK_REALTIME, &ts));

	EXPECT_LE(before, e[0].ns);
	EXPECT_GE(after, e[0].ns) TH_LOG("the stamp moved by %.3f s",
					 ((int64_t)(e[0].ns - after)) / 1e9);
}

/*
 * A bouncing button: a burst of pulses microseconds apart, then silence.
 * A file with a coalescing window gets one event for the burst, whose
 * merged counts the rest; another file of the pin still sees every
 * interrupt, and its default text lines keep their three fields.
 */
TEST_F(abi, coalesce_folds_a_bouncing_burst)
{
	struct pynq_irq_event rec, all[16];
	int deb, round, n, i;
	struct ev e[16];

	deb = board_open_pin(3, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, deb);
	ASSERT_EQ(0, set(deb, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY));
	/* 200 ms: far more than the burst takes, even in the debug kernel. */
	ASSERT_EQ(0, set(deb, PYNQ_IRQ_SET_COALESCE, 200000));

	for (round = 0; round < 2; round++) {
		lockstep(1u << 3, 7, 2000);
		/* The other files: every interrupt. */
		n = 0;
		while (n < 7 && read_rec(self->bin, &all[n], 2000) == 1)
			n++;
		ASSERT_EQ(7, n);
		for (i = 1; i < 7; i++)
			EXPECT_EQ(all[0].seqno + i, all[i].seqno);
		ASSERT_EQ(7, read_events(self->fd, e, 16, 2000));

		/* The coalescing file: one event for the seven. */
		ASSERT_EQ(1, read_rec(deb, &rec, 2000));
		EXPECT_EQ(all[0].seqno, rec.seqno);
		EXPECT_EQ(all[0].timestamp_ns, rec.timestamp_ns);
		EXPECT_EQ(6, rec.merged) TH_LOG("round %d", round);
		EXPECT_EQ(0, rec.lost);
		EXPECT_EQ(0, rec.suppressed);
		EXPECT_EQ(0, rec.flags);
		/* Nothing more for the burst. */
		EXPECT_EQ(0, read_rec(deb, &rec, 300));
	}
	close(deb);
}

/* A coalesced event is held until its window closes. */
TEST_F(abi, coalesced_event_waits_for_its_window)
{
	struct pynq_irq_event rec;
	uint64_t t0;
	int deb;

	deb = board_open_pin(3, O_RDONLY);
	ASSERT_LE(0, deb);
	ASSERT_EQ(0, set(deb, PYNQ_IRQ_SET_FORMAT, PYNQ_IRQ_FORMAT_BINARY));
	ASSERT_EQ(0, set(deb, PYNQ_IRQ_SET_COALESCE, 500000));
	t0 = now_ns(CLOCK_MONOTONIC);
	lockstep(1u << 3, 1, 100000);
	ASSERT_EQ(sizeof(rec), read(deb, &rec, sizeof(rec)));
	/* The read returned once the 500 ms window had closed. */
	EXPECT_LE(rec.timestamp_ns + 500000000ull, now_ns(CLOCK_MONOTONIC));
	EXPECT_LE(t0, rec.timestamp_ns);
	EXPECT_EQ(0, rec.merged);

	/* Turning coalescing off queues an open window's event at once. */
	lockstep(1u << 3, 1, 100000);
	EXPECT_EQ(0, poll(&(struct pollfd){ .fd = deb, .events = POLLIN }, 1,
			  0));
	ASSERT_EQ(0, set(deb, PYNQ_IRQ_SET_COALESCE, 0));
	EXPECT_EQ(1, poll(&(struct pollfd){ .fd = deb, .events = POLLIN }, 1,
			  0));
	close(deb);
}

static volatile sig_atomic_t sigios;

static void on_sigio(int sig)
{
	sigios++;
}

/*
 * A program that waits in sigsuspend() gets SIGIO for each event queued
 * (F_SETOWN + O_ASYNC), and so every pulse's event: the parent checks
 * that the child sleeps in sigsuspend() before each pulse.
 */
TEST_F(abi, sigio_wakes_sigsuspend)
{
	int ready[2], pid, status, i, got;
	const int pulses = 20;
	char seen[96];

	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct sigaction sa = { .sa_handler = on_sigio };
		sigset_t block, wait;
		struct ev e[32];
		int fd, n = 0, r;

		sigemptyset(&block);
		sigaddset(&block, SIGIO);
		sigprocmask(SIG_BLOCK, &block, &wait);
		sigdelset(&wait, SIGIO);
		sigaction(SIGIO, &sa, NULL);
		fd = board_open_pin(3, O_RDONLY | O_NONBLOCK);
		if (fd < 0 || fcntl(fd, F_SETOWN, getpid()) ||
		    fcntl(fd, F_SETFL, O_RDONLY | O_NONBLOCK | O_ASYNC))
			_exit(2);
		if (write(ready[1], &n, sizeof(n)) != sizeof(n))
			_exit(3);
		while (n < pulses) {
			sigsuspend(&wait);
			while ((r = read_events(fd, e, 32, 0)) > 0)
				n += r;
			if (r < 0)
				_exit(4);
			if (write(ready[1], &n, sizeof(n)) != sizeof(n))
				_exit(3);
		}
		_exit(sigios >= pulses ? 0 : 5);
	}
	close(ready[1]);
	ASSERT_EQ(sizeof(got), read(ready[0], &got, sizeof(got)));
	for (i = 1; i <= pulses; i++) {
		ASSERT_EQ(0, wait_blocked(pid, "sigsuspend", seen, sizeof(seen)))
			TH_LOG("pulse %d: the child is not in sigsuspend: %s", i,
			       seen);
		reg_wr(stim, STIM_PULSE, 1u << 3);
		ASSERT_EQ(sizeof(got), read(ready[0], &got, sizeof(got)));
		EXPECT_EQ(i, got);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(ready[0]);
}

/* Run @fn as an unprivileged user; its exit status. */
static int as_nobody(int (*fn)(const char *), const char *arg)
{
	int pid = fork(), status;

	if (!pid) {
		if (setgid(65534) || setuid(65534))
			_exit(100);
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_errno(const char *path)
{
	int fd = open(path, O_RDONLY);

	if (fd >= 0)
		close(fd);
	return fd < 0 ? errno : 0;
}

static int write_errno(const char *path)
{
	return -sysfs_write(path, "0");
}

/* The histogram's reads, bucket by bucket; -1 on a malformed line. */
static long long latency_reads(const char *path, long long *max_us)
{
	char buf[2048], *line, *save;
	unsigned long long from, to, n, sum = 0;

	*max_us = -1;
	if (sysfs_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%llu %llu %llu", &from, &to, &n) != 3 ||
		    to != (from ? 2 * from : 1))
			return -1;
		sum += n;
		if (n)
			*max_us = to;
	}
	return sum;
}

/*
 * sysfs "latency": reads that returned an event, by log2 µs from the
 * interrupt to the read; root only; writing 0 empties it.
 */
TEST_F(abi, latency_histogram)
{
	char path[128], name[64];
	struct pynq_irq_event rec;
	long long max_us;
	struct stat st;
	int i;

	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/latency",
		 board_pin_name(3, name, sizeof(name)));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 0777);
	EXPECT_EQ(EACCES, as_nobody(open_errno, path));
	EXPECT_EQ(EACCES, as_nobody(write_errno, path));

	ASSERT_EQ(0, sysfs_write(path, "0"));
	EXPECT_EQ(0, latency_reads(path, &max_us));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "1"));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "zero"));

	/*
	 * Ten events, then one read 300 ms after its pulse: its bucket is
	 * the one of 262,144 to 524,288 us or a later one (if the host was
	 * slow), and it is the last one that is not empty unless one of the
	 * ten was as late.
	 */
	lockstep(1u << 3, 10, 100000);
	for (i = 0; i < 10; i++)
		ASSERT_EQ(1, read_rec(self->bin, &rec, 2000));
	EXPECT_EQ(10, latency_reads(path, &max_us));
	EXPECT_LE(1, max_us);
	lockstep(1u << 3, 1, 100000);
	usleep(300000);
	ASSERT_EQ(1, read_rec(self->bin, &rec, 2000));
	EXPECT_EQ(11, latency_reads(path, &max_us));
	EXPECT_LE(1 << 19, max_us) TH_LOG("read 300 ms after: bucket to %lld us",
					  max_us);
	/* The text file's reads count too. */
	ASSERT_EQ(0, sysfs_write(path, "0"));
	EXPECT_EQ(0, latency_reads(path, &max_us));
}

/* sysfs "rate_limit": root sets it, in range; "throttled" counts. */
TEST_F(abi, rate_limit_is_checked)
{
	char path[128], name[64], buf[32];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/rate_limit",
		 board_pin_name(3, name, sizeof(name)));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	ASSERT_LT(0, sysfs_read(path, buf, sizeof(buf)));
	EXPECT_STREQ("20000\n", buf);
	EXPECT_EQ(EACCES, as_nobody(write_errno, path));
	EXPECT_EQ(-ERANGE, sysfs_write(path, "10000001"));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "-1"));
	EXPECT_EQ(-EINVAL, sysfs_write(path, "fast"));
	EXPECT_EQ(0, sysfs_write(path, "0"));
	EXPECT_EQ(0, board_pin_attr(3, "rate_limit"));
	EXPECT_EQ(0, sysfs_write(path, "10000000"));
	EXPECT_EQ(10000000, board_pin_attr(3, "rate_limit"));
	EXPECT_EQ(0, sysfs_write(path, "20000"));
	EXPECT_LE(0, board_pin_attr(3, "throttled"));
}

TEST_HARNESS_MAIN
