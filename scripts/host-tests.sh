#!/usr/bin/env bash
# The host-side tests of the Python package's pure logic (python/tests:
# the ABI against the C header, node and PYNQ pin-name lookup), with
# Debian's CPython and pytest. 'make check' runs them before it boots the
# boards; the board runs the rest against real pulses.
# Prints TAP; the last line is "PASSED FAILED SKIPPED" for boot.sh.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
out=$(cd "$TOP" && PYTHONPATH="$TOP/python:$TOP/selftests/pynq-irq/python" \
	/usr/bin/python3 -B -m pytest -p ktap -p no:cacheprovider --tb=short \
	python/tests 2>&1)
rc=$?
# Results of the host tests carry a prefix, so that they read apart from
# the boards'; the boards' runners print the TAP header.
echo "$out" | sed -E '/^TAP version/d; s/^1\.\.([0-9]+)$/# python (host): \1 tests/;
	s/^(not )?ok ([0-9]+) /&python (host): /'
awk -v rc=$rc '
	/^ok [0-9]+ .*# SKIP/ { s++; next }
	/^ok [0-9]+ / { p++; next }
	/^not ok [0-9]+ / { f++ }
	END { if (rc != 0 && f == 0) f = 1; printf "%d %d %d\n", p, f, s }' <<<"$out"
