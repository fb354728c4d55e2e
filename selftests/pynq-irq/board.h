/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The emulated PYNQ board as the tests see it: addresses of the AXI INTC
 * and of the stimulus block, and helpers to drive the stimulus through
 * /dev/mem. Documentation/board.rst has the register maps.
 */
#ifndef PYNQ_IRQ_BOARD_H
#define PYNQ_IRQ_BOARD_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

_Static_assert(sizeof(off_t) == 8, "build with -D_FILE_OFFSET_BITS=64");

#define BOARD_INTC_BASE		0x41800000u
#define BOARD_STIM_BASE		0x43c00000u
#define BOARD_EDGE_PINS		0x0000ffffu	/* pins 0-15 edge, 16-31 level */

/* AXI INTC registers (PG099) */
#define INTC_ISR	0x00
#define INTC_IPR	0x04
#define INTC_IER	0x08
#define INTC_IAR	0x0c
#define INTC_SIE	0x10
#define INTC_CIE	0x14
#define INTC_IVR	0x18
#define INTC_MER	0x1c
#define INTC_MER_ME	0x1
#define INTC_MER_HIE	0x2

/* Stimulus block registers */
#define STIM_ID			0x00
#define STIM_VERSION		0x04	/* 3 since MERGED and RESET_INTC */
#define STIM_LEVEL		0x08
#define STIM_SET		0x0c
#define STIM_CLEAR		0x10
#define STIM_PULSE		0x14
#define STIM_TRAIN_MASK		0x18
#define STIM_TRAIN_PERIOD	0x1c
#define STIM_TRAIN_COUNT	0x20
#define STIM_TRAIN_CTRL		0x24
#define STIM_TRAIN_START	0x1	/* pulse every period */
#define STIM_TRAIN_LOCKSTEP	0x3	/* ... once the last one was acked */
#define STIM_TRAIN_LEFT		0x28
#define STIM_PULSES		0x2c
#define STIM_STAMP_LO		0x30
#define STIM_STAMP_HI		0x34
#define STIM_NOW_LO		0x38
#define STIM_NOW_HI		0x3c
/* assertions that gave the ACK_SEL INTC no edge of their own */
#define STIM_MERGED		0x44
/* write bit n: reset INTC n, as loading the bitstream again does */
#define STIM_RESET_INTC		0x48
#define STIM_ID_VALUE		0x5354494du

static inline volatile uint32_t *board_map(uint32_t phys, size_t len)
{
	int fd = open("/dev/mem", O_RDWR | O_SYNC);
	void *p;

	if (fd < 0) {
		perror("open /dev/mem");
		exit(1);
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)phys);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap /dev/mem");
		exit(1);
	}
	return p;
}

static inline uint32_t reg_rd(volatile uint32_t *base, unsigned int off)
{
	return base[off / 4];
}

static inline void reg_wr(volatile uint32_t *base, unsigned int off,
			  uint32_t val)
{
	base[off / 4] = val;
}

#define BOARD_PINS	32
#define BOARD_STIM_DEV	"43c00000.stimulus"
#define BOARD_INTC_DEV	"41800000.interrupt-controller"
#define BOARD_INTC_DRV	"/sys/bus/platform/drivers/pynq-irq-axi-intc"

#define BOARD_INTC1_BASE	0x41810000u
#define BOARD_INTC1_DEV	"41810000.interrupt-controller"
#define BOARD_INTC1_DTBO	"intc1.dtbo"
#define STIM_ACK_SEL		0x40

/*
 * The INTC the pin helpers name: 0, the base device tree's (0x41800000,
 * every register of PG099), or 1, the one intc1.dtbo adds (0x41810000,
 * built without IPR, SIE, CIE and IVR). Both follow the same stimulus.
 */
static int board_intc;

/* /dev/pynq-irq name of a pin of the INTC (pynq,pin-names). */
static inline const char *board_pin_name(int pin, char *buf, size_t len)
{
	static const char *const names[2][4] = {
		{ "btns", "switches", "iop1", "iop2" },
		{ "ov-btns", "ov-switches" },
	};

	if (pin < 4 && names[board_intc][pin])
		snprintf(buf, len, "%s", names[board_intc][pin]);
	else
		snprintf(buf, len, "418%d0000.pin%d", board_intc, pin);
	return buf;
}

static inline int board_open_pin(int pin, int flags)
{
	char name[64], path[96];

	snprintf(path, sizeof(path), "/dev/pynq-irq/%s",
		 board_pin_name(pin, name, sizeof(name)));
	return open(path, flags);
}

/* Write a string to a sysfs file; 0 or -errno. */
static inline int sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* Read a sysfs file into buf (NUL-terminated); its length, or -errno. */
static inline int sysfs_read(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY), ret;

	if (fd < 0)
		return -errno;
	ret = read(fd, buf, len - 1);
	if (ret < 0)
		ret = -errno;
	buf[ret < 0 ? 0 : ret] = 0;
	close(fd);
	return ret;
}

/* Read a number from a line's sysfs attribute; -1 on error. */
static inline long long board_line_attr(const char *line, const char *attr)
{
	char path[4160], buf[32];	/* GCC cannot see that line is short */

	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/%s", line, attr);
	return sysfs_read(path, buf, sizeof(buf)) > 0 ? atoll(buf) : -1;
}

static inline long long board_pin_attr(int pin, const char *attr)
{
	char name[64];

	return board_line_attr(board_pin_name(pin, name, sizeof(name)), attr);
}

/* Write a pin's sysfs attribute; 0 or -errno. */
static inline int board_pin_set_attr(int pin, const char *attr,
				     const char *val)
{
	char name[64], path[160];

	snprintf(path, sizeof(path), "/sys/class/pynq-irq/%s/%s",
		 board_pin_name(pin, name, sizeof(name)), attr);
	return sysfs_write(path, val);
}

/* Under 'make torture': the board's init exports TORTURE=1 then. */
static inline int board_torturing(void)
{
	const char *t = getenv("TORTURE");

	return t && *t && strcmp(t, "0");
}

/*
 * How many times a torture repeats: @check in 'make check', @torture under
 * 'make torture'.
 */
static inline long board_torture(long check, long torture)
{
	return board_torturing() ? torture : check;
}

/*
 * Seconds left of this test's share of make torture's time: the runner
 * exports TORTURE_UNTIL, an uptime (CLOCK_BOOTTIME) in seconds. 1e9 when
 * there is no limit.
 */
static inline double board_torture_left(void)
{
	const char *until = getenv("TORTURE_UNTIL");
	struct timespec ts;

	if (!until || !*until)
		return 1e9;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return atof(until) - ts.tv_sec - ts.tv_nsec / 1e9;
}

/*
 * Whether a torture loop that has done @n rounds goes on: @check rounds in
 * make check; under make torture at least @check and up to @torture, as
 * long as the test's share of the time lasts. The test prints how many it
 * did.
 */
static inline int board_torture_more(long n, long check, long torture)
{
	if (n < check)
		return 1;
	return board_torturing() && n < torture && board_torture_left() > 0;
}

#endif
