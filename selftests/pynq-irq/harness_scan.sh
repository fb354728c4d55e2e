#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The runner must fail a test that makes the kernel WARN, even when the test
# itself exits 0. Runs the board's runner on harness_warn.sh and checks that
# it reports the failure.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh

ktap_print_header
ktap_set_plan 2

out=$(RUN_TESTS_NO_KMEMLEAK=1 ./run-tests.sh harness_warn.sh 2>&1)
rc=$?
echo "$out" | sed 's/^/  /' | while read -r l; do ktap_print_msg "$l"; done
ktap_test_result "the runner exits non-zero" [ $rc -ne 0 ]
echo "$out" | grep -q '^not ok .*harness_warn.sh # kernel report while it ran'
ktap_test_result "the WARN fails the test that caused it" [ $? -eq 0 ]
ktap_finished
