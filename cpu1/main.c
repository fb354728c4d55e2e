// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU1 program: a small bare-metal partner for Linux on CPU0.
 *
 * It counts the SGIs Linux sends it, raises SGIs back to CPU0 (echo, burst,
 * periodic) and takes commands through the mailbox (mailbox.h). Everything
 * runs in the IRQ handler; between interrupts CPU1 sleeps in WFI.
 *
 * CPU1 owns only its banked GIC registers (SGIs, PPIs), its GIC CPU
 * interface and its private timer. It never touches GICD_CTLR or any SPI:
 * Linux on CPU0 enabled the distributor and targets every SPI to CPU0.
 *
 * MMU and caches are off, so every access is uncached and, without the MMU,
 * strongly ordered. The barriers below are still the ones the protocol
 * needs, so the code stays right when a port turns caches on (README.md).
 */

#include <stdint.h>

#include "mailbox.h"

#ifndef CPU1_TIMER_HZ
#error "build with -DCPU1_TIMER_HZ=<private timer clock in Hz> (see Makefile)"
#endif

/* Cortex-A9 MPCore private peripherals (Zynq-7000: PERIPHBASE 0xF8F00000) */
#define PERIPH_BASE		0xF8F00000u

#define GICC_BASE		(PERIPH_BASE + 0x0100)	/* CPU interface */
#define GICC_CTLR		(GICC_BASE + 0x00)
#define GICC_PMR		(GICC_BASE + 0x04)
#define GICC_IAR		(GICC_BASE + 0x0C)
#define GICC_EOIR		(GICC_BASE + 0x10)
#define GICC_CTLR_ENABLE	0x1u
#define GICC_IAR_ID		0x3FFu
#define GIC_SPURIOUS		1023u

#define GICD_BASE		(PERIPH_BASE + 0x1000)	/* distributor */
#define GICD_ISENABLER0		(GICD_BASE + 0x100)	/* IDs 0-31: banked */
#define GICD_IPRIORITYR(id)	(GICD_BASE + 0x400 + (id))	/* byte */
#define GICD_SGIR		(GICD_BASE + 0xF00)
#define GICD_SGIR_TO_CPU0	(0x0u << 24 | 0x01u << 16)	/* target list */

#define PTIMER_BASE		(PERIPH_BASE + 0x0600)	/* banked per CPU */
#define PTIMER_LOAD		(PTIMER_BASE + 0x00)
#define PTIMER_CTRL		(PTIMER_BASE + 0x08)
#define PTIMER_ISR		(PTIMER_BASE + 0x0C)
#define PTIMER_CTRL_ENABLE	0x1u
#define PTIMER_CTRL_RELOAD	0x2u
#define PTIMER_CTRL_IRQ		0x4u
#define PTIMER_IRQ		29u	/* PPI: private timer */

#define IRQ_PRIORITY		0xA0u	/* what Linux uses for its own */
#define IRQ_PRIORITY_MASK	0xF0u	/* GICC_PMR: lets IRQ_PRIORITY in */

/* Timer ticks per CPU1_TICK_US, minus one (the counter reloads from 0). */
#define PTIMER_LOAD_VALUE \
	((uint32_t)((uint64_t)CPU1_TIMER_HZ * CPU1_TICK_US / 1000000u) - 1u)

static volatile struct cpu1_mailbox *const mb =
	(volatile struct cpu1_mailbox *)CPU1_MBOX_PHYS;

/* Time owed to the running PERIODIC, microseconds. */
static uint32_t periodic_acc_us;

/* Called from start.S. */
void cpu1_main(void);
void cpu1_irq(void);
void cpu1_fault(uint32_t vector, uint32_t pc);

static inline uint32_t rd(uint32_t addr)
{
	return *(volatile uint32_t *)(uintptr_t)addr;
}

static inline void wr(uint32_t addr, uint32_t val)
{
	*(volatile uint32_t *)(uintptr_t)addr = val;
}

static inline void wr8(uint32_t addr, uint8_t val)
{
	*(volatile uint8_t *)(uintptr_t)addr = val;
}

/* dmb: orders memory accesses; dsb: also waits until they complete. */
static inline void dmb(void)
{
	__asm__ volatile("dmb" ::: "memory");
}

static inline void dsb(void)
{
	__asm__ volatile("dsb" ::: "memory");
}

static int sgi_allowed(uint32_t sgi)
{
	return sgi >= CPU1_SGI_FIRST && sgi <= CPU1_SGI_LAST;
}

/* Raise an SGI to CPU0. The count is visible before the interrupt is. */
static void raise_sgi(uint32_t sgi)
{
	if (!sgi_allowed(sgi)) {
		mb->refused++;
		return;
	}
	mb->tx_count[sgi]++;
	dsb();
	wr(GICD_SGIR, GICD_SGIR_TO_CPU0 | sgi);
}

static void periodic_stop(void)
{
	mb->periodic_sgi = CPU1_SGI_NONE;
	mb->periodic_us = 0;
	mb->periodic_left = 0;
}

/* One timer tick of a PERIODIC: at most one raise per tick. */
static void periodic_tick(void)
{
	uint32_t sgi = mb->periodic_sgi;
	uint32_t left;

	if (sgi == CPU1_SGI_NONE)
		return;
	periodic_acc_us += CPU1_TICK_US;
	if (periodic_acc_us < mb->periodic_us)
		return;
	periodic_acc_us -= mb->periodic_us;
	raise_sgi(sgi);

	left = mb->periodic_left;
	if (left == 0)
		return;			/* runs until STOP */
	if (--left == 0)
		periodic_stop();
	else
		mb->periodic_left = left;
}

static void reset_counts(void)
{
	uint32_t i;

	for (i = 0; i < CPU1_NR_SGI; i++) {
		mb->rx_count[i] = 0;
		mb->tx_count[i] = 0;
	}
	mb->refused = 0;
	mb->other_irqs = 0;
}

static uint32_t run_command(uint32_t cmd, uint32_t a0, uint32_t a1,
			    uint32_t a2)
{
	switch (cmd) {
	case CPU1_CMD_NOP:
		return CPU1_OK;
	case CPU1_CMD_ECHO:
		if (a0 >= CPU1_NR_SGI || (a1 != CPU1_SGI_NONE && !sgi_allowed(a1)))
			return CPU1_ERR_SGI;
		mb->echo[a0] = a1;
		return CPU1_OK;
	case CPU1_CMD_BURST:
		if (!sgi_allowed(a0))
			return CPU1_ERR_SGI;
		while (a1--)
			raise_sgi(a0);
		return CPU1_OK;
	case CPU1_CMD_PERIODIC:
		if (!sgi_allowed(a0))
			return CPU1_ERR_SGI;
		if (a1 < CPU1_TICK_US)
			return CPU1_ERR_ARG;
		periodic_acc_us = 0;
		mb->periodic_us = a1;
		mb->periodic_left = a2;
		mb->periodic_sgi = a0;
		return CPU1_OK;
	case CPU1_CMD_STOP:
		periodic_stop();
		return CPU1_OK;
	case CPU1_CMD_RESET_COUNTS:
		reset_counts();
		return CPU1_OK;
	}
	return CPU1_ERR_CMD;
}

/* Execute the command Linux submitted, if any (protocol in mailbox.h). */
static void poll_command(void)
{
	uint32_t seq = mb->cmd_seq;

	if (seq == mb->cmd_ack)
		return;
	dmb();			/* read the arguments after cmd_seq */
	mb->status = run_command(mb->cmd, mb->arg0, mb->arg1, mb->arg2);
	dmb();			/* status and results before the ack */
	mb->cmd_ack = seq;
}

static void sgi_received(uint32_t id)
{
	uint32_t echo;

	/* Read what the sender wrote only after taking its SGI. */
	dmb();
	mb->rx_count[id]++;
	echo = mb->echo[id];
	if (echo != CPU1_SGI_NONE)
		raise_sgi(echo);
}

static void timer_tick(void)
{
	wr(PTIMER_ISR, 1);	/* clear the event flag: drops the PPI */
	mb->heartbeat++;
	periodic_tick();
}

/* IRQ exception, called from start.S with IRQs masked (not nested). */
void cpu1_irq(void)
{
	uint32_t iar, id;

	for (;;) {
		iar = rd(GICC_IAR);
		id = iar & GICC_IAR_ID;
		if (id == GIC_SPURIOUS)
			break;
		if (id < CPU1_NR_SGI)
			sgi_received(id);
		else if (id == PTIMER_IRQ)
			timer_tick();
		else
			mb->other_irqs++;
		/* The whole IAR value: for an SGI it names the source CPU. */
		wr(GICC_EOIR, iar);
	}
	poll_command();
}

/* Undefined instruction, abort, SVC or FIQ: report and stop for good. */
void cpu1_fault(uint32_t vector, uint32_t pc)
{
	wr(PTIMER_CTRL, 0);
	wr(GICC_CTLR, 0);	/* no more interrupts: WFI really sleeps */
	mb->fault_pc = pc;
	mb->fault = vector;
	dsb();
	for (;;)
		__asm__ volatile("wfi");
}

static void mailbox_init(void)
{
	uint32_t i;

	/* magic stays 0 (the loader cleared it) until everything is ready. */
	mb->version = CPU1_MBOX_VERSION;
	mb->heartbeat = 0;
	mb->status = CPU1_OK;
	mb->cmd_ack = mb->cmd_seq;	/* ignore anything sent too early */
	mb->timer_hz = CPU1_TIMER_HZ;
	mb->fault = 0;
	mb->fault_pc = 0;
	periodic_stop();
	reset_counts();
	for (i = 0; i < CPU1_NR_SGI; i++)
		mb->echo[i] = CPU1_SGI_NONE;
}

static void gic_init(void)
{
	uint32_t iar, id;

	/*
	 * The starter raised an SGI to wake CPU1 from its hold loop; it is
	 * still pending. Accept and end everything pending (uncounted).
	 */
	wr(GICC_PMR, 0xFF);
	wr(GICC_CTLR, GICC_CTLR_ENABLE);
	while (((iar = rd(GICC_IAR)) & GICC_IAR_ID) != GIC_SPURIOUS)
		wr(GICC_EOIR, iar);

	/* Banked for CPU1: SGIs 0-15 and its private-timer PPI. */
	for (id = 0; id < CPU1_NR_SGI; id++)
		wr8(GICD_IPRIORITYR(id), IRQ_PRIORITY);
	wr8(GICD_IPRIORITYR(PTIMER_IRQ), IRQ_PRIORITY);
	/* SGIs are always enabled on the A9's GIC; setting them is harmless. */
	wr(GICD_ISENABLER0, 0xFFFFu | 1u << PTIMER_IRQ);

	wr(GICC_PMR, IRQ_PRIORITY_MASK);
	wr(GICC_CTLR, GICC_CTLR_ENABLE);
}

static void timer_start(void)
{
	wr(PTIMER_LOAD, PTIMER_LOAD_VALUE);	/* also loads the counter */
	wr(PTIMER_CTRL, PTIMER_CTRL_ENABLE | PTIMER_CTRL_RELOAD |
	   PTIMER_CTRL_IRQ);
}

void cpu1_main(void)
{
	/* Quiet the private timer in case a previous program left it on. */
	wr(PTIMER_CTRL, 0);
	wr(PTIMER_ISR, 1);

	mailbox_init();
	gic_init();
	timer_start();

	dsb();			/* every field above before the magic */
	mb->magic = CPU1_MAGIC;
	dsb();

	__asm__ volatile("cpsie i" ::: "memory");
	for (;;)
		__asm__ volatile("wfi");
}
