#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad pynq,gic-sgi nodes (overlays/sgi-bad-*.dtso), applied at run time with
# the test module pynq_irq_overlay.ko (debugfs: write a .dtbo to 'apply';
# write to 'remove' to remove the last one applied): each fails to probe
# with one clear line from the driver, and goes away again. The receive
# SGI 9 that sgi-bad-high lists before its bad one is mapped all the same:
# CPU1 raising it to CPU0 afterwards must not stop CPU0.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

OV=/sys/kernel/debug/pynq-irq-overlay
DRV=pynq-irq-gic-sgi

# overlay  expected text of the driver's one line
set -- \
	low "pynq,tx-sgis: SGI 7 is outside 8-15" \
	high "pynq,rx-sgis: SGI 16 is outside 8-15" \
	overlap "SGI 10 is in both pynq,tx-sgis and pynq,rx-sgis" \
	remote "pynq,remote-cpu = 0 is a CPU Linux runs on" \
	nogic "no GIC: pynq,gic is missing" \
	notgic "no GIC: pynq,gic = </amba_pl/interrupt-controller@41800000> is not"

# sgi9_harmless - CPU1 raising SGI 9 to CPU0 does not stop CPU0.
sgi9_harmless() {
	./cpu1ctl start cpu1.bin >/dev/null &&
		cpu0_survives_sgis sgi-bad-high 9
}

ktap_print_header
ktap_set_plan $(($# / 2 + 1))

[ -e $OV/apply ] || insmod ./pynq_irq_overlay.ko 2>/dev/null
if [ ! -e $OV/apply ]; then
	while [ $# -gt 0 ]; do
		ktap_test_fail "sgi-bad-$1: no overlay helper ($OV/apply)"
		shift 2
	done
	ktap_test_fail "SGI 9: no overlay helper"
	ktap_finished
fi

while [ $# -gt 0 ]; do
	name=sgi-bad-$1
	want=$2
	shift 2
	dev=/sys/bus/platform/devices/$name
	start=$(dmesg | wc -l)
	if ! cat "$name.dtbo" >$OV/apply; then
		ktap_test_fail "$name: overlay applied"
		continue
	fi
	sleep 0.1
	# The driver's own lines about this device (not the core's about the
	# failed probe that follows them).
	lines=$(dmesg | tail -n +$((start + 1)) | driver_lines "$DRV" "$name")
	echo "$lines" | while read -r l; do ktap_print_msg "$l"; done
	ok=1
	[ -e "$dev" ] || { ok=0; ktap_print_msg "$dev does not exist"; }
	[ -e "$dev/driver" ] && { ok=0; ktap_print_msg "$name probed"; }
	[ -n "$lines" ] && [ "$(echo "$lines" | wc -l)" -eq 1 ] || ok=0
	case "$lines" in
	*"$want"*) ;;
	*) ok=0; ktap_print_msg "expected: $want" ;;
	esac
	echo 1 >$OV/remove || ok=0
	[ -e "$dev" ] && { ok=0; ktap_print_msg "$dev still there"; }
	ktap_test_result "$name: refused with one clear line" [ $ok -eq 1 ]
done

ktap_test_result "SGI 9 of the refused sgi-bad-high: CPU0 keeps running" \
	sgi9_harmless

ktap_finished
