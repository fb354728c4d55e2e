# SPDX-License-Identifier: GPL-2.0
"""pytest in the board: KTAP output (ktap.py) and the board's fixtures."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import board  # noqa: E402  (this directory is first on sys.path)

pytest_plugins = ["ktap"]


@pytest.fixture(scope="session")
def stim():
    """The board's stimulus block, mapped through /dev/mem."""
    s = board.Stimulus()
    yield s
    s.stop_train()
    s.close()
