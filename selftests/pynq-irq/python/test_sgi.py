# SPDX-License-Identifier: GPL-2.0
"""pynq_irq.Sgi against the bare-metal program on CPU1 (AMP board)."""

import asyncio
import io
import os
import subprocess
import threading
import time

import pytest

import board
from pynq_irq import Interrupt, Sgi, nodes

CPU1CTL = os.path.join(board.SELFTESTS, "cpu1ctl")


def cpu1ctl(*args):
    out = subprocess.run([CPU1CTL, *map(str, args)], capture_output=True,
                         text=True, check=True, timeout=30)
    return out.stdout.strip()


@pytest.fixture(scope="module", autouse=True)
def cpu1():
    """The CPU1 program runs (gic_sgi.sh started it; start it if not)."""
    if subprocess.run([CPU1CTL, "status"], capture_output=True).returncode:
        cpu1ctl("start", os.path.join(board.SELFTESTS, "cpu1.bin"))
    yield
    cpu1ctl("cmd", "echo", 8, "none")


def wait_count(fn, want, what):
    end = time.monotonic() + 10
    while int(fn()) < want:
        assert time.monotonic() < end, f"{what}: {fn()} < {want}"
        time.sleep(0.01)


def test_kick_is_counted_once_by_cpu1():
    counts = {s: int(cpu1ctl("rx", s)) for s in (8, 9, 10, 11)}
    with Sgi("cpu1-kick") as kick:
        assert kick.trigger == "sgi-tx"
        kick.kick()
        wait_count(lambda: cpu1ctl("rx", 8), counts[8] + 1, "SGI 8 at CPU1")
        time.sleep(0.05)
    after = {s: int(cpu1ctl("rx", s)) for s in (8, 9, 10, 11)}
    assert after == {**counts, 8: counts[8] + 1}


def test_round_trip_through_cpu1():
    """Kick SGI 8; CPU1 echoes SGI 12; cpu1-done's waiter gets the Event."""
    cpu1ctl("cmd", "echo", 8, 12)
    got = {}
    with Sgi("cpu1-kick") as kick, Sgi("cpu1-done") as done:
        before = done.info.interrupts

        def waiter():
            got["ev"] = asyncio.run(asyncio.wait_for(done.wait(), 30))
        t = threading.Thread(target=waiter)
        t.start()
        board.wait_blocked(os.getpid(), "poll", tid=t.native_id)
        kick.kick()
        t.join(30)
        assert "ev" in got
        assert (got["ev"].number, got["ev"].seqno) == (12, before + 1)
        assert (got["ev"].merged, got["ev"].suppressed, got["ev"].flags) \
            == (0, 0, 0)
        assert done.read_events() == []
    cpu1ctl("cmd", "echo", 8, "none")


def test_sgi_node_kinds():
    all_nodes = nodes()
    assert all_nodes["cpu1-kick"]["trigger"] == "sgi-tx"
    assert all_nodes["cpu1-done"]["trigger"] == "sgi-rx"
    with Sgi("cpu1-kick") as kick, Sgi("/dev/pynq-irq/cpu1-done") as done:
        # GET_INFO on the write-only file of an sgi-tx node, too
        assert (kick.info.name, kick.info.trigger) == ("cpu1-kick", "sgi-tx")
        assert (done.info.name, done.info.trigger) == ("cpu1-done", "sgi-rx")
        assert done.info.number == all_nodes["cpu1-done"]["number"]
        with pytest.raises(io.UnsupportedOperation):
            kick.read(timeout=0)
        with pytest.raises(io.UnsupportedOperation):
            done.kick()
        assert done.read(timeout=0) is None
    with pytest.raises(ValueError):
        Sgi("btns")
    with pytest.raises(FileNotFoundError):
        Sgi("cpu1-nope")
    # An sgi-rx node opened as an Interrupt reads the same way.
    with Interrupt("cpu1-rx13") as rx:
        before = rx.info.interrupts
        cpu1ctl("cmd", "burst", 13, 1)
        ev = rx.read(timeout=10)
        assert (ev.number, ev.seqno) == (13, before + 1)
