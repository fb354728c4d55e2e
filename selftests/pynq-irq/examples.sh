#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The user guide's examples against real pulses of the stimulus block:
# examples/wait-button.sh, examples/poll-pins.c (text and binary) and
# examples/asyncio-pins.py (CPython, the pynq_irq package) must report every
# pulse once, on the right node, in order, with nothing lost.
# shellcheck disable=SC2317 # the tests run through ktap_test_result
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

CLASS=/sys/class/pynq-irq
OUT=/tmp/examples.$$.out

# attr NAME ATTR - print a sysfs attribute of node NAME (no fork).
attr() {
	read -r v <"$CLASS/$1/$2" && echo "$v"
}

# wait_attr NAME ATTR VALUE [NAME ATTR2 VALUE2] - wait up to WAIT_S (10) s
# until the attribute reads VALUE (or the second one reads VALUE2).
wait_attr() {
	read -r up _ </proc/uptime
	end=$((${up%.*} + ${WAIT_S:-10}))
	while :; do
		read -r v <"$CLASS/$1/$2" && [ "$v" = "$3" ] && return 0
		if [ $# -eq 6 ]; then
			read -r v <"$CLASS/$4/$5" && [ "$v" = "$6" ] && return 0
		fi
		read -r up _ </proc/uptime
		if [ "${up%.*}" -ge "$end" ]; then
			ktap_print_msg "$1/$2 is $(attr "$1" "$2"), not $3"
			return 1
		fi
		sleep 0.01
	done
}

# opened NAME... - every node has one client (the example opened it).
# CPython takes seconds to start on the debug kernel: wait up to 60 s.
opened() {
	WAIT_S=60
	for name in "$@"; do
		wait_attr "$name" clients 1 || { WAIT_S=10; return 1; }
	done
	WAIT_S=10
}

# running PID - the process exists and has not exited (not a zombie).
running() {
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[ "${st%% *}" != Z ]
}

# wait_pid PID SECONDS - wait for a background job, killed after SECONDS;
# its exit status.
wait_pid() {
	# Polled, not a watchdog job: a test leaves no process behind.
	i=0
	while running "$1" && [ $i -lt $(($2 * 20)) ]; do
		sleep 0.05
		i=$((i + 1))
	done
	kill "$1" 2>/dev/null
	wait "$1"
	rc=$?
	[ "$rc" -eq 0 ] || ktap_print_msg "the example exited with status $rc"
	# Anything else it printed: its errors.
	grep -v "^[^ ]* [0-9]* [0-9]*\.[0-9]* [0-9]*$" "$OUT" |
		while read -r l; do ktap_print_msg "  $l"; done
	return "$rc"
}

# pulse PIN NAME - one pulse on PIN; wait until node NAME counted it and,
# for a level pin, until the client waits again (the pin is enabled) or has
# closed the node, so that no pulse falls on a masked pin.
pulse() {
	read -r before <"$CLASS/$2/interrupts"
	stim_pulse "$1"
	wait_attr "$2" interrupts $((before + 1)) &&
		wait_attr "$2" enabled 1 "$2" clients 0
}

# check NAME N - the output has exactly N lines "NAME seqno sec.nsec 0"
# for NAME, with consecutive sequence numbers and rising timestamps. The
# 9-digit fractions are compared as strings: busybox awk reads a number
# with a leading 0 and only octal digits as octal.
check() {
	grep "^$1 " "$OUT" | while read -r l; do ktap_print_msg "  $l"; done
	why=$(awk -v name="$1" -v want="$2" '
	$1 != name { next }
	{
		n++
		if (NF != 4 || $4 != 0 ||
		    $3 !~ /^[0-9]+\.[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]$/)
			print "malformed: " $0
		split($3, t, ".")
		if (n > 1 && $2 != seq + 1)
			print "seqno " $2 " after " seq
		if (n > 1 && (t[1] < sec || (t[1] == sec && t[2] "" < nsec "")))
			print "time " $3 " after " sec "." nsec
		seq = $2
		sec = t[1]
		nsec = t[2]
	}
	END { if (n != want) print n + 0 " lines, not " want }' "$OUT")
	[ -z "$why" ] && return 0
	echo "$why" | while read -r l; do ktap_print_msg "$1: $l"; done
	return 1
}

# shell_example NAME PIN N - wait-button.sh reports N pulses on PIN.
shell_example() {
	./wait-button.sh "$1" "$3" >"$OUT" 2>&1 &
	pid=$!
	ok=0
	if opened "$1"; then
		ok=1
		n=0
		while [ "$n" -lt "$3" ] && [ "$ok" -eq 1 ]; do
			pulse "$2" "$1" || ok=0
			n=$((n + 1))
		done
	fi
	wait_pid "$pid" 10 || ok=0
	check "$1" "$3" && [ "$ok" -eq 1 ]
}

# example_pulses PROGRAM "PIN NAME..." ROUNDS [OPTION...] - PROGRAM
# (poll-pins or asyncio-pins.py, with OPTIONs) on every NAME at once
# reports ROUNDS pulses on each PIN, pulsed in turn.
example_pulses() {
	prog=$1
	pins=$2
	rounds=$3
	shift 3
	names=$(echo "$pins" | awk '{ for (i = 2; i <= NF; i += 2) print $i }')
	nr=$(echo "$names" | wc -l)
	# shellcheck disable=SC2086 # one name a word
	"$prog" "$@" -c $((nr * rounds)) $names >"$OUT" 2>&1 &
	pid=$!
	ok=0
	# shellcheck disable=SC2086
	if opened $names; then
		ok=1
		r=0
		while [ "$r" -lt "$rounds" ] && [ "$ok" -eq 1 ]; do
			# shellcheck disable=SC2086
			set -- $pins
			while [ $# -ge 2 ]; do
				pulse "$1" "$2" || ok=0
				shift 2
			done
			r=$((r + 1))
		done
	fi
	wait_pid "$pid" 20 || ok=0
	for name in $names; do
		check "$name" "$rounds" || ok=0
	done
	[ "$ok" -eq 1 ]
}

# c_example_train MASK "NAME..." COUNT [POLL-PINS OPTION...] - poll-pins
# reports every pulse of a hardware train that pulses the pins of MASK
# together, 2 ms apart, in lockstep (a pulse waits for the INTC's
# acknowledge of the previous one, so none merge on a slow host).
c_example_train() {
	mask=$1
	names=$2
	count=$3
	shift 3
	nr=$(echo "$names" | wc -w)
	# shellcheck disable=SC2086
	./poll-pins "$@" -t 10000 -c $((nr * count)) $names >"$OUT" 2>&1 &
	pid=$!
	ok=0
	# shellcheck disable=SC2086
	opened $names && stim_train "$mask" "$count" 2000000 lockstep && ok=1
	wait_pid "$pid" 30 || ok=0
	for name in $names; do
		check "$name" "$count" || ok=0
	done
	[ "$ok" -eq 1 ]
}

sum() { awk '{ n += $1 } END { print n + 0 }' "$@"; }

ktap_print_header
if [ ! -c /dev/pynq-irq/btns ] || [ ! -x ./poll-pins ] ||
	[ ! -f ./wait-button.sh ] || [ ! -x ./asyncio-pins.py ]; then
	ktap_print_msg "needs /dev/pynq-irq/btns, poll-pins, wait-button.sh and asyncio-pins.py"
	ktap_set_plan 1
	ktap_test_fail "the examples"
	ktap_finished
fi
ktap_set_plan 7
trap 'stim_reg 0x24 0; stim_reg 0x08 0; rm -f "$OUT"' EXIT
stim_reg 0x08 0
lost_before=$(sum $CLASS/*/lost)

ktap_test_result "wait-button.sh: 5 pulses on edge pin btns, 5 lines" \
	shell_example btns 0 5
ktap_test_result "wait-button.sh: 3 pulses on level pin 16, 3 lines" \
	shell_example 41800000.pin16 16 3
ktap_test_result "poll-pins: pins 0, 1, 2 pulsed in turn, text mode" \
	example_pulses ./poll-pins "0 btns 1 switches 2 iop1" 2 -t 10000
ktap_test_result "poll-pins -b: level pin 20 and edge pin 3 pulsed in turn" \
	example_pulses ./poll-pins "20 41800000.pin20 3 iop2" 3 -b -t 10000
ktap_test_result "asyncio-pins.py: edge pin 1 and level pin 17 pulsed in turn" \
	example_pulses ./asyncio-pins.py "1 switches 17 41800000.pin17" 3 -t 30
ktap_test_result "poll-pins -b: a train of 50 pulses on pins 3 and 5 at once" \
	c_example_train 0x28 "iop2 41800000.pin5" 50 -b

busy=$(sum $CLASS/*/clients)
lost_after=$(sum $CLASS/*/lost)
ktap_print_msg "open clients: $busy, lost events: $lost_before -> $lost_after"
all_closed() { [ "$busy" -eq 0 ] && [ "$lost_after" -eq "$lost_before" ]; }
ktap_test_result "the examples closed every node and lost no event" all_closed

ktap_finished
