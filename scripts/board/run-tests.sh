#!/bin/sh
# The board's test runner: runs each kselftest program of pynq-irq as one
# top-level TAP test, with the kselftest timeout from 'settings', and fails a
# test when the kernel logged a report while it ran (KASAN, lockdep, UBSAN,
# kmemleak, BUG:, WARNING: ...). Usage: run-tests.sh [TEST...]
cd "$(dirname "$0")" || exit 1
. ./report-scan.sh

timeout=120
[ -f settings ] && timeout=$(sed -n 's/^timeout=//p' settings)
tests=$*
[ -n "$tests" ] || tests=$(grep -v '^#' tests.list)

kmemleak=1
[ -n "${RUN_TESTS_NO_KMEMLEAK:-}" ] && kmemleak=0

# shellcheck disable=SC2086 # one test name a word
set -- $tests
echo "TAP version 13"
echo "1..$(($# + 1 + kmemleak))"
n=0
failed=0

# run_with_timeout SECONDS CMD - exit status of CMD, 124 if it ran out of
# time (busybox's timeout does not work as PID 1's child).
run_with_timeout() {
	"$2" &
	pid=$!
	(sleep "$1" && kill -TERM $pid 2>/dev/null && sleep 5 &&
		kill -KILL $pid 2>/dev/null) >/dev/null 2>&1 &
	dog=$!
	wait $pid
	rc=$?
	if kill $dog 2>/dev/null; then
		return $rc
	fi
	return 124
}

result() { # result OK|FAIL|SKIP NAME [REASON]
	n=$((n + 1))
	case "$1" in
	OK) echo "ok $n $2" ;;
	SKIP) echo "ok $n $2 # SKIP ${3:-}" ;;
	*) echo "not ok $n $2${3:+ # $3}"; failed=$((failed + 1)) ;;
	esac
}

# 1: the boot itself must be clean.
if dmesg -c >/tmp/dmesg.boot && ! report_scan </tmp/dmesg.boot; then
	report_show </tmp/dmesg.boot
	result FAIL "boot: kernel log clean" "kernel reports at boot"
else
	result OK "boot: kernel log clean"
fi

for t in "$@"; do
	echo "# selftests: pynq-irq: $t"
	start=$(cut -d' ' -f1 /proc/uptime)
	run_with_timeout "$timeout" "./$t" >/tmp/out.$$ 2>&1
	rc=$?
	sed 's/^/# /' /tmp/out.$$
	end=$(cut -d' ' -f1 /proc/uptime)
	dmesg -c >/tmp/dmesg.$$
	echo "# ($t took $(awk "BEGIN{print $end - $start}") s of guest time)"
	if ! report_scan </tmp/dmesg.$$; then
		report_show </tmp/dmesg.$$
		result FAIL "selftests: pynq-irq: $t" "kernel report while it ran"
	elif [ $rc -eq 0 ]; then
		result OK "selftests: pynq-irq: $t"
	elif [ $rc -eq 4 ]; then
		result SKIP "selftests: pynq-irq: $t"
	elif [ $rc -eq 124 ]; then
		result FAIL "selftests: pynq-irq: $t" "TIMEOUT after $timeout s"
	else
		result FAIL "selftests: pynq-irq: $t" "exit=$rc"
	fi
done

# Last: kmemleak over everything that ran. An object must be unreferenced
# for a few seconds and seen by two scans before it is reported.
if [ $kmemleak -eq 0 ]; then
	:
elif [ -w /sys/kernel/debug/kmemleak ]; then
	sleep 6
	echo scan >/sys/kernel/debug/kmemleak
	sleep 1
	echo scan >/sys/kernel/debug/kmemleak
	cat /sys/kernel/debug/kmemleak >/tmp/kmemleak.$$
	if [ -s /tmp/kmemleak.$$ ]; then
		sed 's/^/# /' /tmp/kmemleak.$$ | head -n 80
		result FAIL "kmemleak: no leaks" "unreferenced objects"
	else
		result OK "kmemleak: no leaks"
	fi
else
	result FAIL "kmemleak: no leaks" "kmemleak is not available"
fi
rm -f /tmp/out.$$ /tmp/dmesg.$$ /tmp/kmemleak.$$
exit $((failed != 0))
