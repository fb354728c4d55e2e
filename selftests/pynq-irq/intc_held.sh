#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# An INTC pin that another driver holds.
# 1. uio_pdrv_genirq on the stimulus node, whose interrupt is pin 15 and
#    whose device link makes the INTC its supplier:
#    - opening the pin's node fails with EBUSY and leaves the edge that
#      UIO has not taken yet latched in ISR;
#    - rmmod pynq_irq is refused;
#    - unbinding the INTC unbinds UIO first (the device link), then the
#      INTC, with no report; it binds again and works.
# 2. A driver with no device link (pynq_irq_hold.ko): unbinding the INTC
#    succeeds and says in the log that the pin is still requested; the
#    module stays loaded; from then on the holder's enable, disable and
#    free touch no INTC register (the PL may be gone). This leaves the
#    INTC's memory and the module pinned until the board reboots, so this
#    test runs last on its board.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

STIM_DEV=43c00000.stimulus
DRV=$PLATFORM/drivers/pynq-irq-axi-intc
NODE=/dev/pynq-irq/41800000.pin15
HOLD=/sys/kernel/debug/pynq-irq-hold
ISR=$INTC_BASE
IER=$((INTC_BASE + 8))

ktap_print_header
ktap_set_plan 10

bit15() { [ $(($(devmem "$1" 32) & 0x8000)) -ne 0 ]; }
no_bit15() { ! bit15 "$1"; }
busy() { case "$err" in *"resource busy"*) true ;; *) false ;; esac; }
rmmod_refused() { ! rmmod pynq_irq 2>/dev/null; }
hold() { echo "$irq" >$HOLD/irq; }
unbound_held() {
	[ ! -e "$DRV/$INTC_DEV" ] && dmesg | grep -q "pin 15 is still requested"
}
both_unbound() {
	[ ! -e "$PLATFORM/devices/$STIM_DEV/driver" ] && [ ! -e "$DRV/$INTC_DEV" ]
}
freed() { [ "$(cat $HOLD/irq)" = 0 ] && no_bit15 "$IER" && rmmod_refused; }

uio=$(bind_uio $STIM_DEV)
[ -n "$uio" ] || ktap_print_msg "uio_pdrv_genirq did not bind $STIM_DEV"
# UIO names the IRQ after the node: "stimulus", or in 6.12
# "stimulus@43c00000".
irq=$(awk '/ axi-intc +15 .* stimulus(@43c00000)?$/ { sub(":", "", $1); print $1 }' /proc/interrupts)
ktap_print_msg "UIO holds pin 15 as IRQ ${irq:-?} ($uio)"
exec 4<>"$uio"
# Disabled: the first edge is masked and kept pending by the IRQ core,
# the second stays latched in the INTC, for UIO to take when it enables.
printf '\000\000\000\000' >&4
stim_pulse 15
stim_pulse 15
bit15 "$ISR" || ktap_print_msg "ISR bit 15 is not set before the open"
err=$( (exec 5<"$NODE") 2>&1)
ktap_print_msg "open $NODE: $err"
ktap_test_result "opening a pin UIO holds fails with EBUSY" busy
ktap_test_result "the failed open keeps UIO's latched edge" bit15 "$ISR"
ktap_test_result "rmmod pynq_irq is refused while UIO holds a pin" \
	rmmod_refused
printf '\001\000\000\000' >&4

echo "$INTC_DEV" >"$DRV/unbind"
ktap_test_result "unbinding the INTC unbinds UIO first (device link)" \
	both_unbound
exec 4<&-
unbind_uio $STIM_DEV
echo "$INTC_DEV" >"$DRV/bind"
works() {
	exec 6</dev/pynq-irq/btns || return 1
	stim_pulse 0
	read -r line <&6
	exec 6<&-
	[ -n "$line" ]
}
ktap_test_result "the INTC binds again and its pins work" works

# 2: a holder without a device link.
insmod ./pynq_irq_hold.ko
ktap_test_result "another driver requests pin 15 (IRQ $irq)" hold
ktap_test_result "rmmod pynq_irq is refused while it holds the pin" \
	rmmod_refused
dmesg -c >/dev/null
echo "$INTC_DEV" >"$DRV/unbind"
ktap_test_result "the unbind goes ahead and logs that pin 15 is held" \
	unbound_held
echo 0 >$HOLD/enable
echo 1 >$HOLD/enable
ktap_print_msg "IER after the holder's disable and enable: $(devmem $IER 32)"
ktap_test_result "the holder's enable writes no INTC register" \
	no_bit15 "$IER"
echo 0 >$HOLD/irq
ktap_test_result "the holder frees the pin; the module stays pinned" freed
rmmod pynq_irq_hold
ktap_finished
