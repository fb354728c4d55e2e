#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The board's interrupt path, shown the way PYNQ does it today: the AXI
# INTC's GIC line bound to uio_pdrv_genirq and the uio_intc program. Every
# stimulus pulse must give exactly one interrupt, for edge pins, level pins
# and a hardware pulse train; MER.HIE must be write-once.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

ktap_print_header
ktap_set_plan 6

uio=$(bind_uio "$INTC_DEV")
if [ -z "$uio" ]; then
	ktap_print_msg "uio_pdrv_genirq did not bind $INTC_DEV"
	ktap_set_plan 0
	ktap_test_fail "bind uio_pdrv_genirq to the INTC"
	ktap_finished
fi
ktap_print_msg "INTC bound to uio_pdrv_genirq as $uio"
trap 'unbind_uio $INTC_DEV' EXIT

run() { # run DESCRIPTION uio_intc-ARGS...
	desc=$1
	shift
	out=$(./uio_intc "$uio" "$@")
	rc=$?
	echo "$out" | while read -r l; do ktap_print_msg "$l"; done
	if [ $rc -eq 0 ]; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc"
	fi
}

gic_before=$(awk '/ 61 /{print $2}' /proc/interrupts)
run "100 pulses on edge pin 3 give 100 interrupts" pulses 3 100
run "100 pulses on edge pin 15 give 100 interrupts" pulses 15 100
run "50 assertions of level pin 20 give 50 interrupts" level 20 50
run "a train of 1000 pulses on pin 0 gives 1000 interrupts" train 0 1000 200000
run "MER.HIE cannot be cleared once set" hie
gic_after=$(awk '/ 61 /{print $2}' /proc/interrupts)
ktap_print_msg "GIC line 61 (IRQ_F2P[0]) count: $gic_before -> $gic_after"
ktap_test_result "the GIC line counted the interrupts" \
	[ $((gic_after - gic_before)) -ge 1250 ]

ktap_finished
