#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The GIC SGI driver from the shell, against the CPU1 program: each
# 'echo N > raise' is one SGI for CPU1; SGIs outside the node's tx list,
# garbage and non-root writers are refused; with the driver unbound, and
# with the module unloaded, SGIs from CPU1 do not stop CPU0, and the driver
# comes back.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

DEV=gic-sgi
DEVDIR=/sys/bus/platform/devices/$DEV
DRV=/sys/bus/platform/drivers/pynq-irq-gic-sgi
KO=/lib/modules/$(uname -r)/extra/pynq-irq.ko
TX="8 9 10 11"
RX="12 13 14 15"
EV=/tmp/gic_sgi.$$	# the round trip's event

ktap_print_header
ktap_set_plan 10

# CPU1's receive counters of the tx SGIs, as "8:n 9:n 10:n 11:n ".
rx_counts() {
	for s in $TX; do
		printf '%s:%s ' "$s" "$(./cpu1ctl rx "$s")"
	done
}

# plus_one COUNTS SGI - COUNTS with SGI's counter one higher.
plus_one() {
	for c in $1; do
		if [ "${c%%:*}" = "$2" ]; then
			printf '%s:%s ' "$2" $((${c#*:} + 1))
		else
			printf '%s ' "$c"
		fi
	done
}

# wait_rx SGI COUNT - wait up to 2 s for CPU1 to have received COUNT.
wait_rx() {
	i=0
	while [ "$(./cpu1ctl rx "$1")" -lt "$2" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
}

# round_trip - kick SGI 8, CPU1 echoes SGI 12, the node shows one event.
round_trip() {
	./cpu1ctl cmd echo 8 12 || return 1
	rm -f "$EV"
	head -n1 /dev/pynq-irq/cpu1-done >"$EV" &
	reader=$!
	wait_blocked $reader line_read || return 1
	echo 8 >"$DEVDIR/raise"
	i=0
	while [ ! -s "$EV" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	kill $reader 2>/dev/null
	wait $reader
	./cpu1ctl cmd echo 8 none
	ktap_print_msg "round trip: event '$(cat "$EV")'"
	[ -s "$EV" ]
}

if ! out=$(./cpu1ctl start cpu1.bin 2>&1); then
	ktap_print_msg "$out"
	ktap_test_fail "CPU1 runs the test program"
	ktap_finished
fi
ktap_print_msg "$out"
ktap_test_pass "CPU1 runs the test program"

# 1: each raise is one SGI for CPU1, on the SGI raised only.
ok=1
for s in $TX; do
	before=$(rx_counts)
	n=$(./cpu1ctl rx "$s")
	echo "$s" >"$DEVDIR/raise" || ok=0
	wait_rx "$s" $((n + 1))
	sleep 0.05
	after=$(rx_counts)
	ktap_print_msg "echo $s > raise: CPU1 counts $before-> $after"
	[ "$after" = "$(plus_one "$before" "$s")" ] || ok=0
done
ktap_test_result "echo N > raise: CPU1 counts exactly one SGI N" [ $ok -eq 1 ]

# rx_unopened - with no file open, a receive SGI is still on: CPU1 raising
# SGI 13 once counts one interrupt on cpu1-rx13, and "enabled" reads 1.
rx_unopened() {
	a=/sys/class/pynq-irq/cpu1-rx13
	before=$(cat $a/interrupts)
	./cpu1ctl cmd burst 13 1 || return 1
	i=0
	while [ "$(cat $a/interrupts)" -eq "$before" ] && [ $i -lt 200 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	ktap_print_msg "cpu1-rx13: clients $(cat $a/clients), enabled $(cat $a/enabled), interrupts $before -> $(cat $a/interrupts)"
	[ "$(cat $a/clients)" -eq 0 ] && [ "$(cat $a/enabled)" -eq 1 ] &&
		[ "$(cat $a/interrupts)" -eq $((before + 1)) ]
}
ktap_test_result "a receive SGI with no file open is on and counted" rx_unopened

# 2: anything but a tx SGI number is EINVAL and raises nothing.
ok=1
before=$(rx_counts)
for v in 0 7 12 15 16 -8 0x8 08x 8garbage "8 9" garbage 99999999999 ""; do
	err=$( (echo "$v" >"$DEVDIR/raise") 2>&1)
	case "$err" in
	*"Invalid argument"*) ;;
	*) ok=0; ktap_print_msg "'$v': ${err:-accepted}" ;;
	esac
done
sleep 0.05
after=$(rx_counts)
ktap_print_msg "CPU1 counts $before-> $after"
[ "$before" = "$after" ] || ok=0
ktap_test_result "other SGIs and garbage: EINVAL, nothing raised" [ $ok -eq 1 ]

# 3: only root may raise.
before=$(rx_counts)
err=$(su -s /bin/sh nobody -c "echo 8 >$DEVDIR/raise; echo 8 >/dev/pynq-irq/cpu1-kick" 2>&1)
rc=$?
sleep 0.05
after=$(rx_counts)
ktap_print_msg "as nobody (rc $rc): $err"
ok=1
[ $rc -ne 0 ] && [ "$before" = "$after" ] || ok=0
[ "$(echo "$err" | grep -c 'Permission denied')" -eq 2 ] || ok=0
ktap_test_result "a non-root writer is refused" [ $ok -eq 1 ]

# 4-6: unbound, SGIs from CPU1 have a mapping and no handler: harmless.
echo "$DEV" >"$DRV/unbind"
# shellcheck disable=SC2086 # one SGI a word
ktap_test_result "unbound: CPU0 keeps running while CPU1 raises SGIs" \
	cpu0_survives_sgis unbound $RX
echo "$DEV" >"$DRV/bind"
ktap_test_result "bound again: nodes back, a round trip works" round_trip

# 7-9: the same after rmmod, and after insmod.
if rmmod pynq-irq; then
	ktap_test_pass "rmmod pynq-irq"
else
	ktap_test_fail "rmmod pynq-irq"
fi
# shellcheck disable=SC2086 # one SGI a word
ktap_test_result "unloaded: CPU0 keeps running while CPU1 raises SGIs" \
	cpu0_survives_sgis unloaded $RX
[ -e /sys/module/pynq_irq ] || insmod "$KO"
ktap_test_result "insmod again: nodes back, a round trip works" round_trip

rm -f "$EV"
ktap_finished
