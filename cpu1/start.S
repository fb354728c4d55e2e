/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Entry and exception vectors of the CPU1 program.
 *
 * The starter jumps to the first word of the image (_start), in a
 * privileged mode (SVC from the Zynq BootROM hold loop), MMU and caches
 * off. The vector table is that same first block: it is installed with
 * VBAR, so its first entry doubles as the entry point.
 */

#define MODE_IRQ	0x12
#define MODE_SVC	0x13

#define SCTLR_M		(1 << 0)	/* MMU */
#define SCTLR_C		(1 << 2)	/* data cache */
#define SCTLR_Z		(1 << 11)	/* branch prediction */
#define SCTLR_I		(1 << 12)	/* instruction cache */
#define SCTLR_V		(1 << 13)	/* high vectors (0xFFFF0000) */
#define SCTLR_TE	(1 << 30)	/* take exceptions in Thumb state */

	.syntax unified
	.arm

	.section .vectors, "ax"
	.balign	32			@ VBAR needs 32-byte alignment
	.global	_start
_start:
vectors:
	b	reset			@ 0x00 reset: also the entry point
	b	undef_entry		@ 0x04 undefined instruction
	b	svc_entry		@ 0x08 SVC
	b	pabt_entry		@ 0x0C prefetch abort
	b	dabt_entry		@ 0x10 data abort
	b	.			@ 0x14 not used
	b	irq_entry		@ 0x18 IRQ
	b	fiq_entry		@ 0x1C FIQ (never enabled)

	.text
reset:
	cpsid	if			@ no interrupts until the GIC is set up

	@ Known system state: MMU, caches and branch prediction off, low
	@ vectors (so VBAR is used), exceptions in ARM state.
	mrc	p15, 0, r0, c1, c0, 0	@ SCTLR
	bic	r0, r0, #(SCTLR_M | SCTLR_C)
	bic	r0, r0, #(SCTLR_Z | SCTLR_I | SCTLR_V)
	bic	r0, r0, #SCTLR_TE
	mcr	p15, 0, r0, c1, c0, 0
	isb

	ldr	r0, =vectors
	mcr	p15, 0, r0, c12, c0, 0	@ VBAR
	isb

	@ One stack per mode that runs code: IRQ (handler) and SVC (main).
	cps	#MODE_IRQ
	ldr	sp, =__irq_stack_top
	cps	#MODE_SVC
	ldr	sp, =__svc_stack_top

	@ Zero .bss (word aligned by the linker script).
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b

	bl	cpu1_main		@ does not return
	b	.

	@ IRQ: not nested; cpu1_irq() acknowledges and ends every pending
	@ interrupt. 6 registers keep the stack 8-byte aligned (AAPCS).
irq_entry:
	sub	lr, lr, #4		@ return to the interrupted instruction
	push	{r0-r3, r12, lr}
	bl	cpu1_irq
	pop	{r0-r3, r12, lr}
	movs	pc, lr			@ return, restoring CPSR from SPSR

	@ Anything else is a bug: record it in the mailbox and stop.
	@ cpu1_fault(vector offset, return address) runs on the SVC stack.
undef_entry:
	mov	r0, #0x04
	b	fault
svc_entry:
	mov	r0, #0x08
	b	fault
pabt_entry:
	mov	r0, #0x0C
	b	fault
dabt_entry:
	mov	r0, #0x10
	b	fault
fiq_entry:
	mov	r0, #0x1C
fault:
	mov	r1, lr
	cps	#MODE_SVC		@ I and F stay masked
	b	cpu1_fault
