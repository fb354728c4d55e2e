#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The module's lifetime: rmmod is refused while a node is open and works
# after close; 5 load/unload cycles (200 under make torture) (the runner's kmemleak scan at the end
# catches leaks); the module is left loaded for the tests after this one.
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

# 5 cycles (about 13 s each on the debug board), 200 under make torture;
# a node opened and closed each time.
cycles=5
[ -n "${TORTURE:-}" ] && cycles=200
i=0
while [ $i -lt $cycles ]; do
	insmod "$KO" || break
	[ -c /dev/pynq-irq/btns ] || break
	exec 3</dev/pynq-irq/btns || break
	exec 3<&-
	rmmod pynq_irq || break
	i=$((i + 1))
done
ktap_print_msg "torture: module: $i load/unload cycles"
ktap_test_result "$cycles load/unload cycles" [ $i -eq $cycles ]

insmod "$KO"
ktap_test_result "loaded again, nodes back" [ -c /dev/pynq-irq/btns ]
ktap_finished
