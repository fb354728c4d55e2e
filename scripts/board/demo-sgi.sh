#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Ping-pong between Linux (CPU0) and the bare-metal program on CPU1, with
# GIC software-generated interrupts (SGIs). Run it in the emulated board:
#
#	make run SCRIPT=scripts/board/demo-sgi.sh
#
# or copy the commands into 'make shell'.
cd /usr/lib/pynq-irq/selftests || exit 1
DEV=/sys/bus/platform/devices/gic-sgi

say() { printf '\n== %s\n' "$*"; }

say "Linux runs on CPU0 only; CPU1 waits for a program (maxcpus=1)."
echo "CPUs Linux runs: $(cat /sys/devices/system/cpu/online)"

say "Start the bare-metal program on CPU1. It counts the SGIs it gets."
./cpu1ctl start cpu1.bin || exit 1

say "The device tree gave Linux these SGI nodes (tx: Linux raises, rx: CPU1 raises):"
for n in /sys/class/pynq-irq/cpu1-*; do
	echo "  /dev/pynq-irq/${n##*/}: SGI $(cat "$n/number"), $(cat "$n/trigger")"
done

say "Kick CPU1 with SGI 8, twice: once through sysfs, once through its node."
echo "  CPU1 has received SGI 8 $(./cpu1ctl rx 8) times"
echo 8 >$DEV/raise
echo kick >/dev/pynq-irq/cpu1-kick	# any write() raises the SGI once
sleep 0.1
echo "  CPU1 has received SGI 8 $(./cpu1ctl rx 8) times"
echo "  Linux has sent $(cat /sys/class/pynq-irq/cpu1-kick/interrupts) kicks on cpu1-kick"

say "Ask CPU1 to answer every SGI 8 with SGI 12 (node cpu1-done)."
./cpu1ctl cmd echo 8 12

say "Ping-pong: kick, then wait for the answer. Each answer is one line:"
echo "   <sequence number> <time of the interrupt, s> <events this reader lost>"
exec 3</dev/pynq-irq/cpu1-done		# open once: events start now
for i in 1 2 3 4 5; do
	echo ping >/dev/pynq-irq/cpu1-kick
	read -r answer <&3
	echo "  ping $i -> pong: $answer"
done

say "100 round trips, timed (guest time):"
start=$(cut -d' ' -f1 /proc/uptime)
i=0
while [ $i -lt 100 ]; do
	echo >/dev/pynq-irq/cpu1-kick
	read -r answer <&3
	i=$((i + 1))
done
end=$(cut -d' ' -f1 /proc/uptime)
echo "  last answer: $answer"
awk -v s="$start" -v e="$end" \
	'BEGIN { printf "  %.0f us per round trip, shell included\n", (e - s) * 10000 }'
exec 3<&-
./cpu1ctl cmd echo 8 none

say "SGIs merge: CPU1 raises SGI 13 1000 times back to back."
before=$(cat /sys/class/pynq-irq/cpu1-rx13/interrupts)
./cpu1ctl cmd burst 13 1000
sleep 0.1
after=$(cat /sys/class/pynq-irq/cpu1-rx13/interrupts)
echo "  CPU1 raised SGI 13 $(./cpu1ctl tx 13) times in all; Linux took $((after - before)) of this burst."
echo "  An SGI raised while the previous one is still pending merges with it:"
echo "  count in shared memory (as CPU1's tx counter), not in interrupts."

say "Where the counters are:"
grep -E 'cpu1-' /proc/interrupts
