#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The C tests of the GIC SGI nodes (gic_sgi_io.c). A wrapper only so that
# they run after board_cpu1.sh, which needs CPU1 still in its hold loop:
# kselftest runs TEST_GEN_PROGS before TEST_PROGS, and these start CPU1.
cd "$(dirname "$0")" || exit 1
exec ./gic_sgi_io
