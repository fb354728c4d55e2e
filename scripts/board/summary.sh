#!/usr/bin/env bash
# Read the console log of one board's 'check' run and judge it as a whole.
# Usage: summary.sh LOG EXPECTED
#   LOG       the board's console log; LOG.rc holds QEMU's exit status
#   EXPECTED  the number of top-level results the runner must print (the
#             tests the board was given, plus the runner's own checks), or
#             "soak": as many as the plan it printed last says, at least
#             one run of a test besides its four checks
# Prints one 'not ok' line for each thing wrong with the run as a whole,
# then a last line "PASSED FAILED SKIPPED", counting test cases: the
# sub-tests a test program reports (its '# cases:' line), or 1 for a
# result without one. A run is wrong when the guest did not finish, exited
# non-zero with no failed test to explain it, or planned or printed another
# number of results than EXPECTED.
set -euo pipefail
log=${1:?usage: summary.sh LOG EXPECTED}
expected=${2:?usage: summary.sh LOG EXPECTED}
name=${log##*/}

bad=0
fail() {
	echo "not ok - board $name: $*"
	bad=$((bad + 1))
}

rc=$(sed -n 's/^PYNQ-BOARD-EXIT \([0-9]*\).*/\1/p' "$log" | tail -n1)
if [ -z "$rc" ]; then
	qrc=$(cat "$log.rc" 2>/dev/null || echo '?')
	if [ "$qrc" = 124 ]; then
		fail "the guest did not finish in time (hang?)"
	else
		fail "the guest stopped without finishing (QEMU exit $qrc)"
	fi
fi
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
if [ "$expected" = soak ]; then
	[ "${planned:-0}" -ge 4 ] || fail "the soak planned ${planned:-no} results, no run of a test"
	expected=${planned:-0}
elif [ "${planned:-}" != "$expected" ]; then
	fail "the runner planned ${planned:-no} results, not $expected"
fi

# Results and their case counts: a '# cases: P passed, F failed, S skipped'
# line belongs to the top-level result that follows it.
read -r p f s n < <(awk '
	/^# cases: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$/ {
		cp = $3; cf = $5; cs = $7; have = 1; next
	}
	/^(not )?ok [0-9]+ / {
		n++
		notok = ($1 == "not")
		skip = !notok && / # SKIP/
		if (have) {
			p += cp; f += cf; s += cs
			if (notok && cf == 0)
				f++
		} else if (notok) {
			f++
		} else if (skip) {
			s++
		} else {
			p++
		}
		have = 0
	}
	END { printf "%d %d %d %d\n", p, f, s, n }' "$log")
if [ "$n" != "$expected" ]; then
	fail "$n results printed, not $expected"
fi
# The runner exits non-zero when a test failed; a non-zero exit that no
# failure explains (a report at the power-off, a broken runner) fails.
if [ -n "$rc" ] && [ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && [ "$bad" -eq 0 ]; then
	fail "the guest exited with status $rc, and no test failed"
fi
echo "$p $((f + bad)) $s"
