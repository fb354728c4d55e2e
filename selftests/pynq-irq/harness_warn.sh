#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Not a test of its own: loads a module whose init WARNs, so that
# harness_scan.sh can show that the runner fails such a run.
cd "$(dirname "$0")" || exit 1
insmod ./pynq_irq_warn_test.ko && rmmod pynq_irq_warn_test
