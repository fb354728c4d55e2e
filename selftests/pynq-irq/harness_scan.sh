#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The runner's self-test, board side: every way a test can go wrong must
# fail it, even when the test itself exits 0. Runs the board's runner on
# tests that go wrong on purpose (harness_warn.sh, harness_fake.sh) and
# checks what it reports. The host side (test list, guest exit, missing
# results) is scripts/test-runner.sh.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh

ktap_print_header
ktap_set_plan 25

out=/tmp/harness_scan.$$
# runner [VAR=VALUE...] TEST... - run the runner without kmemleak; its
# output in $out (shown quoted, so that its results are not ours), its
# exit status in $rc.
runner() {
	env RUN_TESTS_NO_KMEMLEAK=1 "$@" >$out 2>&1 </dev/null
	rc=$?
	sed 's/^/  | /' $out | while read -r l; do ktap_print_msg "$l"; done
}
# has REGEX - the runner's output has a line matching REGEX.
has() {
	grep -Eq "$1" $out
}
# failed - the runner exited non-zero.
failed() {
	[ $rc -ne 0 ]
}
# all CMD [&& CMD...] - for ktap_test_result: the whole list succeeds.
all() {
	eval "$*"
}

runner ./run-tests.sh
ktap_test_result "no tests given: the runner fails" all \
	"failed && has '^not ok 1 runner: no tests to run$'"

# One run through every fault: the Nth test is result N + 1 (1 is the
# boot check). 'late' goes last: its report comes after the test ends.
queue=/tmp/harness_scan.queue.$$
: >$queue
set -- no_such_test harness_warn.sh
for report in \
	'irq 61: nobody cared (try booting with the "irqpoll" option)' \
	'Disabling IRQ #61' \
	'Unbalanced enable for IRQ 61' \
	'Spurious percpu IRQ22 on CPU0' \
	'INFO: task cat:99 blocked for more than 60 seconds.' \
	'rcu: INFO: rcu_sched detected stalls on CPUs/tasks:' \
	'kmemleak: Kernel memory leak detector disabled' \
	'BUG: KASAN: use-after-free in fake+0x0/0x0' \
	'UBSAN: shift-out-of-bounds in fake.c:1:1'; do
	echo "kmsg:$report" >>$queue
	set -- "$@" harness_fake.sh
done
for fault in subfail nested child short cases late; do
	echo "$fault" >>$queue
	set -- "$@" harness_fake.sh
done
# 'late' reports once the runner has read the log for it, before the
# last check, which waits 4 s here.
runner HARNESS_FAKE_QUEUE=$queue RUN_TESTS_END_WAIT=4 ./run-tests.sh "$@"
ktap_test_result "the plan counts every test and the runner's checks" \
	has "^1\.\.$(($# + 2))\$"
ktap_test_result "the run fails" failed
ktap_test_result "an unknown test fails" \
	has '^not ok 2 .*no_such_test # no such test$'
ktap_test_result "a WARN fails the test that caused it" \
	has '^not ok 3 .*harness_warn.sh # kernel report while it ran$'
n=4
for report in 'nobody cared' 'Disabling IRQ' 'Unbalanced enable' 'Spurious' \
	'hung task' 'RCU stall' 'kmemleak switched off' 'KASAN' 'UBSAN'; do
	ktap_test_result "$report fails the test" \
		has "^not ok $n .*harness_fake.sh # kernel report while it ran\$"
	n=$((n + 1))
done
ktap_test_result "a failed case fails a test that exits 0" \
	has "^not ok $n .*harness_fake.sh # 1 failed case"
ktap_test_result "a failed nested case fails the test" \
	has "^not ok $((n + 1)) .*harness_fake.sh # 1 failed case"
ktap_test_result "a process left behind fails the test" \
	has "^not ok $((n + 2)) .*harness_fake.sh # left processes behind\$"
ktap_test_result "the runner kills what was left behind" \
	all "! ps | grep -q '[s]leep 600'"
ktap_test_result "a test that prints fewer cases than it planned fails" \
	has "^not ok $((n + 3)) .*harness_fake.sh # 2 of 3 planned cases\$"
ktap_test_result "cases are counted, skips apart" \
	all "has '^# cases: 2 passed, 0 failed, 1 skipped$' && has '^ok $((n + 4)) .*harness_fake.sh$'"
ktap_test_result "a report after the last test fails the run" \
	all "has '^ok $((n + 5)) .*harness_fake.sh$' && has '^not ok $((n + 6)) end: kernel log clean after the last test # kernel report$'"
rm -f $queue

# make soak: rounds of the tests until the time is up, a result a run, a
# line of progress a tick, the plan last. A run of the fake test takes a
# few seconds of the debug board: at least two rounds in 20 s.
runner SOAK_SECONDS=20 SOAK_TICK=2 SOAK_SLICE=5 HARNESS_FAKE=cases \
	./run-tests.sh harness_fake.sh
ktap_test_result "a soak runs its tests in rounds, a result a run" \
	all "! failed && has '^ok 2 .*harness_fake.sh \\(soak round 1\\)$' && has '^ok 3 .*harness_fake.sh \\(soak round 2\\)$'"
ktap_test_result "the soak's plan, printed last, counts its results" \
	all "[ \"\$(tail -n1 $out)\" = \"1..\$(grep -Ec '^(not )?ok [0-9]+ ' $out)\" ]"
ktap_test_result "the soak prints a line of progress a tick" \
	has '^# soak: [0-9]+ of 20 s: round [0-9]+: harness_fake.sh; [0-9]+ runs passed, 0 failed$'
ktap_test_result "the soak's ticker stops with it" \
	all "! ps | grep -q '[t]icker'"

rm -f $out
ktap_finished
