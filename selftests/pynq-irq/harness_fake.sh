#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Not a test of its own: a test that goes wrong in the way HARNESS_FAKE
# says, so that harness_scan.sh can show that the runner fails it.
#   kmsg:TEXT  put TEXT in the kernel log, as a kernel report would be
#   subfail    exit 0, but one case failed
#   nested     exit 0, but a nested case failed
#   child      exit 0, leaving a process behind
#   late       exit 0; a report reaches the kernel log once the runner
#              has read (and cleared) this test's log
#   short      exit 0: two cases passed of three planned
#   cases      exit 0: two cases passed and one skipped
# With HARNESS_FAKE_QUEUE=FILE, each run takes its fault from the first
# line of FILE and removes that line, so that one runner run can go
# through many faults.
if [ -n "${HARNESS_FAKE_QUEUE:-}" ]; then
	read -r HARNESS_FAKE <"$HARNESS_FAKE_QUEUE"
	sed -i 1d "$HARNESS_FAKE_QUEUE"
fi
case "${HARNESS_FAKE:-}" in
kmsg:*)
	echo "${HARNESS_FAKE#kmsg:}" >/dev/kmsg
	;;
subfail)
	printf 'TAP version 13\n1..2\nok 1 first\nnot ok 2 second\n'
	;;
nested)
	printf 'TAP version 13\n1..1\n# TAP version 13\n# 1..1\n# not ok 1 inner\nok 1 outer\n'
	;;
child)
	sleep 600 &
	;;
late)
	# The report waits until the runner has read and cleared the log
	# for this test (the marker is gone), whatever the guest's speed.
	echo "harness_fake: late marker" >/dev/kmsg
	setsid sh -c 'while dmesg | grep -q "harness_fake: late marker"; do
		sleep 0.1
	done
	echo "WARNING: a late report" >/dev/kmsg' &
	;;
short)
	printf 'TAP version 13\n1..3\nok 1 a\nok 2 b\n'
	;;
cases)
	printf 'TAP version 13\n1..3\nok 1 a\nok 2 b\nok 3 c # SKIP not here\n'
	;;
*)
	echo "HARNESS_FAKE=${HARNESS_FAKE:-} is not a known fault"
	exit 1
	;;
esac
exit 0
