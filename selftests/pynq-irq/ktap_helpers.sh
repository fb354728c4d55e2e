#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# KTAP output for shell tests, with the function names of the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh (Linux 6.9+), for
# kernels such as 6.1 that do not ship it. With a newer kernel tree the
# kernel's own file can be used instead.

KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0

# shellcheck disable=SC2034 # the kernel's names, for the tests
KSFT_PASS=0
KSFT_FAIL=1
# shellcheck disable=SC2034
KSFT_XFAIL=2
# shellcheck disable=SC2034
KSFT_XPASS=3
KSFT_SKIP=4

ktap_print_header() {
	echo "TAP version 13"
}

ktap_print_msg() {
	echo "# $*"
}

ktap_set_plan() {
	echo "1..$1"
}

__ktap_test() { # RESULT DESCRIPTION [DIRECTIVE]
	echo "$1 $KTAP_TESTNO $2${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	__ktap_test ok "$*"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_skip() {
	__ktap_test ok "$*" SKIP
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

ktap_test_fail() {
	__ktap_test "not ok" "$*"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

# ktap_test_result DESCRIPTION CMD... - run CMD, pass or fail on its status.
ktap_test_result() {
	__desc=$1
	shift
	if "$@"; then
		ktap_test_pass "$__desc"
	else
		ktap_test_fail "$__desc"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_finished() {
	ktap_print_totals
	if [ $KTAP_CNT_FAIL -gt 0 ]; then
		exit $KSFT_FAIL
	elif [ $KTAP_CNT_PASS -eq 0 ] && [ $KTAP_CNT_SKIP -gt 0 ]; then
		exit $KSFT_SKIP
	fi
	exit $KSFT_PASS
}
