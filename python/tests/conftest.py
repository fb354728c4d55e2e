# SPDX-License-Identifier: GPL-2.0
"""The package under test is the one in this tree (python/pynq_irq)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
