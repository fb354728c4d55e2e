// SPDX-License-Identifier: GPL-2.0
/*
 * uio_intc - the PYNQ way of taking AXI INTC interrupts, in C: the INTC's
 * GIC line bound to uio_pdrv_genirq, its registers mapped through UIO, and
 * a loop that waits on UIO, reads IPR, acknowledges and re-enables. This is
 * the baseline that pynq-irq is compared against, and proof that the board
 * delivers exactly the interrupts the stimulus makes.
 *
 *   uio_intc UIODEV pulses PIN N        N single pulses, one at a time
 *   uio_intc UIODEV level PIN N         N level assertions, cleared by us
 *   uio_intc UIODEV train PIN N PERIOD  a hardware train of N pulses (in
 *                                       lockstep: none merges with one
 *                                       not yet acknowledged)
 *   uio_intc UIODEV hie                 MER.HIE cannot be cleared once set
 *
 * Prints what it counted; exits 0 only when the count is exact.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"

static volatile uint32_t *intc, *stim;
static int uio_fd;

static void usage(void)
{
	fprintf(stderr,
		"usage: uio_intc /dev/uioN pulses|level PIN N\n"
		"       uio_intc /dev/uioN train PIN N PERIOD_NS\n"
		"       uio_intc /dev/uioN hie\n");
	exit(2);
}

/* Re-enable the GIC line and wait for one UIO interrupt; 0 on timeout. */
static int uio_wait(int timeout_ms)
{
	struct pollfd pfd = { .fd = uio_fd, .events = POLLIN };
	uint32_t one = 1, count;
	int ret;

	if (write(uio_fd, &one, sizeof(one)) != sizeof(one)) {
		perror("uio enable");
		exit(1);
	}
	ret = poll(&pfd, 1, timeout_ms);
	if (ret < 0) {
		perror("poll");
		exit(1);
	}
	if (ret == 0)
		return 0;
	if (read(uio_fd, &count, sizeof(count)) != sizeof(count)) {
		perror("uio read");
		exit(1);
	}
	return 1;
}

/*
 * Demultiplex and acknowledge: returns the number of pending pins seen.
 * Level pins are cleared at their source (the stimulus) before the ack,
 * unless keep_level is set.
 */
static unsigned int service(uint32_t *pins_seen, int keep_level)
{
	uint32_t ipr = reg_rd(intc, INTC_IPR);
	unsigned int n = 0;
	int pin;

	for (pin = 0; pin < 32; pin++) {
		uint32_t bit = 1u << pin;

		if (!(ipr & bit))
			continue;
		if (!(bit & BOARD_EDGE_PINS) && !keep_level)
			reg_wr(stim, STIM_CLEAR, bit);
		reg_wr(intc, INTC_IAR, bit);
		*pins_seen |= bit;
		n++;
	}
	return n;
}

static void intc_setup(int pin)
{
	reg_wr(intc, INTC_CIE, 0xffffffff);
	reg_wr(intc, INTC_IAR, 0xffffffff);
	reg_wr(intc, INTC_MER, INTC_MER_ME | INTC_MER_HIE);
	reg_wr(intc, INTC_SIE, 1u << pin);
}

static int report(const char *what, int pin, unsigned long got,
		  unsigned long want, uint32_t seen)
{
	printf("%s on pin %d: %lu interrupts, expected %lu%s\n", what, pin,
	       got, want, seen & ~(1u << pin) ? " (and other pins!)" : "");
	return got == want && !(seen & ~(1u << pin)) ? 0 : 1;
}

static int do_pulses(int pin, unsigned long n)
{
	unsigned long i, got = 0;
	uint32_t seen = 0;

	intc_setup(pin);
	for (i = 0; i < n; i++) {
		reg_wr(stim, STIM_PULSE, 1u << pin);
		if (!uio_wait(2000))
			break;
		got += service(&seen, 0);
	}
	/* Nothing more may arrive. */
	if (uio_wait(100))
		got += service(&seen, 0);
	return report("pulses", pin, got, n, seen);
}

static int do_level(int pin, unsigned long n)
{
	unsigned long i, got = 0, again = 0;
	uint32_t seen = 0;

	intc_setup(pin);
	for (i = 0; i < n; i++) {
		reg_wr(stim, STIM_SET, 1u << pin);
		if (!uio_wait(2000))
			break;
		got += service(&seen, 0);
	}
	if (uio_wait(100))
		got += service(&seen, 0);
	/* A level still held after the ack asserts again. */
	reg_wr(stim, STIM_SET, 1u << pin);
	if (uio_wait(2000) && service(&seen, 1) && uio_wait(2000))
		again = service(&seen, 0);
	reg_wr(stim, STIM_CLEAR, 1u << pin);
	reg_wr(intc, INTC_IAR, 1u << pin);
	printf("level held after ack on pin %d: %s\n", pin,
	       again ? "asserted again" : "NOT asserted again");
	return report("level", pin, got, n, seen) || !again;
}

static int do_train(int pin, unsigned long n, unsigned long period)
{
	unsigned long got = 0;
	uint32_t seen = 0;

	intc_setup(pin);
	reg_wr(stim, STIM_TRAIN_MASK, 1u << pin);
	reg_wr(stim, STIM_TRAIN_PERIOD, period);
	reg_wr(stim, STIM_TRAIN_COUNT, n);
	reg_wr(stim, STIM_TRAIN_CTRL, STIM_TRAIN_LOCKSTEP);
	while (got < n && uio_wait(2000))
		got += service(&seen, 0);
	if (uio_wait(100))
		got += service(&seen, 0);
	printf("train left: %u\n", reg_rd(stim, STIM_TRAIN_LEFT));
	return report("train", pin, got, n, seen);
}

static int do_hie(void)
{
	uint32_t mer;

	reg_wr(intc, INTC_MER, INTC_MER_ME | INTC_MER_HIE);
	reg_wr(intc, INTC_MER, 0);
	mer = reg_rd(intc, INTC_MER);
	printf("MER after writing 0: 0x%x (HIE %s)\n", mer,
	       mer & INTC_MER_HIE ? "still set" : "cleared");
	reg_wr(intc, INTC_MER, INTC_MER_ME | INTC_MER_HIE);
	return mer & INTC_MER_HIE ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long n = 0, period = 0;
	int pin = 0;
	void *p;

	if (argc < 3)
		usage();
	uio_fd = open(argv[1], O_RDWR);
	if (uio_fd < 0) {
		fprintf(stderr, "open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	p = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE, MAP_SHARED, uio_fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap uio map0");
		return 1;
	}
	intc = p;
	stim = board_map(BOARD_STIM_BASE, 0x1000);
	if (reg_rd(stim, STIM_ID) != STIM_ID_VALUE) {
		fprintf(stderr, "no stimulus block at 0x%x\n", BOARD_STIM_BASE);
		return 1;
	}
	if (!strcmp(argv[2], "hie"))
		return do_hie();
	if (argc < 5)
		usage();
	pin = atoi(argv[3]);
	n = strtoul(argv[4], NULL, 0);
	if (pin < 0 || pin > 31)
		usage();
	if (!strcmp(argv[2], "pulses"))
		return do_pulses(pin, n);
	if (!strcmp(argv[2], "level"))
		return do_level(pin, n);
	if (!strcmp(argv[2], "train") && argc == 6) {
		period = strtoul(argv[5], NULL, 0);
		return do_train(pin, n, period);
	}
	usage();
	return 2;
}
