#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module as 'make install' installed it: the board's initramfs is laid
# out by 'make install DESTDIR=', and /init loads drivers by the devices'
# modalias, as udev does, with no insmod. The module must be in extra/ of
# the running kernel's module directory, loaded at boot, and come back by
# the INTC's modalias alone after an rmmod, binding the INTC again.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

MODDIR=/lib/modules/$(uname -r)
ALIAS=$PLATFORM/devices/$INTC_DEV/modalias

ktap_print_header
ktap_set_plan 5

loaded() { grep -q '^pynq_irq ' /proc/modules; }
all_of() { "$1" && "$2" "$3"; }
# wait_node NAME - up to 10 s for /dev/pynq-irq/NAME (builtins only).
wait_node() {
	i=0
	while [ ! -c "/dev/pynq-irq/$1" ] && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	[ -c "/dev/pynq-irq/$1" ]
}

ktap_test_result "the module is in $MODDIR/extra, as make install put it" \
	[ -f "$MODDIR/extra/pynq-irq.ko" ]
ktap_print_msg "the INTC's modalias: $(cat "$ALIAS")"
ktap_print_msg "modules.alias: $(grep -c ' pynq_irq$' "$MODDIR/modules.alias") aliases of pynq_irq"
ktap_test_result "depmod recorded the INTC's compatible as an alias" \
	grep -q '^alias of:N\*T\*Cxlnx,axi-intc-4\.1C\* pynq_irq$' "$MODDIR/modules.alias"
ktap_test_result "it was loaded at boot, with no insmod, and bound the INTC" \
	all_of loaded wait_node btns

rmmod pynq_irq
ktap_test_result "rmmod unloads it (no node open)" eval '! loaded'
modprobe "$(cat "$ALIAS")"
ktap_test_result "modprobe by the INTC's modalias loads it and binds the INTC" \
	all_of loaded wait_node btns
ktap_finished
