#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The Python package pynq_irq under CPython in the board, with pytest:
# the SGI tests (python/test_sgi.py), against the program on CPU1.
# conftest.py prints KTAP, one result a test case.
cd "$(dirname "$0")/python" || exit 1
python3 -B -m pytest -p no:cacheprovider --tb=short test_sgi.py
rc=$?
# pytest exits 4 on a usage error and 5 when it found no test; kselftest
# reads 4 as a skip. Both are failures here.
[ $rc -eq 4 ] || [ $rc -eq 5 ] && exit 1
exit $rc
