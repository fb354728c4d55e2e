#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# wait-button.sh - wait for interrupts of one /dev/pynq-irq node and print
# one line per event: "<name> <seqno> <seconds>.<nanoseconds> <lost>".
#
# Usage: wait-button.sh [NAME [COUNT]]
#	NAME   node under /dev/pynq-irq (default: btns)
#	COUNT  stop after COUNT events (default: 0, run until killed)
#
# Works with busybox sh, dash and bash. For one event, a single line does:
#	read -r seq ts lost < /dev/pynq-irq/btns
# In a loop, keep the node open instead (as below): a client only sees the
# events that happen while it has the node open, so reopening it for every
# read would miss the events in between.
#
# For a level-triggered pin, clear the interrupt at its source (the IP's own
# registers) after each event and before the next read: the pin stays masked
# until this client reads again.

name=${1:-btns}
count=${2:-0}
node=/dev/pynq-irq/$name

exec 3<"$node" || exit 1
n=0
while read -r seq ts lost <&3; do
	[ "$lost" -eq 0 ] || echo "$name: $lost events lost" >&2
	echo "$name $seq $ts $lost"
	n=$((n + 1))
	[ "$count" -gt 0 ] && [ "$n" -ge "$count" ] && break
done
exec 3<&-
# read fails (status > 0) when the device goes away (ENODEV).
[ "$count" -eq 0 ] || [ "$n" -ge "$count" ]
