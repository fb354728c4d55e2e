#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's lifetime: rmmod is refused while a node is open and works
# after close; 5 load/unload cycles, up to 200 under make torture as its
# time allows (the runner's kmemleak scan at the end catches leaks); the
# module is left loaded for the tests after this one.
cd "$(dirname "$0")" || exit 1
. ./ktap_helpers.sh
. ./board.sh

KO=/lib/modules/$(uname -r)/extra/pynq-irq.ko

ktap_print_header
ktap_set_plan 5

exec 3</dev/pynq-irq/btns
if rmmod pynq_irq 2>/dev/null; then
	ktap_test_fail "rmmod is refused while a node is open"
	insmod "$KO"
else
	ktap_test_pass "rmmod is refused while a node is open"
fi
exec 3<&-

ktap_test_result "rmmod works after close" rmmod pynq_irq
ktap_test_result "the nodes are gone after rmmod" [ ! -e /dev/pynq-irq/btns ]

# 5 cycles (about 13 s each on the debug board); under make torture up to
# 200, until the test's share of the time is over (TORTURE_UNTIL, an
# uptime in s); a node opened and closed each time.
check=5
want=$check
[ -n "${TORTURE:-}" ] && want=200
i=0
ok=1
while [ $i -lt $want ]; do
	if [ $i -ge $check ] && [ -n "${TORTURE_UNTIL:-}" ]; then
		read -r up _ </proc/uptime
		[ "${up%.*}" -lt "$TORTURE_UNTIL" ] || break
	fi
	ok=0
	insmod "$KO" || break
	[ -c /dev/pynq-irq/btns ] || break
	exec 3</dev/pynq-irq/btns || break
	exec 3<&-
	rmmod pynq_irq || break
	ok=1
	i=$((i + 1))
done
ktap_print_msg "torture: module: $i of $want load/unload cycles"
good=0
[ $ok -eq 1 ] && [ $i -ge $check ] && good=1
ktap_test_result "at least $check load/unload cycles, each one clean" [ $good -eq 1 ]

insmod "$KO"
ktap_test_result "loaded again, nodes back" [ -c /dev/pynq-irq/btns ]
ktap_finished
