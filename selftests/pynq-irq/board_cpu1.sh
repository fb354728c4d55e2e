#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The board has a second CPU that Linux does not run (maxcpus=1), held the
# way the Zynq BootROM holds it: waiting for a start address at 0xFFFFFFF0.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh

ktap_print_header
ktap_set_plan 4

present=$(cat /sys/devices/system/cpu/present)
online=$(cat /sys/devices/system/cpu/online)
ktap_print_msg "present: $present, online: $online"
ktap_test_result "two CPUs present" [ "$present" = 0-1 ]
ktap_test_result "only CPU0 runs Linux" [ "$online" = 0 ]

start=$(./board_mem 0xfffffff0) || start=unreadable
ktap_print_msg "start address at 0xFFFFFFF0: $start"
ktap_test_result "CPU1 has no start address yet" [ "$start" = 0x00000000 ]

# The hold loop sleeps in WFI (0xe320f003) and branches back while the
# start address is zero.
wfi=$(./board_mem 0xfffffe1c) || wfi=unreadable
ktap_print_msg "hold loop instruction at 0xFFFFFE1C: $wfi"
ktap_test_result "CPU1 hold loop is in on-chip memory" [ "$wfi" = 0xe320f003 ]

ktap_finished
