#!/bin/sh
# The board's test runner. Runs each kselftest program of pynq-irq as one
# top-level TAP test, with the kselftest timeout from 'settings', and counts
# the test cases each program reports. A test fails when it exits non-zero,
# runs out of time, reports a failed case ('not ok' at any level of its
# output), prints fewer cases than its plan, leaves a process behind, or
# when the kernel logged a report while it ran (report-scan.sh). Then
# kmemleak must be active and find nothing, and the kernel log must stay
# clean to the end.
# Usage: run-tests.sh TEST...
# Environment: TORTURE=1 (make torture) and SOAK_MINUTES (make soak), below.
# For the runner's self-test: RUN_TESTS_NO_KMEMLEAK=1 leaves the kmemleak
# check out; RUN_TESTS_END_WAIT is how long (s) the last check waits for
# the kernel log to settle (1); SOAK_SECONDS, SOAK_TICK and SOAK_SLICE
# (s) replace the soak's minutes, its minute and its slice.
cd "$(dirname "$0")" || exit 1
. ./report-scan.sh

timeout=120
[ -f settings ] && timeout=$(sed -n 's/^timeout=//p' settings)
# make torture: the tests share TORTURE_MINUTES (less two minutes for the
# checks at the end); each gets its part of what is left when it starts,
# by its weight among the tests left (TORTURE_WEIGHTS, "test:w,...", from
# selftests/pynq-irq/torture; 1 for a test not named), as TORTURE_UNTIL
# (an uptime in s, board.h), and stops its loops there. A test may still
# take most of the time alone (a hang is not).
torture_end=
if [ -n "${TORTURE:-}" ]; then
	timeout=3600
	read -r up _ </proc/uptime
	torture_end=$((${up%.*} + ${TORTURE_MINUTES:-50} * 60 - 120))
fi
# make soak: the tests (the tortures) run in rounds, each round in an
# order of its own (seeded, the seed printed), for SOAK_MINUTES, each run
# with TORTURE=1 and a slice of SOAK_SLICE s (150) as its TORTURE_UNTIL;
# every run is a result of its own, a line of progress comes every
# minute, and the plan is printed last (its count is known only then).
soak_end=
if [ -n "${SOAK_MINUTES:-}${SOAK_SECONDS:-}" ]; then
	export TORTURE=1
	timeout=3600
	read -r up _ </proc/uptime
	soak_start=${up%.*}
	soak_s=${SOAK_SECONDS:-$((SOAK_MINUTES * 60))}
	soak_end=$((soak_start + soak_s))
	torture_end=
fi
kmemleak=1
[ -n "${RUN_TESTS_NO_KMEMLEAK:-}" ] && kmemleak=0

echo "TAP version 13"
if [ $# -eq 0 ]; then
	echo "1..1"
	echo "not ok 1 runner: no tests to run"
	exit 1
fi
[ -n "$soak_end" ] || echo "1..$(($# + 2 + kmemleak))"
n=0
failed=0
tmp=/tmp/run-tests.$$

# run_with_timeout SECONDS CMD - run CMD in a session of its own; exit
# status of CMD, 124 if it ran out of time (busybox's timeout does not
# work as PID 1's child). Sets $sid to the session's id.
run_with_timeout() {
	setsid "$2" &
	sid=$!
	# The watchdog is a session (and process group) of its own, so that
	# one kill stops it and its sleep.
	# shellcheck disable=SC2016 # $1 and $2 are the watchdog's own
	setsid sh -c 'sleep "$1" && kill -TERM "$2" && sleep 5 &&
		kill -KILL "$2"' watchdog "$1" $sid >/dev/null 2>&1 &
	dog=$!
	wait $sid
	rc=$?
	if kill -0 $dog 2>/dev/null; then
		kill -TERM -$dog 2>/dev/null
		wait $dog 2>/dev/null
		return $rc
	fi
	return 124
}

# left_behind SID - the processes still in session SID, one "PID COMM" a
# line (field 6 of /proc/PID/stat is the session; COMM has no spaces here).
# One awk over every stat file: a shell loop reading them one by one
# took seconds of the debug board per test.
left_behind() {
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v s="$1" '$6 == s { print $1, $2 }'
}

# now - the uptime in hundredths of a second, in $now.
now() {
	read -r now _ </proc/uptime
	now=${now%.*}${now#*.}
}

result() { # result OK|FAIL|SKIP NAME [REASON]
	n=$((n + 1))
	case "$1" in
	OK) echo "ok $n $2" ;;
	SKIP) echo "ok $n $2 # SKIP ${3:-}" ;;
	*) echo "not ok $n $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
}

# cases OUTPUT - print the '# cases:' line of a test's output: its own
# top-level results. Also sets $case_failed to the 'not ok' lines at any
# level of nesting (a '# ' or space prefix a level), and $case_short to
# "M of N planned cases" when its top-level plan is 1..N and it printed
# only M < N results (it stopped half-way), else to nothing.
cases() {
	awk '
		/^ok [0-9]+ .*# [Ss][Kk][Ii][Pp]/ { s++; next }
		/^ok [0-9]+ / { p++; next }
		/^not ok [0-9]+ / { f++ }
	END { printf "# cases: %d passed, %d failed, %d skipped\n", p, f, s }' "$1"
	case_failed=$(grep -Ec '^(# |[[:space:]])*not ok [0-9]+ ' "$1")
	case_short=$(awk '
		/^1\.\.[0-9]+$/ && plan == "" { plan = substr($0, 4) }
		/^(not )?ok [0-9]+ / { n++ }
	END { if (plan != "" && n < plan + 0) print n + 0 " of " plan " planned cases" }' "$1")
}

# 1: the boot itself must be clean.
if dmesg -c >$tmp.dmesg && ! report_scan <$tmp.dmesg; then
	report_show <$tmp.dmesg
	result FAIL "boot: kernel log clean" "kernel reports at boot"
else
	result OK "boot: kernel log clean"
fi

# weight TEST - TEST's weight in make torture's time (above).
weight() {
	w=$(echo ",${TORTURE_WEIGHTS:-}," | sed -n "s/.*,$1:\([0-9]*\),.*/\1/p")
	echo "${w:-1}"
}

# run_one TEST [LABEL] - run TEST as one top-level result, LABEL after its
# name; TORTURE_UNTIL as the caller set it.
run_one() {
	t=$1
	name="selftests: pynq-irq: $t${2:+ ($2)}"
	echo "# $name"
	if [ ! -x "./$t" ]; then
		result FAIL "$name" "no such test"
		return
	fi
	run_with_timeout "$timeout" "./$t" >$tmp.out 2>&1
	rc=$?
	sed 's/^/# /' $tmp.out
	now
	dmesg -c >$tmp.dmesg
	took=$((now - start))
	printf '# (%s took %d.%02d s of guest time)\n' "$t" $((took / 100)) $((took % 100))
	left=$(left_behind "$sid")
	if [ -n "$left" ]; then
		echo "$left" | sed 's/^/# left behind: /'
		echo "$left" | while read -r pid _; do kill -KILL "$pid"; done
	fi
	cases $tmp.out
	if ! report_scan <$tmp.dmesg; then
		report_show <$tmp.dmesg
		result FAIL "$name" "kernel report while it ran"
	elif [ $rc -eq 124 ]; then
		result FAIL "$name" "TIMEOUT after $timeout s"
	elif [ -n "$left" ]; then
		result FAIL "$name" "left processes behind"
	elif [ "$case_failed" -gt 0 ]; then
		result FAIL "$name" "$case_failed failed case(s)"
	elif [ -n "$case_short" ]; then
		result FAIL "$name" "$case_short"
	elif [ $rc -eq 0 ]; then
		result OK "$name"
	elif [ $rc -eq 4 ]; then
		result SKIP "$name"
	else
		result FAIL "$name" "exit=$rc"
	fi
}

# soak_ticker - a line of progress every SOAK_TICK s (60) from the state
# file, until killed. Run as a session of its own (one kill stops it and
# its sleep).
# shellcheck disable=SC2016 # the ticker's own variables
soak_ticker() {
	setsid sh -c 'start=$1; end=$2; tick=$3; state=$4
		while sleep "$tick"; do
			read -r up _ </proc/uptime
			echo "# soak: $((${up%.*} - start)) of $((end - start)) s: $(cat "$state")"
		done' ticker "$soak_start" "$soak_end" "${SOAK_TICK:-60}" \
		$tmp.soak &
	ticker=$!
}

# soak TEST... - rounds of the tests until the soak's end.
soak() {
	seed=${SOAK_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
	echo "# soak: $soak_s s of the tests $*, in rounds; seed $seed (SOAK_SEED)"
	echo "starting" >$tmp.soak
	soak_ticker
	round=0
	now
	while [ $((now / 100)) -lt "$soak_end" ]; do
		round=$((round + 1))
		for t in $(printf '%s\n' "$@" | awk -v s=$((seed + round)) '
			BEGIN { srand(s) } { print int(rand() * 1000000), $0 }' |
			sort -n | cut -d' ' -f2); do
			now
			[ $((now / 100)) -lt "$soak_end" ] || break
			start=$now
			until=$((now / 100 + ${SOAK_SLICE:-150}))
			[ "$until" -le "$soak_end" ] || until=$soak_end
			export TORTURE_UNTIL=$until
			echo "round $round: $t; $((n - 1 - failed)) runs passed, $failed failed" >$tmp.soak
			run_one "$t" "soak round $round"
		done
	done
	kill -TERM -$ticker 2>/dev/null
	wait $ticker 2>/dev/null
	echo "# soak: $round rounds, $((n - 1)) runs, $failed failed"
}

if [ -n "$soak_end" ]; then
	soak "$@"
else
	wleft=0
	for t in "$@"; do wleft=$((wleft + $(weight "$t"))); done
	for t in "$@"; do
		now
		start=$now
		if [ -n "$torture_end" ]; then
			w=$(weight "$t")
			TORTURE_UNTIL=$((now / 100 + (torture_end - now / 100) * w / wleft))
			wleft=$((wleft - w))
			export TORTURE_UNTIL
			echo "# (torture: $t has until uptime $TORTURE_UNTIL s)"
		fi
		run_one "$t"
	done
fi

# kmemleak over everything that ran. An object must be unreferenced for a
# few seconds and seen by two scans before it is reported. A scan that
# cannot be asked for means kmemleak is off (it switches itself off on an
# internal error, and says so in the kernel log, which the last check
# reads).
if [ $kmemleak -eq 1 ]; then
	sleep 6
	if ! { echo scan >/sys/kernel/debug/kmemleak; } 2>/dev/null; then
		result FAIL "kmemleak: no leaks" "kmemleak is not active"
	else
		sleep 1
		echo scan >/sys/kernel/debug/kmemleak
		cat /sys/kernel/debug/kmemleak >$tmp.leaks
		if [ -s $tmp.leaks ]; then
			sed 's/^/# /' $tmp.leaks | head -n 80
			result FAIL "kmemleak: no leaks" "unreferenced objects"
		else
			result OK "kmemleak: no leaks"
		fi
	fi
fi

# Last: whatever the kernel logged after the last test.
sleep "${RUN_TESTS_END_WAIT:-1}"
dmesg -c >$tmp.dmesg
if ! report_scan <$tmp.dmesg; then
	report_show <$tmp.dmesg
	result FAIL "end: kernel log clean after the last test" "kernel report"
else
	result OK "end: kernel log clean after the last test"
fi
[ -z "$soak_end" ] || echo "1..$n"
rm -f $tmp.out $tmp.dmesg $tmp.leaks $tmp.soak
exit $((failed != 0))
