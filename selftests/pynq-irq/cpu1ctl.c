// SPDX-License-Identifier: GPL-2.0
/*
 * cpu1ctl - start and drive the bare-metal program on CPU1 (cpu1/) from
 * Linux, through /dev/mem and the mailbox described in cpu1/mailbox.h.
 *
 *   cpu1ctl start FILE.bin       load FILE.bin, start CPU1, wait for it
 *   cpu1ctl status               mailbox summary (exit 1 if not running)
 *   cpu1ctl rx ID | tx ID        one SGI counter, as a number
 *   cpu1ctl cmd NAME [ARGS...]   run one command, wait for its ack
 *   cpu1ctl reset                stop PERIODIC, clear echoes and counters
 *
 * Exit status: 0 success, 1 failure (CPU1 not running, timeout, command
 * refused), 2 bad usage.
 *
 * Build: $(CC) -static -O2 -I<project>/cpu1 cpu1ctl.c -o cpu1ctl
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#define _FILE_OFFSET_BITS 64	/* 0xFFFFF000 does not fit a 32-bit off_t */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mailbox.h"

#define GICD_PHYS		0xF8F01000u	/* Zynq-7000 GIC distributor */
#define GICD_SGIR		0xF00u
#define GICD_SGIR_TO_CPU1	(0x0u << 24 | 0x02u << 16)	/* target list */
#define START_SGI		15u	/* wakes CPU1's hold loop */
#define TIMEOUT_MS		2000

/* dsb: all memory accesses before it complete before anything after it. */
static inline void dsb(void)
{
#ifdef __arm__
	__asm__ volatile("dsb" ::: "memory");
#else
	__sync_synchronize();
#endif
}

/* sev: wake a CPU that waits in WFE (the Zynq BootROM hold loop). */
static inline void sev(void)
{
#ifdef __arm__
	__asm__ volatile("sev" ::: "memory");
#endif
}

static const char *prog = "cpu1ctl";
static int mem_fd = -1;
static volatile struct cpu1_mailbox *mb;

static const char usage_text[] =
	"usage: cpu1ctl start FILE.bin     load FILE.bin at 0x3f000000 and start CPU1\n"
	"       cpu1ctl status             show the mailbox\n"
	"       cpu1ctl rx ID              SGIs CPU1 received with id ID (0-15)\n"
	"       cpu1ctl tx ID              SGIs CPU1 raised to CPU0 with id ID\n"
	"       cpu1ctl cmd nop\n"
	"       cpu1ctl cmd echo A B|none  on SGI A raise SGI B to CPU0\n"
	"       cpu1ctl cmd burst B N      raise SGI B N times back to back\n"
	"       cpu1ctl cmd periodic B PERIOD_US [COUNT]\n"
	"                                  raise SGI B every PERIOD_US (>= 1000),\n"
	"                                  COUNT times (default 0: until stop)\n"
	"       cpu1ctl cmd stop           stop periodic\n"
	"       cpu1ctl cmd reset-counts   zero the counters\n"
	"       cpu1ctl reset              stop, clear all echoes, zero the counters\n"
	"CPU1 raises SGIs 8-15 only; start waits for the program, cmd for its ack,\n"
	"up to 2 s each. Exit status: 0 ok, 1 failure, 2 bad usage.\n";

static void __attribute__((noreturn)) usage(const char *fmt, ...)
{
	va_list ap;

	if (fmt) {
		fprintf(stderr, "%s: ", prog);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fprintf(stderr, "\n(%s --help shows the usage)\n", prog);
	} else {
		fputs(usage_text, stderr);
	}
	exit(2);
}

static void __attribute__((noreturn)) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t parse_u32(const char *what, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (!*s || *s == '-' || *end || errno || v > 0xFFFFFFFFull)
		usage("%s: '%s' is not a number (0 to 4294967295)", what, s);
	return (uint32_t)v;
}

static uint32_t parse_sgi(const char *what, const char *s)
{
	uint32_t id = parse_u32(what, s);

	if (id >= CPU1_NR_SGI)
		usage("%s: SGI %u does not exist (0-15)", what, id);
	return id;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void open_mem(void)
{
	mem_fd = open("/dev/mem", O_RDWR | O_SYNC);
	if (mem_fd < 0)
		die("cannot open /dev/mem: %s (needs root and CONFIG_DEVMEM)",
		    strerror(errno));
	/* One cpu1ctl at a time talks to the mailbox. */
	if (flock(mem_fd, LOCK_EX) < 0)
		die("cannot lock /dev/mem: %s", strerror(errno));
}

/* Uncached mapping (O_SYNC) of [phys, phys + len), phys page aligned. */
static volatile void *map_phys(uint32_t phys, size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, mem_fd,
		       (off_t)phys);

	if (p == MAP_FAILED)
		die("cannot map physical 0x%08x (+0x%zx) through /dev/mem: %s",
		    phys, len, strerror(errno));
	return p;
}

static void map_mailbox(void)
{
	open_mem();
	mb = map_phys(CPU1_MBOX_PHYS, CPU1_MBOX_SIZE);
}

/* Does the heartbeat move? (Returns after one tick when it does.) */
static int heartbeat_moves(void)
{
	uint32_t hb = mb->heartbeat;
	uint64_t end = now_ms() + 500;

	do {
		usleep(1000);
		if (mb->heartbeat != hb)
			return 1;
	} while (now_ms() < end);
	return 0;
}

static void print_fault(void)
{
	if (mb->fault)
		fprintf(stderr,
			"%s: CPU1 stopped on exception vector 0x%02x at pc 0x%08x\n",
			prog, mb->fault, mb->fault_pc);
}

static void require_running(void)
{
	if (mb->magic != CPU1_MAGIC)
		die("the CPU1 program is not running (magic 0x%08x); start it with '%s start cpu1.bin'",
		    mb->magic, prog);
	if (mb->version != CPU1_MBOX_VERSION)
		die("the CPU1 program speaks mailbox version %u, this tool %u",
		    mb->version, CPU1_MBOX_VERSION);
}

static const char *status_text(uint32_t status)
{
	switch (status) {
	case CPU1_OK:
		return "ok";
	case CPU1_ERR_CMD:
		return "unknown command";
	case CPU1_ERR_SGI:
		return "SGI not allowed (CPU1 raises SGIs 8-15 only, receives 0-15)";
	case CPU1_ERR_ARG:
		return "argument out of range";
	}
	return "unknown status";
}

/* Submit one command and wait for its ack; returns the command's status. */
static uint32_t run_cmd(uint32_t cmd, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint64_t end = now_ms() + TIMEOUT_MS;
	uint32_t seq;

	require_running();
	while (mb->cmd_ack != mb->cmd_seq) {	/* someone else's command */
		if (now_ms() > end)
			die("CPU1 does not finish the previous command (seq %u, ack %u)",
			    mb->cmd_seq, mb->cmd_ack);
		usleep(200);
	}
	seq = mb->cmd_seq + 1;
	mb->cmd = cmd;
	mb->arg0 = a0;
	mb->arg1 = a1;
	mb->arg2 = a2;
	dsb();			/* command and arguments before the sequence */
	mb->cmd_seq = seq;

	end = now_ms() + TIMEOUT_MS;
	while (mb->cmd_ack != seq) {
		if (now_ms() > end) {
			print_fault();
			die("no ack from CPU1 within %d ms (cmd %u, seq %u, heartbeat %u)",
			    TIMEOUT_MS, cmd, seq, mb->heartbeat);
		}
		usleep(200);
	}
	dsb();			/* the ack before the results */
	return mb->status;
}

static void cmd_checked(uint32_t cmd, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint32_t status = run_cmd(cmd, a0, a1, a2);

	if (status != CPU1_OK)
		die("CPU1 refused the command: %s (status %u)",
		    status_text(status), status);
}

static int do_cmd(int argc, char **argv)
{
	const char *name;
	uint32_t a0 = 0, a1 = 0, a2 = 0, cmd;

	if (argc < 1)
		usage("cmd: which command?");
	name = argv[0];
	argc--;
	argv++;
	if (!strcmp(name, "nop") && argc == 0) {
		cmd = CPU1_CMD_NOP;
	} else if (!strcmp(name, "echo") && argc == 2) {
		cmd = CPU1_CMD_ECHO;
		a0 = parse_u32("echo A", argv[0]);
		a1 = strcmp(argv[1], "none") ? parse_u32("echo B", argv[1]) :
					       CPU1_SGI_NONE;
	} else if (!strcmp(name, "burst") && argc == 2) {
		cmd = CPU1_CMD_BURST;
		a0 = parse_u32("burst B", argv[0]);
		a1 = parse_u32("burst N", argv[1]);
	} else if (!strcmp(name, "periodic") && (argc == 2 || argc == 3)) {
		cmd = CPU1_CMD_PERIODIC;
		a0 = parse_u32("periodic B", argv[0]);
		a1 = parse_u32("periodic PERIOD_US", argv[1]);
		if (argc == 3)
			a2 = parse_u32("periodic COUNT", argv[2]);
	} else if (!strcmp(name, "stop") && argc == 0) {
		cmd = CPU1_CMD_STOP;
	} else if ((!strcmp(name, "reset-counts") ||
		    !strcmp(name, "reset_counts")) && argc == 0) {
		cmd = CPU1_CMD_RESET_COUNTS;
	} else {
		usage("cmd: unknown command or wrong arguments: %s", name);
	}

	map_mailbox();
	cmd_checked(cmd, a0, a1, a2);
	return 0;
}

static int do_reset(void)
{
	uint32_t i;

	map_mailbox();
	cmd_checked(CPU1_CMD_STOP, 0, 0, 0);
	for (i = 0; i < CPU1_NR_SGI; i++)
		if (mb->echo[i] != CPU1_SGI_NONE)
			cmd_checked(CPU1_CMD_ECHO, i, CPU1_SGI_NONE, 0);
	cmd_checked(CPU1_CMD_RESET_COUNTS, 0, 0, 0);
	return 0;
}

static int do_counter(int tx, uint32_t id)
{
	map_mailbox();
	require_running();
	printf("%u\n", tx ? mb->tx_count[id] : mb->rx_count[id]);
	return 0;
}

static int do_status(void)
{
	int running, i, any;

	map_mailbox();
	if (mb->magic != CPU1_MAGIC) {
		printf("magic: 0x%08x (the CPU1 program is not running)\n",
		       mb->magic);
		return 1;
	}
	running = heartbeat_moves();
	printf("magic: 0x%08x (ready)\n", mb->magic);
	printf("version: %u\n", mb->version);
	printf("heartbeat: %u (%s)\n", mb->heartbeat,
	       running ? "running" : "STOPPED");
	printf("timer_hz: %u\n", mb->timer_hz);
	printf("image: %u bytes, hash 0x%08x\n", mb->image_size, mb->image_hash);
	printf("command: seq %u, ack %u, status %u (%s)\n", mb->cmd_seq,
	       mb->cmd_ack, mb->status, status_text(mb->status));
	if (mb->periodic_sgi == CPU1_SGI_NONE)
		printf("periodic: off\n");
	else if (mb->periodic_left)
		printf("periodic: SGI %u every %u us, %u left\n",
		       mb->periodic_sgi, mb->periodic_us, mb->periodic_left);
	else
		printf("periodic: SGI %u every %u us, until stop\n",
		       mb->periodic_sgi, mb->periodic_us);
	for (i = 0, any = 0; i < (int)CPU1_NR_SGI; i++) {
		if (mb->echo[i] == CPU1_SGI_NONE)
			continue;
		printf("%s%d->%u", any ? " " : "echo: ", i, mb->echo[i]);
		any = 1;
	}
	if (any)
		putchar('\n');
	for (i = 0; i < (int)CPU1_NR_SGI; i++)
		if (mb->rx_count[i])
			printf("rx[%d]: %u\n", i, mb->rx_count[i]);
	for (i = 0; i < (int)CPU1_NR_SGI; i++)
		if (mb->tx_count[i])
			printf("tx[%d]: %u\n", i, mb->tx_count[i]);
	if (mb->refused)
		printf("refused: %u\n", mb->refused);
	if (mb->other_irqs)
		printf("other_irqs: %u\n", mb->other_irqs);
	if (mb->fault)
		printf("fault: vector 0x%02x, pc 0x%08x\n", mb->fault,
		       mb->fault_pc);
	return running ? 0 : 1;
}

static uint8_t *read_image(const char *path, uint32_t *size)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("cannot open %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die("cannot stat %s: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode) || st.st_size == 0)
		die("%s: not a non-empty regular file", path);
	if (st.st_size > (off_t)CPU1_IMAGE_MAX)
		die("%s: %lld bytes, more than the %u bytes before the mailbox",
		    path, (long long)st.st_size, CPU1_IMAGE_MAX);
	/* Whole words: the image is copied with 32-bit stores. */
	buf = calloc(1, ((size_t)st.st_size + 3) & ~(size_t)3);
	if (!buf)
		die("out of memory");
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("cannot read %s: %s", path,
			    n ? strerror(errno) : "short read");
		done += n;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

static int cpu1_online_in_linux(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/cpu1/online", "r");
	int c;

	if (!f)
		return 0;
	c = fgetc(f);
	fclose(f);
	return c == '1';
}

static int do_start(const char *path)
{
	volatile uint32_t *load, *start, *gicd;
	uint32_t size, words, hash, i;
	size_t map_len;
	uint8_t *image;
	uint64_t end;

	image = read_image(path, &size);
	hash = cpu1_image_hash(image, size);
	if (cpu1_online_in_linux())
		die("CPU1 runs Linux; boot with maxcpus=1 so it stays in its hold loop");

	map_mailbox();
	start = map_phys(CPU1_START_ADDR_PHYS & ~0xFFFu, 0x1000);
	start += (CPU1_START_ADDR_PHYS & 0xFFFu) / 4;

	if (mb->magic == CPU1_MAGIC && heartbeat_moves()) {
		if (mb->image_size == size && mb->image_hash == hash) {
			printf("cpu1: %s already runs on CPU1 (heartbeat %u)\n",
			       path, mb->heartbeat);
			return 0;
		}
		die("another program runs on CPU1 (%u bytes, hash 0x%08x; %s: %u bytes, hash 0x%08x); reboot to load a new one",
		    mb->image_size, mb->image_hash, path, size, hash);
	}
	if (*start != 0) {
		if (mb->magic == CPU1_MAGIC)
			print_fault();
		die("CPU1 already left its hold loop for 0x%08x and runs no program now; reboot to start it again",
		    *start);
	}

	/* Copy the image with aligned 32-bit stores, then check it. */
	words = (size + 3) / 4;
	map_len = ((size_t)words * 4 + 0xFFF) & ~(size_t)0xFFF;
	load = map_phys(CPU1_LOAD_PHYS, map_len);
	for (i = 0; i < words; i++)
		load[i] = ((const uint32_t *)image)[i];
	for (i = 0; i < words; i++)
		if (load[i] != ((const uint32_t *)image)[i])
			die("image copy to 0x%08x does not read back at offset 0x%x",
			    CPU1_LOAD_PHYS, i * 4);

	mb->magic = 0;
	mb->image_size = size;
	mb->image_hash = hash;

	/*
	 * Start: the entry address first; then the SGI, which wakes the hold
	 * loop's WFI (CPU1 takes it later, with interrupts masked, and drains
	 * it); then SEV for a hold loop that sleeps in WFE (the real BootROM).
	 * Raising the SGI before SEV means CPU1 never sees it arrive after
	 * it has drained the GIC.
	 */
	gicd = map_phys(GICD_PHYS, 0x1000);
	dsb();			/* the image and mailbox before the address */
	*start = CPU1_LOAD_PHYS;
	dsb();
	gicd[GICD_SGIR / 4] = GICD_SGIR_TO_CPU1 | START_SGI;
	dsb();
	sev();

	end = now_ms() + TIMEOUT_MS;
	while (mb->magic != CPU1_MAGIC) {
		if (now_ms() > end) {
			print_fault();
			die("CPU1 did not start %s within %d ms (no magic in the mailbox at 0x%08x)",
			    path, TIMEOUT_MS, CPU1_MBOX_PHYS);
		}
		usleep(1000);
	}
	require_running();
	printf("cpu1: started %s (%u bytes at 0x%08x)\n", path, size,
	       CPU1_LOAD_PHYS);
	free(image);
	return 0;
}

int main(int argc, char **argv)
{
	const char *verb;

	if (argc < 2)
		usage(NULL);
	verb = argv[1];
	if (!strcmp(verb, "-h") || !strcmp(verb, "--help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(verb, "start") && argc == 3)
		return do_start(argv[2]);
	if (!strcmp(verb, "status") && argc == 2)
		return do_status();
	if (!strcmp(verb, "rx") && argc == 3)
		return do_counter(0, parse_sgi("rx ID", argv[2]));
	if (!strcmp(verb, "tx") && argc == 3)
		return do_counter(1, parse_sgi("tx ID", argv[2]));
	if (!strcmp(verb, "cmd"))
		return do_cmd(argc - 2, argv + 2);
	if (!strcmp(verb, "reset") && argc == 2)
		return do_reset();
	usage("unknown command or wrong arguments: %s", verb);
}
