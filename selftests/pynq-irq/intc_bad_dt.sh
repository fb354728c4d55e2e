#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Bad AXI INTC nodes, each applied as an overlay with pynq_irq_overlay.ko:
# the device fails to probe, no /dev/pynq-irq node appears, and the driver
# logs exactly one line for it, saying what is wrong. Then the good overlay
# still binds, and unloading the helper removes it. The runner fails the
# test on any report of the kernel.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

OVL=/sys/kernel/debug/pynq-irq-overlay
DRV=pynq-irq-axi-intc
DT=/sys/firmware/devicetree/base/amba_pl

ktap_print_header
ktap_set_plan 7

if [ ! -d "$OVL" ] && ! insmod ./pynq_irq_overlay.ko; then
	ktap_print_msg "cannot load pynq_irq_overlay.ko"
	exit "$KSFT_FAIL"
fi

# dev_of NODE - the platform device made for amba_pl/NODE.
dev_of() {
	for d in /sys/bus/platform/devices/*; do
		if [ "$(readlink -f "$d/of_node")" = "$DT/$1" ]; then
			echo "${d##*/}"
			return 0
		fi
	done
	return 1
}

# check_bad DTBO NODE MESSAGE - apply, check, remove; fails on any problem.
check_bad() {
	ok=1
	nodes=$(ls /dev/pynq-irq)
	start=$(dmesg | wc -l)
	if ! cat "$1" >"$OVL/apply"; then
		ktap_print_msg "$1: the overlay did not apply"
		return 1
	fi
	dev=$(dev_of "$2") || {
		ktap_print_msg "$1: no platform device for $2"
		ok=0
	}
	if [ -n "$dev" ] && [ -e "/sys/bus/platform/devices/$dev/driver" ]; then
		ktap_print_msg "$dev: bound to a driver"
		ok=0
	fi
	if [ "$(ls /dev/pynq-irq)" != "$nodes" ]; then
		ktap_print_msg "$1: new nodes in /dev/pynq-irq:"
		find /dev/pynq-irq | sed 's/^/#   /'
		ok=0
	fi
	echo 1 >"$OVL/remove" || ok=0
	if [ -e "$DT/$2" ] || [ -e "/sys/bus/platform/devices/$dev" ]; then
		ktap_print_msg "$1: $2 is still there after remove"
		ok=0
	fi
	dmesg | tail -n +$((start + 1)) >/tmp/bad_dt.log
	mine=$(driver_lines "$DRV" "$dev" </tmp/bad_dt.log)
	n=$(printf '%s' "$mine" | grep -c .)
	if [ "$n" -ne 1 ] || ! printf '%s\n' "$mine" | grep -qF "$3"; then
		ktap_print_msg "$dev: expected one line from $DRV with '$3'; got $n"
		ok=0
	fi
	# e.g. an of_node reference the failed probe kept
	if grep -q 'OF: ERROR' /tmp/bad_dt.log; then
		ktap_print_msg "$1: the OF core reported an error"
		ok=0
	fi
	grep -F -e "${dev:-"$2"}" -e 'OF: ' /tmp/bad_dt.log | sed 's/^/#   dmesg: /'
	rm -f /tmp/bad_dt.log
	[ "$ok" -eq 1 ]
}

# bad DESCRIPTION DTBO NODE MESSAGE - one test: check_bad passes.
bad() {
	desc=$1
	shift
	if check_bad "$@"; then
		ktap_test_pass "$desc"
	else
		ktap_test_fail "$desc"
	fi
}

bad "missing reg" bad_noreg.dtbo \
	interrupt-controller-noreg "missing reg"
bad "missing interrupts" bad_nointr.dtbo \
	interrupt-controller@41820000 "missing interrupts"
bad "missing xlnx,num-intr-inputs" bad_nonum.dtbo \
	interrupt-controller@41830000 "missing xlnx,num-intr-inputs"
bad "xlnx,num-intr-inputs = 0" bad_num0.dtbo \
	interrupt-controller@41840000 "xlnx,num-intr-inputs = 0, must be 1 to 32"
bad "xlnx,num-intr-inputs = 33" bad_num33.dtbo \
	interrupt-controller@41850000 "xlnx,num-intr-inputs = 33, must be 1 to 32"
bad "more pynq,pin-names than pins" bad_names.dtbo \
	interrupt-controller@41860000 "pynq,pin-names has 5 names for 4 pins"

# After all that the good node binds; unloading the helper removes it.
good() {
	cat intc1.dtbo >"$OVL/apply" || return 1
	ok=1
	[ -e "/sys/bus/platform/drivers/$DRV/41810000.interrupt-controller" ] &&
		[ -c /dev/pynq-irq/ov-btns ] || ok=0
	rmmod pynq_irq_overlay || ok=0
	[ ! -e /dev/pynq-irq/ov-btns ] &&
		[ ! -e "$DT/interrupt-controller@41810000" ] || ok=0
	[ "$ok" -eq 1 ]
}
desc="the good overlay binds; unloading the helper removes it"
if good; then ktap_test_pass "$desc"; else ktap_test_fail "$desc"; fi
ktap_finished
