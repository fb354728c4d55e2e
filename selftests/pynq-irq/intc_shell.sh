#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The nodes from busybox sh: 'read -r line < node' returns one line per
# pulse, a 'while read' loop sees exactly N lines for N pulses, and
# 'head -n1' blocks until the pulse.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

NODE=/dev/pynq-irq/btns	# pin 0

ktap_print_header
ktap_set_plan 4

# The pulse comes once this shell is seen blocked in the read (busybox's
# read builtin waits in poll(), then reads).
me=$$
(wait_blocked $me poll; stim_pulse 0) &
read -r seq ts lost <$NODE
wait
ktap_print_msg "read -r: seq=$seq ts=$ts lost=$lost"
case "$seq:$ts:$lost" in
*[!0-9.:]* | :* | *::*) ktap_test_fail "read -r gets one line per pulse" ;;
*) ktap_test_pass "read -r gets one line per pulse" ;;
esac

# A reader loop in the background; 10 pulses; then stop it and count.
(while read -r line; do echo "$line"; done <$NODE >/tmp/lines.out) &
loop=$!
wait_blocked $loop poll || ktap_print_msg "the loop is not reading"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	stim_pulse 0
	sleep 0.05
done
# Blocked in read again: it has taken every line there was.
wait_blocked $loop poll || ktap_print_msg "the loop is not reading"
kill $loop
wait $loop 2>/dev/null
n=$(wc -l </tmp/lines.out)
ktap_print_msg "while read: $n lines for 10 pulses"
ktap_test_result "while read sees exactly 10 lines for 10 pulses" [ "$n" -eq 10 ]
rm -f /tmp/lines.out

head -n1 $NODE >/tmp/head.out &
pid=$!
if wait_blocked $pid line_read && [ ! -s /tmp/head.out ]; then
	ktap_test_pass "head -n1 blocks while nothing happens"
else
	ktap_test_fail "head -n1 blocks while nothing happens"
fi
stim_pulse 0
wait $pid
ktap_print_msg "head -n1: $(cat /tmp/head.out)"
ktap_test_result "head -n1 returns the pulse's line" \
	[ "$(wc -l </tmp/head.out)" -eq 1 ]
rm -f /tmp/head.out
ktap_finished
