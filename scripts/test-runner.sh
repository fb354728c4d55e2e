#!/usr/bin/env bash
# The runner's self-test, host side: 'make check' runs it before it boots
# the boards. Every way a board run can go wrong must turn the run red:
# summary.sh is fed console logs of runs gone wrong, and boot.sh is asked
# for tests that do not exist and given an empty test list. (The board
# side, run-tests.sh, is tested in the board by harness_scan.sh.)
# Prints TAP; the last line is "PASSED FAILED SKIPPED" for boot.sh.
set -uo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
summary="$TOP/scripts/board/summary.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { tap_check runner "$@"; } # check DESCRIPTION CMD...

# board LOG - write a console log of a run from the here-document; QEMU
# exited 0.
board() {
	cat >"$tmp/$1"
	echo 0 >"$tmp/$1.rc"
}
# judged LOG EXPECTED WANT - summary.sh's counts for LOG are WANT
# ("P F S"), and it flags the run as wrong exactly when WANT has failures.
judged() {
	local got
	got=$("$summary" "$tmp/$1" "$2" | tail -n1)
	[ "$got" = "$3" ] || { echo "# $1: got '$got', want '$3'"; return 1; }
}

board good <<'LOG'
TAP version 13
1..4
ok 1 boot: kernel log clean
# cases: 3 passed, 0 failed, 1 skipped
ok 2 selftests: pynq-irq: a
ok 3 kmemleak: no leaks
ok 4 end: kernel log clean after the last test
PYNQ-BOARD-EXIT 0
LOG
check "a clean run counts its cases" judged good 4 "6 0 1"

sed 's/^PYNQ-BOARD-EXIT 0/PYNQ-BOARD-EXIT 1/' "$tmp/good" >"$tmp/exit1"
echo 0 >"$tmp/exit1.rc"
check "a non-zero guest exit fails" judged exit1 4 "6 1 1"

grep -v PYNQ-BOARD-EXIT "$tmp/good" >"$tmp/hang"
echo 124 >"$tmp/hang.rc"
check "a guest that does not finish fails" judged hang 4 "6 1 1"

grep -v '^ok 4 ' "$tmp/good" >"$tmp/short"
echo 0 >"$tmp/short.rc"
check "fewer results than planned fails" judged short 4 "5 1 1"

check "a plan short of the tests given fails" judged good 5 "6 2 1"

sed 's/^# cases: 3 passed, 0 failed/# cases: 2 passed, 1 failed/; s/^ok 2 /not ok 2 /' \
	"$tmp/good" >"$tmp/subfail"
echo 0 >"$tmp/subfail.rc"
check "a failed sub-test counts as a failure" judged subfail 4 "5 1 1"

sed 's/^PYNQ-BOARD-EXIT 0/PYNQ-BOARD-EXIT 1/' "$tmp/subfail" >"$tmp/subfail1"
echo 0 >"$tmp/subfail1.rc"
check "a failed test and the exit status it causes count once" \
	judged subfail1 4 "5 1 1"

sed 's/^ok 2 \(.*\)/not ok 2 \1 # kernel report while it ran/' "$tmp/good" >"$tmp/report"
echo 0 >"$tmp/report.rc"
check "a failed test whose cases passed still fails" judged report 4 "6 1 1"

# make soak: the plan comes last, and the results must match it.
board soak <<'LOG'
TAP version 13
ok 1 boot: kernel log clean
ok 2 selftests: pynq-irq: a (soak round 1)
ok 3 selftests: pynq-irq: a (soak round 2)
ok 4 kmemleak: no leaks
ok 5 end: kernel log clean after the last test
1..5
PYNQ-BOARD-EXIT 0
LOG
check "a soak is judged by the plan it prints last" judged soak soak "5 0 0"
grep -v '^ok 3 ' "$tmp/soak" >"$tmp/soakshort"
echo 0 >"$tmp/soakshort.rc"
check "a soak with fewer results than its plan fails" judged soakshort soak "4 1 0"
grep -v '^ok [23] ' "$tmp/soak" | sed 's/^1\.\.5$/1..3/' >"$tmp/soaknone"
echo 0 >"$tmp/soaknone.rc"
check "a soak that ran no test fails" judged soaknone soak "3 1 0"

# boot.sh itself, before it boots anything.
mkdir -p "$tmp/out/selftests"
echo intc_pins >"$tmp/out/selftests/tests.list"
no_boot() { # no_boot - boot.sh check must fail without booting a board
	! RUNNER_SELFTEST=1 "$TOP/scripts/boot.sh" check "$tmp/out" >"$tmp/boot.out" 2>&1 &&
		! grep -q 'booting the' "$tmp/boot.out"
}
check "TESTS=no_such_test fails" env TESTS=no_such_test bash -c "$(declare -f no_boot); TOP=$TOP tmp=$tmp no_boot"
: >"$tmp/out/selftests/tests.list"
check "an empty tests.list fails" bash -c "$(declare -f no_boot); TOP=$TOP tmp=$tmp no_boot"

tap_summary
