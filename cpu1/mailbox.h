/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Linux <-> CPU1 mailbox: the only contract between Linux (CPU0) and the
 * bare-metal program on CPU1 (cpu1/main.c). Used by freestanding C on CPU1
 * and by Linux userspace (cpu1ctl, tests), so it uses <stdint.h> types only.
 *
 * Memory (kept away from Linux by a no-map reserved-memory node):
 *
 *   0x3F000000  CPU1 program: code, data, bss, stacks (CPU1_LOAD_PHYS)
 *   0x3FF00000  this mailbox, 4 KiB                     (CPU1_MBOX_PHYS)
 *   0x3FFFFFFF  end of the 16 MiB reserved for CPU1
 *
 * Every field is a little-endian u32 that exactly one side writes (noted on
 * each field as "CPU1 writes" or "Linux writes"; magic, image_size and
 * image_hash are written by the loader before CPU1 starts), so no field
 * needs an atomic read-modify-write across CPUs. Access the mailbox with single aligned
 * 32-bit loads and stores (volatile). On CPU1 the MMU and caches are off; on
 * Linux map it uncached (/dev/mem with O_SYNC, or memremap/ioremap in a
 * driver) and order accesses with barriers as described below.
 *
 * Start-up: the loader (cpu1ctl start) copies the program to CPU1_LOAD_PHYS,
 * clears magic, fills image_size/image_hash and starts CPU1. CPU1 sets up
 * every field it owns, then writes magic = CPU1_MAGIC last. Linux must not
 * use anything else before it sees the magic.
 *
 * Commands: at most one in flight.
 *   Linux:  wait until cmd_ack == cmd_seq (the previous command is done);
 *           write cmd, arg0, arg1, arg2;
 *           barrier (dmb/wmb: the arguments before the sequence number);
 *           write cmd_seq = cmd_seq + 1;
 *           poll until cmd_ack == the new cmd_seq; barrier (rmb);
 *           read status (CPU1_OK or CPU1_ERR_*) and any results.
 *   CPU1:   on every private-timer tick (CPU1_TICK_US) and after every
 *           interrupt it takes, if cmd_seq != cmd_ack: barrier, read cmd and
 *           args, execute, write status, barrier, write cmd_ack = cmd_seq.
 *   A command therefore completes within about one tick, or at once if the
 *   sender also raises an SGI to CPU1 after writing cmd_seq (that SGI is
 *   counted in rx_count like any other).
 *
 * SGIs: CPU1 receives any SGI 0-15 (counting it in rx_count) and raises only
 * SGIs CPU1_SGI_FIRST..CPU1_SGI_LAST to CPU0 (GICD_SGIR target list bit 0);
 * Linux uses SGIs 0-7 for its own IPIs. Before raising an SGI CPU1 updates
 * tx_count and issues a DSB, so a CPU0 handler that reads the mailbox after
 * taking the SGI sees the count that includes it. The GIC keeps one pending
 * bit per SGI and source CPU: raises that CPU0 has not yet acknowledged
 * merge, so CPU0 may take fewer SGIs than tx_count says (BURST shows this).
 */
#ifndef PYNQ_IRQ_CPU1_MAILBOX_H
#define PYNQ_IRQ_CPU1_MAILBOX_H

#include <stddef.h>
#include <stdint.h>

#define CPU1_LOAD_PHYS		0x3F000000u	/* where the program runs */
#define CPU1_MEM_SIZE		0x01000000u	/* reserved for CPU1, 16 MiB */
#define CPU1_MBOX_PHYS		0x3FF00000u
#define CPU1_MBOX_SIZE		0x1000u
#define CPU1_IMAGE_MAX		(CPU1_MBOX_PHYS - CPU1_LOAD_PHYS)

/* Zynq BootROM hold protocol: CPU1 jumps to the word at this address. */
#define CPU1_START_ADDR_PHYS	0xFFFFFFF0u

#define CPU1_MAGIC		0x43505531u	/* "CPU1" */
#define CPU1_MBOX_VERSION	1u

#define CPU1_NR_SGI		16u
#define CPU1_SGI_FIRST		8u	/* lowest SGI CPU1 may raise to CPU0 */
#define CPU1_SGI_LAST		15u	/* highest SGI CPU1 may raise to CPU0 */
#define CPU1_SGI_NONE		0xFFFFFFFFu	/* "no SGI" in echo[], arguments */
#define CPU1_TICK_US		1000u	/* private-timer tick period */

/* Commands (cmd). Unused arguments are ignored. */
enum cpu1_cmd {
	/* Nothing: checks that CPU1 answers. */
	CPU1_CMD_NOP		= 0,
	/*
	 * arg0 = a (0-15), arg1 = b: echo[a] = b, i.e. on receiving SGI a,
	 * raise SGI b to CPU0. b = CPU1_SGI_NONE clears.
	 */
	CPU1_CMD_ECHO		= 1,
	/*
	 * arg0 = b, arg1 = n: raise SGI b to CPU0 n times back to back, as
	 * fast as possible. Acked when all n are raised.
	 */
	CPU1_CMD_BURST		= 2,
	/*
	 * arg0 = b, arg1 = period_us (>= CPU1_TICK_US), arg2 = count
	 * (0 = until STOP): raise SGI b every period_us, the first one
	 * period_us from now. Raises happen on timer ticks: the average rate
	 * is exact, each raise is up to one tick late. Replaces a running
	 * PERIODIC.
	 */
	CPU1_CMD_PERIODIC	= 3,
	/* Stop PERIODIC (no error when none runs). */
	CPU1_CMD_STOP		= 4,
	/*
	 * Zero rx_count, tx_count, refused and other_irqs. echo[] and a
	 * running PERIODIC are kept.
	 */
	CPU1_CMD_RESET_COUNTS	= 5,
};

/* Result of the last command (status). */
enum cpu1_status {
	CPU1_OK			= 0,
	/* Unknown command. */
	CPU1_ERR_CMD		= 1,
	/* SGI to raise not in CPU1_SGI_FIRST..LAST, or SGI to echo not 0-15. */
	CPU1_ERR_SGI		= 2,
	/* Another argument out of range. */
	CPU1_ERR_ARG		= 3,
};

struct cpu1_mailbox {
	/*
	 * 0x00: CPU1 writes CPU1_MAGIC when ready (last step of start-up);
	 * the loader writes 0 before it starts CPU1.
	 */
	uint32_t magic;
	/* 0x04: CPU1 writes CPU1_MBOX_VERSION, the layout it implements. */
	uint32_t version;
	/*
	 * 0x08: CPU1 writes: +1 on every private-timer tick (CPU1_TICK_US).
	 * A value that stops moving means CPU1 is stuck or dead.
	 */
	uint32_t heartbeat;
	/*
	 * 0x0C: CPU1 writes: result of the last command (enum cpu1_status),
	 * valid once cmd_ack == cmd_seq.
	 */
	uint32_t status;
	/*
	 * 0x10: Linux writes: sequence number of the command to execute;
	 * write it last, after a barrier, to submit cmd/arg0..arg2.
	 */
	uint32_t cmd_seq;
	/* 0x14: CPU1 writes: cmd_seq of the last command it completed. */
	uint32_t cmd_ack;
	/* 0x18: Linux writes: enum cpu1_cmd. */
	uint32_t cmd;
	/* 0x1C..0x24: Linux writes: command arguments, see enum cpu1_cmd. */
	uint32_t arg0;
	uint32_t arg1;
	uint32_t arg2;
	/*
	 * 0x28: CPU1 writes: raises CPU1 refused because the SGI was not in
	 * CPU1_SGI_FIRST..LAST (only possible through an echo[] entry Linux
	 * wrote directly; commands are checked and fail instead).
	 */
	uint32_t refused;
	/*
	 * 0x2C: CPU1 writes: interrupts other than SGIs and its timer tick
	 * (should stay 0: Linux targets every SPI to CPU0).
	 */
	uint32_t other_irqs;
	/* 0x30: CPU1 writes: SGI of the running PERIODIC, or CPU1_SGI_NONE. */
	uint32_t periodic_sgi;
	/* 0x34: CPU1 writes: period of the running PERIODIC, microseconds. */
	uint32_t periodic_us;
	/*
	 * 0x38: CPU1 writes: raises left for a PERIODIC with a count;
	 * 0 while one without a count (until STOP) runs.
	 */
	uint32_t periodic_left;
	/*
	 * 0x3C: CPU1 writes: the private-timer clock (Hz) the program was
	 * built for (make TIMER_HZ=...); a wrong value skews the tick.
	 */
	uint32_t timer_hz;
	/*
	 * 0x40: CPU1 writes: SGIs CPU1 received, per SGI id. The SGI that
	 * started CPU1 (see cpu1ctl start) is not counted.
	 */
	uint32_t rx_count[CPU1_NR_SGI];
	/*
	 * 0x80: CPU1 writes: SGIs CPU1 raised to CPU0, per SGI id; updated
	 * (and made visible with a DSB) before the SGI is raised.
	 */
	uint32_t tx_count[CPU1_NR_SGI];
	/*
	 * 0xC0: CPU1 writes (ECHO command; CPU1_SGI_NONE at start-up): on
	 * receiving SGI a, CPU1 raises SGI echo[a] to CPU0.
	 */
	uint32_t echo[CPU1_NR_SGI];
	/*
	 * 0x100: loader writes before it starts CPU1, CPU1 keeps: size in
	 * bytes and FNV-1a hash (cpu1_image_hash) of the loaded image, so a
	 * second loader can tell whether the program it would load already
	 * runs.
	 */
	uint32_t image_size;
	uint32_t image_hash;
	/*
	 * 0x108, 0x10C: CPU1 writes: when CPU1 takes an undefined
	 * instruction, abort or unexpected exception, fault = the
	 * exception's vector offset (0x04 undef, 0x08 SVC, 0x0C prefetch
	 * abort, 0x10 data abort, 0x1C FIQ) and fault_pc = its return
	 * address (LR); CPU1 then stops (heartbeat stops). 0 = no fault.
	 */
	uint32_t fault;
	uint32_t fault_pc;
};

_Static_assert(offsetof(struct cpu1_mailbox, magic) == 0x00, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, heartbeat) == 0x08, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, status) == 0x0C, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, cmd_seq) == 0x10, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, cmd_ack) == 0x14, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, cmd) == 0x18, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, arg0) == 0x1C, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, arg2) == 0x24, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, refused) == 0x28, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, periodic_sgi) == 0x30, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, timer_hz) == 0x3C, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, rx_count) == 0x40, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, tx_count) == 0x80, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, echo) == 0xC0, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, image_size) == 0x100, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, image_hash) == 0x104, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, fault) == 0x108, "mailbox layout");
_Static_assert(offsetof(struct cpu1_mailbox, fault_pc) == 0x10C, "mailbox layout");
_Static_assert(sizeof(struct cpu1_mailbox) == 0x110, "mailbox layout");
_Static_assert(sizeof(struct cpu1_mailbox) <= CPU1_MBOX_SIZE, "mailbox size");

/* FNV-1a over the image bytes, for image_hash. */
static inline uint32_t cpu1_image_hash(const uint8_t *p, uint32_t len)
{
	uint32_t h = 0x811C9DC5u;

	while (len--) {
		h ^= *p++;
		h *= 0x01000193u;
	}
	return h;
}

#endif /* PYNQ_IRQ_CPU1_MAILBOX_H */
