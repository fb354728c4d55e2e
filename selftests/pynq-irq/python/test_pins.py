# SPDX-License-Identifier: GPL-2.0
"""pynq_irq against real pulses on the board's AXI INTC pins.

Each test opens its own objects, so it sees only the events it causes.
Every wait that must be blocked is seen blocked (board.wait_blocked).
"""

import asyncio
import errno
import grp
import os
import pwd
import re
import subprocess
import sys
import textwrap
import threading
import time

import pytest

import board
from pynq_irq import DeviceGone, Event, Interrupt, LineInfo, Sgi, nodes

EDGE = 0                # btns
EDGE2 = 2               # iop1
LEVEL = 16              # 41800000.pin16
CHILD_TIMEOUT = 120     # a Python child's start-up is slow on the debug kernel


def interrupts(name):
    with open(f"/sys/class/pynq-irq/{name}/interrupts") as f:
        return int(f.read())


def pulse_taken(stim, pin, name=None):
    """Pulse *pin* and wait until the kernel took it (one interrupt)."""
    name = name or board.pin_name(pin)
    before = interrupts(name)
    stim.pulse(pin)
    end = time.monotonic() + 10
    while interrupts(name) == before:
        assert time.monotonic() < end, f"{name}: the pulse was not taken"
        time.sleep(0.005)


def child(code, *args, **kwargs):
    """Start a Python child running *code*; its stdout is a pipe."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code),
                             *args], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=board.HERE),
                            **kwargs)


def test_one_pulse_one_event(stim):
    with Interrupt("btns") as irq:
        before = irq.info.interrupts
        stim.pulse(EDGE)
        ev = irq.read(timeout=10)
        assert isinstance(ev, Event)
        assert (ev.number, ev.seqno, ev.lost) == (EDGE, before + 1, 0)
        assert ev.timestamp == ev.timestamp_ns / 1e9
        assert irq.read_events() == [], "one pulse gave more than one event"


def test_async_for_gets_n_events(stim):
    n = 50

    async def collect(irq):
        got = []
        async for ev in irq:
            got.append(ev)
            if len(got) == n:
                break
        return got

    with Interrupt("btns") as irq:
        first = irq.info.interrupts + 1
        stim.train(1 << EDGE, n, 100_000, lockstep=True)
        got = asyncio.run(asyncio.wait_for(collect(irq), 60))
        stim.wait_train()
        assert [e.seqno for e in got] == list(range(first, first + n))
        assert all(e.lost == 0 and e.number == EDGE for e in got)
        assert irq.read_events() == []


def test_lost_after_overflow_with_small_queue(stim):
    n, depth = 10, 4
    with Interrupt("btns", queue_depth=depth) as irq:
        assert irq.queue_depth == depth
        info = irq.info
        first, lost = info.interrupts + 1, info.lost
        stim.train(1 << EDGE, n, 100_000, lockstep=True)
        stim.wait_train()
        end = time.monotonic() + 10
        while irq.info.interrupts < first + n - 1:
            assert time.monotonic() < end
            time.sleep(0.01)
        info = irq.info
        assert info.queued == depth, "the full queue's queued"
        assert info.lost == lost + n - depth, "the line's lost"
        got = irq.read_events(64)
        assert [e.seqno for e in got] == list(range(first + n - depth,
                                                    first + n))
        assert [e.lost for e in got] == [n - depth] + [0] * (depth - 1)
        assert irq.read_events() == []


def test_timeout_returns_none(stim):
    with Interrupt("btns") as irq:
        t0 = time.monotonic()
        assert irq.read(timeout=0.2) is None
        assert time.monotonic() - t0 >= 0.2
        assert irq.read(timeout=0) is None
        assert irq.read_events() == []
        stim.pulse(EDGE)
        assert irq.read(timeout=10).number == EDGE


def test_cancelled_wait_keeps_the_event(stim):
    """PYNQ #847: a cancelled wait leaves nothing behind, takes nothing."""
    async def scenario(irq):
        loop = asyncio.get_running_loop()
        task = asyncio.create_task(irq.wait())
        await asyncio.sleep(0.1)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not loop.remove_reader(irq.fileno()), "a reader was left"
        before = irq.info.interrupts
        pulse_taken(stim, EDGE)
        ev = await asyncio.wait_for(irq.wait(), 10)
        assert ev.seqno == before + 1
        assert not loop.remove_reader(irq.fileno())
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(irq.wait(), 0.3)
        return ev

    with Interrupt("btns") as irq:
        asyncio.run(scenario(irq))
        assert irq.read_events() == [], "a duplicate of the event"


def test_asyncio_run_in_a_fresh_script(stim):
    """PYNQ #1505: created outside a loop, awaited in asyncio.run()."""
    p = child("""
        import asyncio
        from pynq_irq import Interrupt
        irq = Interrupt("btns")
        async def main():
            ev = await asyncio.wait_for(irq.wait(), 60)
            print(ev.number, ev.seqno)
        asyncio.run(main())
    """)
    try:
        board.wait_blocked(p.pid, "poll", timeout=CHILD_TIMEOUT)
        before = interrupts("btns")
        stim.pulse(EDGE)
        out, _ = p.communicate(timeout=60)
    finally:
        p.kill()
        p.wait()
    assert p.returncode == 0
    assert out.split() == [str(EDGE), str(before + 1)]


def test_jupyter_style_running_loop_and_sync(stim):
    """A loop that runs already (Jupyter's), and plain calls; no
    nest_asyncio."""
    loop = asyncio.new_event_loop()
    t = threading.Thread(target=loop.run_forever)
    t.start()
    try:
        with Interrupt("btns") as irq:
            fut = asyncio.run_coroutine_threadsafe(irq.wait(), loop)
            board.wait_blocked(os.getpid(), "poll", tid=t.native_id)
            assert not fut.done()
            before = irq.info.interrupts
            stim.pulse(EDGE)
            assert fut.result(10).seqno == before + 1
            pulse_taken(stim, EDGE)
            assert irq.read(timeout=10).seqno == before + 2
    finally:
        loop.call_soon_threadsafe(loop.stop)
        t.join()
        loop.close()


def test_two_processes_and_two_objects_on_one_pin(stim):
    """PYNQ #991: every object, in every process, sees every event."""
    p = child("""
        from pynq_irq import Interrupt
        irq = Interrupt("btns")
        for _ in range(3):
            print(irq.read(timeout=60).seqno, flush=True)
    """)
    try:
        a, b = Interrupt("btns"), Interrupt("btns")
        board.wait_blocked(p.pid, "poll", timeout=CHILD_TIMEOUT)
        first = interrupts("btns") + 1
        for _ in range(3):
            pulse_taken(stim, EDGE)
        want = list(range(first, first + 3))
        assert [e.seqno for e in a.read_events()] == want
        assert [e.seqno for e in b.read_events()] == want
        out, _ = p.communicate(timeout=60)
        assert [int(s) for s in out.split()] == want
        assert p.returncode == 0
    finally:
        p.kill()
        p.wait()
        a.close()
        b.close()


def test_level_pin_loop(stim):
    """PYNQ #1315: clear the source, then wait: one event per assertion."""
    name = board.pin_name(LEVEL)
    with Interrupt(name) as irq:
        assert irq.info.trigger == "level"
        first = irq.info.interrupts + 1
        for i in range(3):
            stim.set(LEVEL)
            ev = irq.read(timeout=10)
            assert (ev.number, ev.seqno) == (LEVEL, first + i)
            stim.clear(LEVEL)          # clear the source ...
            # ... then wait again: nothing more for this assertion
            assert irq.read(timeout=0.3) is None
        # Waiting again without clearing reports the same assertion again.
        stim.set(LEVEL)
        assert irq.read(timeout=10).seqno == first + 3
        assert irq.read(timeout=10).seqno == first + 4
        stim.clear(LEVEL)
        assert irq.read(timeout=0.3) is None


def test_realtime_and_monotonic_stamps(stim):
    with Interrupt("btns", clock=time.CLOCK_REALTIME) as rt, \
            Interrupt("btns") as mono:
        t0, m0 = time.time(), time.monotonic()
        stim.pulse(EDGE)
        ev = rt.read(timeout=10)
        t1, m1 = time.time(), time.monotonic()
        evm = mono.read(timeout=10)
        assert ev.seqno == evm.seqno
        assert t0 <= ev.timestamp <= t1, (t0, ev.timestamp, t1)
        assert m0 <= evm.timestamp <= m1, (m0, evm.timestamp, m1)


def read_n(irq, n, timeout=10):
    """Read *n* events from *irq*, each within *timeout* seconds."""
    got = []
    while len(got) < n:
        ev = irq.read(timeout=timeout)
        assert ev is not None, f"{irq.name}: {len(got)} events of {n}"
        got.append(ev)
    return got


def test_event_fields_of_a_plain_pin(stim):
    """No coalescing, no throttle, no reset: merged, suppressed and flags
    are 0, and the seqnos account for every interrupt."""
    n, pin = 10, 1                     # switches; 500 a second at most
    with Interrupt(board.pin_name(pin)) as irq:
        first = irq.info.interrupts + 1
        stim.train(1 << pin, n, 2_000_000, lockstep=True)
        got = read_n(irq, n)
        stim.wait_train()
        assert [e.seqno for e in got] == list(range(first, first + n))
        for e in got:
            assert (e.number, e.lost, e.flags, e.merged, e.suppressed) == \
                (pin, 0, 0, 0, 0), e
            assert not e.throttled and not e.reset, e
        # The header's rule: between two records, the line took the later
        # one's 1 + merged + lost + suppressed interrupts.
        for a, b in zip(got, got[1:]):
            assert b.seqno + b.merged - (a.seqno + a.merged) == \
                1 + b.merged + b.lost + b.suppressed, (a, b)
            assert b.timestamp_ns > a.timestamp_ns, (a, b)
        assert irq.read_events() == []


def test_info_reflects_the_settings_and_the_queue(stim):
    """info: the node's name, number and trigger, the line's counts, and
    each object's own settings and queue."""
    name = "iop1"
    with Interrupt(name, clock=time.CLOCK_BOOTTIME, queue_depth=8,
                   coalesce_us=1234) as irq, Interrupt(name) as plain:
        info = irq.info
        attrs = nodes()[name]
        assert isinstance(info, LineInfo)
        assert (info.name, info.number, info.trigger) == (name, EDGE2, "edge")
        assert (info.clients, info.interrupts, info.lost, info.enabled) == \
            (attrs["clients"], attrs["interrupts"], attrs["lost"], True)
        assert info.clients >= 2 and not info.throttling
        # format 1: the package reads binary records
        assert (info.format, info.clock, info.queue_depth,
                info.coalesce_us, info.queued) == \
            (1, time.CLOCK_BOOTTIME, 8, 1234, 0)
        assert (irq.queue_depth, irq.coalesce_us) == (8, 1234)
        # The other object has its own settings: the defaults.
        other = plain.info
        assert (other.format, other.clock, other.queue_depth,
                other.coalesce_us, other.queued) == \
            (1, time.CLOCK_MONOTONIC, 1024, 0, 0)
        assert (plain.queue_depth, plain.coalesce_us) == (1024, 0)

        for _ in range(3):
            pulse_taken(stim, EDGE2)
        other = plain.info
        assert other.queued == 3, "queued after 3 interrupts"
        assert other.interrupts == info.interrupts + 3 == interrupts(name)
        got = plain.read_events()
        assert [e.seqno for e in got] == \
            list(range(info.interrupts + 1, info.interrupts + 4))
        assert plain.info.queued == 0, "queued after the read"
        assert irq.info.queue_depth == 8, "the settings are not per object"
    with Interrupt(board.pin_name(LEVEL)) as irq:
        assert (irq.info.number, irq.info.trigger) == (LEVEL, "level")


def test_coalescing_folds_a_burst_into_one_event(stim):
    """A burst within the window is one event, merged = burst - 1, that
    comes when the window closes; an object without coalescing on the
    same pin gets every interrupt."""
    n, window_us = 5, 300_000
    with Interrupt("btns", coalesce_us=window_us) as co, \
            Interrupt("btns") as plain:
        assert (co.coalesce_us, plain.coalesce_us) == (window_us, 0)
        first = plain.info.interrupts + 1
        # Lockstep: each pulse waits for the previous one's acknowledge,
        # so the INTC merges none of them; 1 ms apart at least.
        stim.train(1 << EDGE, n, 1_000_000, lockstep=True)
        every = read_n(plain, n)
        stim.wait_train()
        assert [e.seqno for e in every] == list(range(first, first + n))
        assert all(e.merged == 0 for e in every), every
        burst_ns = every[-1].timestamp_ns - every[0].timestamp_ns
        assert burst_ns < window_us * 1000 // 2, \
            f"the burst took {burst_ns} ns: too slow a board for the window"

        ev = co.read(timeout=10)
        now = time.monotonic()
        assert ev is not None, "no coalesced event"
        assert (ev.number, ev.seqno, ev.merged, ev.lost, ev.suppressed,
                ev.flags) == (EDGE, first, n - 1, 0, 0, 0), ev
        # Stamped with the first interrupt of the burst, not a later one ...
        assert abs(ev.timestamp_ns - every[0].timestamp_ns) < \
            abs(ev.timestamp_ns - every[1].timestamp_ns), (ev, every)
        # ... and queued when the window closed, not before.
        assert now >= ev.timestamp + window_us / 1e6, \
            f"came {now - ev.timestamp:.6f} s after its interrupt"
        assert co.read(timeout=window_us / 1e6 + 0.2) is None, \
            "the burst gave more than one event"

        # After the window, the next interrupt starts an event of its own.
        pulse_taken(stim, EDGE)
        ev2 = co.read(timeout=10)
        assert ev2 is not None
        assert (ev2.seqno, ev2.merged, ev2.lost) == (first + n, 0, 0), ev2
        assert plain.read(timeout=10).seqno == first + n
        assert co.read_events() == [] and plain.read_events() == []


def test_info_nodes_and_close():
    all_nodes = nodes()
    assert all_nodes["btns"]["trigger"] == "edge"
    assert all_nodes["btns"]["number"] == 0
    assert all_nodes[board.pin_name(LEVEL)]["trigger"] == "level"
    clients = all_nodes["iop1"]["clients"]
    with Interrupt("/dev/pynq-irq/iop1") as irq:
        info = irq.info
        assert (info.number, info.clients, info.enabled) == \
            (EDGE2, clients + 1, True)
        # The keys of the dict that info was before ABI version 1.
        assert (info["number"], info["clients"], info["enabled"]) == \
            (EDGE2, clients + 1, True)
        assert irq.name == "iop1" and irq.fileno() >= 0
    assert irq.closed
    assert nodes()["iop1"]["clients"] == clients
    with pytest.raises(ValueError):
        irq.read(timeout=0)


def test_bad_names_and_arguments():
    with pytest.raises(FileNotFoundError) as e:
        Interrupt("no-such-pin")
    assert "no-such-pin" in str(e.value) and "btns" in str(e.value)
    with pytest.raises(ValueError):
        Interrupt("btns", clock=12345)
    with pytest.raises(ValueError):
        Interrupt("btns", queue_depth=0)
    with pytest.raises(ValueError):
        Interrupt("btns", queue_depth=65537)
    with pytest.raises(ValueError):
        Interrupt("btns", coalesce_us=-1)
    with pytest.raises(ValueError):
        Interrupt("btns", coalesce_us=1_000_001)
    with pytest.raises(TypeError):
        Interrupt("btns", coalesce_us=0.5)
    with pytest.raises(ValueError):
        Interrupt("/dev/null")
    with pytest.raises(ValueError):
        Sgi("btns")


def test_permission_error_names_the_udev_rule():
    code = """
        from pynq_irq import Interrupt
        try:
            Interrupt("btns")
        except PermissionError as e:
            print(e.errno, e)
    """
    out = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                         user=65534, group=65534, extra_groups=[],
                         capture_output=True,
                         text=True, timeout=CHILD_TIMEOUT,
                         env=dict(os.environ, PYTHONPATH=board.HERE))
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{errno.EACCES} ")
    assert "60-pynq-irq.rules" in out.stdout
    assert "/dev/pynq-irq/btns" in out.stdout


def test_group_access_as_the_udev_rule_sets_it(stim):
    """A member of the rule's group reads events; anyone else gets EACCES.

    The board has no udev: the node gets the group and mode that the
    installed rule (make install) names, as udev would give them.
    """
    with open("/etc/udev/rules.d/60-pynq-irq.rules") as f:
        rule = f.read()
    group = re.search(r'GROUP="([^"]+)"', rule).group(1)
    mode = int(re.search(r'MODE="([0-7]+)"', rule).group(1), 8)
    assert (group, mode) == ("pynq-irq", 0o660)
    gid = grp.getgrnam(group).gr_gid
    member = pwd.getpwnam("xilinx")
    assert "xilinx" in grp.getgrnam(group).gr_mem
    path = "/dev/pynq-irq/iop2"
    st = os.stat(path)
    os.chown(path, 0, gid)
    os.chmod(path, mode)
    try:
        code = """
            from pynq_irq import Interrupt
            with Interrupt("iop2") as irq:
                print(irq.read(timeout=60).seqno, flush=True)
        """
        p = child(code, user=member.pw_uid, group=member.pw_gid,
                  extra_groups=[gid])
        try:
            end = time.monotonic() + CHILD_TIMEOUT
            while nodes()["iop2"]["clients"] == 0:
                assert p.poll() is None, "the member could not open iop2"
                assert time.monotonic() < end
                time.sleep(0.05)
            before = interrupts("iop2")
            stim.pulse(3)
            out, _ = p.communicate(timeout=60)
        finally:
            p.kill()
            p.wait()
        assert p.returncode == 0 and out.split() == [str(before + 1)]
        outsider = subprocess.run(
            [sys.executable, "-c",
             "import errno\nfrom pynq_irq import Interrupt\ntry:\n"
             "    Interrupt('iop2')\nexcept PermissionError as e:\n"
             "    print(e.errno)"],
            user=65534, group=65534, extra_groups=[], capture_output=True,
            text=True, timeout=CHILD_TIMEOUT)
        assert outsider.stdout.split() == [str(errno.EACCES)], outsider
    finally:
        os.chown(path, st.st_uid, st.st_gid)
        os.chmod(path, st.st_mode & 0o7777)


class StandInOverlay:
    """What pynq.Overlay offers for interrupts, shaped as PYNQ's HWH parser
    makes it: interrupt_pins maps "ip/pin" to controller, index and
    fullpath; ip_dict maps the controller to its phys_addr."""

    def __init__(self):
        self.interrupt_pins = {
            "btns_gpio/ip2intc_irpt": {"controller": "axi_intc_0",
                                       "index": 0,
                                       "fullpath": "btns_gpio/ip2intc_irpt"},
            "iop_pmoda/intr_ack": {"controller": "axi_intc_0", "index": 16,
                                   "fullpath": "iop_pmoda/intr_ack"},
            "ov_gpio/ip2intc_irpt": {"controller": "axi_intc_1", "index": 3,
                                     "fullpath": "ov_gpio/ip2intc_irpt"},
            "big_ip/irq": {"controller": "axi_intc_0", "index": 40,
                           "fullpath": "big_ip/irq"},
        }
        self.ip_dict = {
            "axi_intc_0": {"phys_addr": board.INTC_BASE, "addr_range": 0x10000,
                           "type": "xilinx.com:ip:axi_intc:4.1"},
            "axi_intc_1": {"phys_addr": board.INTC1_BASE,
                           "addr_range": 0x10000,
                           "type": "xilinx.com:ip:axi_intc:4.1"},
        }


@pytest.fixture
def intc1():
    board.overlay_apply("intc1.dtbo")
    board.wait_node(board.pin_name(3, intc=1))
    yield
    board.overlay_remove()


def test_pynq_pin_names_with_an_overlay_object(stim, intc1):
    ol = StandInOverlay()
    with Interrupt("btns_gpio/ip2intc_irpt", overlay=ol) as irq:
        assert irq.name == "btns"
        before = irq.info.interrupts

        async def snippet():
            return await irq.wait()     # the user guide's snippet
        stim.pulse(EDGE)
        ev = asyncio.run(asyncio.wait_for(snippet(), 10))
        assert (ev.number, ev.seqno) == (EDGE, before + 1)
    with Interrupt("iop_pmoda/intr_ack", overlay=ol) as irq:
        assert irq.name == board.pin_name(16)
    with Interrupt("ov_gpio/ip2intc_irpt", overlay=ol) as irq:
        assert irq.name == board.pin_name(3, intc=1)
    # Node names still work next to an overlay.
    with Interrupt("iop1", overlay=ol) as irq:
        assert irq.name == "iop1"
    with pytest.raises(FileNotFoundError) as e:
        Interrupt("nope/irq", overlay=ol)
    assert "btns_gpio/ip2intc_irpt" in str(e.value)
    with pytest.raises(ValueError) as e:
        Interrupt("big_ip/irq", overlay=ol)
    assert "pin 40" in str(e.value) and "32 pins" in str(e.value)


def test_device_gone_for_waiters_in_wait_and_read(stim):
    """Unbind the INTC under a thread in read() and one in await wait()."""
    results = {}

    def in_read(irq):
        try:
            irq.read()
        except DeviceGone as e:
            results["read"] = (time.monotonic(), e)

    def in_wait(irq):
        try:
            asyncio.run(irq.wait())
        except DeviceGone as e:
            results["wait"] = (time.monotonic(), e)

    a, b = Interrupt("btns"), Interrupt("switches")
    ta = threading.Thread(target=in_read, args=(a,))
    tb = threading.Thread(target=in_wait, args=(b,))
    try:
        for t in (ta, tb):
            t.start()
        for t in (ta, tb):
            board.wait_blocked(os.getpid(), "poll", tid=t.native_id)
        t0 = time.monotonic()
        board.unbind_intc()
        ta.join(10)
        tb.join(10)
        assert set(results) == {"read", "wait"}, results
        for name, (t, e) in results.items():
            assert e.errno == errno.ENODEV and isinstance(e, OSError)
            print(f"{name}: DeviceGone {t - t0:.3f} s after the unbind began")
            assert t - t0 < 1.0, f"{name}: DeviceGone took {t - t0:.3f} s"
        with pytest.raises(DeviceGone):
            a.info
        got = []

        async def iterate():
            async for ev in b:
                got.append(ev)
        asyncio.run(asyncio.wait_for(iterate(), 10))
        assert got == [], "async for did not end at DeviceGone"
    finally:
        a.close()
        b.close()
        if not os.path.exists(f"{board.INTC_DRV}/{board.INTC_DEV}"):
            board.bind_intc()
        board.wait_node("btns")
    with Interrupt("btns") as irq:
        stim.pulse(EDGE)
        assert irq.read(timeout=10).number == EDGE
