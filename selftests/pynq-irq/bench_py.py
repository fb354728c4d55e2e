#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The Python rows of ``make bench``: PYNQ's way and pynq_irq's, in asyncio.

Usage::

    bench_py.py latency pynq-irq|uio EVENTS PERIOD_NS
    bench_py.py rate pynq-irq|uio PULSES
    bench_py.py cost pynq-irq|uio RATE_HZ EVENTS

``pynq-irq`` is the project's package: ``await Interrupt("btns").wait()``.
``uio`` is the PYNQ algorithm, written from its documented behaviour
(pynq/interrupt.py, pynq/uio.py): the INTC's GIC line bound to
uio_pdrv_genirq (``$BENCH_UIO``), its fd watched with ``add_reader``, and
the INTC's registers mapped through /dev/mem. A wait unmasks its pin (SIE,
MER = 3) and enables the UIO interrupt; the reader callback takes the UIO
count, reads ISR, masks the pins that fired (CIE), acknowledges them (IAR)
and wakes their waiters.

Each figure is printed as ``BENCH {json}``, in the same records as the C
program bench.c prints, with the same stimulus (STAMP, NOW, PULSES).
"""

import asyncio
import json
import math
import mmap
import os
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "python"))

import board  # noqa: E402 (the board's helpers, next to the tests)

STIM_PULSES, STIM_STAMP_LO, STIM_STAMP_HI = 0x2C, 0x30, 0x34
STIM_NOW_LO, STIM_NOW_HI = 0x38, 0x3C
INTC_ISR, INTC_IER, INTC_IAR, INTC_SIE, INTC_CIE, INTC_MER = (
    0x00, 0x08, 0x0C, 0x10, 0x14, 0x1C)
SOAK_FILE = "/tmp/bench-soak"
PATHS = {"pynq-irq": "pynq-irq-python", "uio": "uio-python"}
LADDER_HZ = (100, 200, 500, 1000, 2000, 5000, 10000, 20000)

stim = board.Stimulus()
PROFILE = "smp" if len(os.sched_getaffinity(0)) > 1 else "amp"


def vnow():
    """Return the board's virtual time in ns (the stimulus's NOW)."""
    lo = stim.reg(STIM_NOW_LO)
    return stim.reg(STIM_NOW_HI) << 32 | lo


def vstamp():
    """Return the virtual ns of the stimulus's last assertion (STAMP)."""
    lo = stim.reg(STIM_STAMP_LO)
    return stim.reg(STIM_STAMP_HI) << 32 | lo


def mono_offset():
    """Return CLOCK_MONOTONIC minus virtual time, in ns (best of 16)."""
    best, width = 0, None
    for _ in range(16):
        a = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        v = vnow()
        b = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        if width is None or b - a < width:
            width, best = b - a, (a + b) // 2 - v
    return best


def emit(kind, **fields):
    """Print one BENCH record."""
    rec = {"kind": kind, "profile": PROFILE, **fields}
    print("BENCH " + json.dumps(rec, separators=(",", ":")), flush=True)


def stats(values):
    """Return min, p50, p99, p99.9 and max (nearest rank) of *values*.

    Args:
        values: A sorted, non-empty list of numbers.

    Returns:
        dict of the figures.
    """
    def pct(q):
        return values[max(math.ceil(q * len(values)) - 1, 0)]
    return {"min": values[0], "p50": pct(0.5), "p99": pct(0.99),
            "p999": pct(0.999), "max": values[-1]}


def cdf(values):
    """Return 200 points [value, fraction] of sorted *values*."""
    n = len(values)
    return [[values[k], round((k + 1) / n, 6)]
            for k in (i * (n - 1) // 199 for i in range(200))]


class UioIntc:
    """The INTC the PYNQ way: UIO for the interrupt, /dev/mem for registers.

    Args:
        uio: The /dev/uioN of the INTC.
        mask: The pins this controller serves.
    """

    def __init__(self, uio, mask):
        self.fd = os.open(uio, os.O_RDWR)
        fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
        try:
            self._map = mmap.mmap(fd, mmap.PAGESIZE, offset=board.INTC_BASE)
        finally:
            os.close(fd)
        self.regs = memoryview(self._map).cast("I")
        self.mask = mask
        self.waiters = {}
        self.loop = None
        # As PYNQ's controller does when it is made: every pin masked.
        self.regs[INTC_IER // 4] = 0
        self.regs[INTC_IAR // 4] = 0xFFFFFFFF
        self.regs[INTC_MER // 4] = 3

    def _handle(self):
        os.read(self.fd, 4)
        pending = self.regs[INTC_ISR // 4] & self.mask
        if pending:
            self.regs[INTC_CIE // 4] = pending
            self.regs[INTC_IAR // 4] = pending
        for pin, fut in list(self.waiters.items()):
            if pending >> pin & 1 and not fut.done():
                fut.set_result(pin)
                del self.waiters[pin]

    async def wait(self, pin):
        """Unmask *pin*, enable the interrupt and wait for the pin to fire."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop = loop
            loop.add_reader(self.fd, self._handle)
        fut = loop.create_future()
        self.waiters[pin] = fut
        self.regs[INTC_SIE // 4] = 1 << pin
        self.regs[INTC_MER // 4] = 3
        os.write(self.fd, struct.pack("I", 1))
        return await fut

    def drain(self):
        """Acknowledge what is pending without waiting; return its count."""
        pending = self.regs[INTC_ISR // 4] & self.mask
        self.regs[INTC_IAR // 4] = pending
        return bin(pending).count("1")

    def close(self):
        """Mask every pin and let go of the UIO fd and the mapping."""
        if self.loop:
            self.loop.remove_reader(self.fd)
        self.regs[INTC_IER // 4] = 0
        self.regs.release()
        self._map.close()
        os.close(self.fd)


class Reader:
    """One way of waiting for pin 0 from asyncio, with the same interface.

    Args:
        path: ``pynq-irq`` or ``uio``.
    """

    def __init__(self, path):
        self.path = path
        if path == "uio":
            self.intc = UioIntc(os.environ["BENCH_UIO"], 1)
        else:
            from pynq_irq import Interrupt
            self.irq = Interrupt("btns")

    async def wait(self):
        """Wait for the next interrupt; return (kernel timestamp, lost)."""
        if self.path == "uio":
            await self.intc.wait(0)
            return None, 0
        ev = await self.irq.wait()
        return ev.timestamp_ns, ev.lost

    def drain(self):
        """Take what is there without waiting; return (events, lost)."""
        if self.path == "uio":
            return self.intc.drain(), 0
        events = self.irq.read_events()
        n = lost = 0
        while events:
            n += len(events)
            lost += sum(e.lost for e in events)
            events = self.irq.read_events()
        return n, lost

    def close(self):
        """Close the node or the controller."""
        (self.intc if self.path == "uio" else self.irq).close()


async def latency(path, events, period):
    """Measure pulse-to-wake-up latency over *events* pulses."""
    reader = Reader(path)
    offset = mono_offset()
    p0 = stim.reg(STIM_PULSES)
    lat, pre = [], []
    overruns = lost = 0
    stim.train(1, events, period)
    for i in range(1, events + 1):
        ts, lost_now = await reader.wait()
        now = vnow()
        stamp = vstamp()
        lost += lost_now
        if (stim.reg(STIM_PULSES) - p0) & 0xFFFFFFFF != i:
            overruns += 1
            continue
        lat.append(now - stamp)
        if ts is not None:
            pre.append(max(ts - offset - stamp, 0))
    reader.close()
    lat.sort()
    pre.sort()
    emit("latency", path=PATHS[path], pins=1, readers=1, events=len(lat),
         overruns=overruns, lost=lost, period_ns=period,
         latency_ns=stats(lat), pre_irq_ns=stats(pre) if pre else None,
         cdf=cdf(lat))
    return 1 if lost else 0


async def rate_once(path, count, period):
    """Run one train; return (pulses, delivered, lost in the kernel)."""
    reader = Reader(path)
    got = {"n": 0, "lost": 0}

    async def take():
        while True:
            _, lost = await reader.wait()
            got["n"] += 1
            got["lost"] += lost

    p0 = stim.reg(STIM_PULSES)
    stim.train(1, count, period)
    task = asyncio.get_running_loop().create_task(take())
    await asyncio.sleep(count * period / 1e9)
    while stim.train_left():
        await asyncio.sleep(0.001)
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    n, lost = reader.drain()
    reader.close()
    pulses = (stim.reg(STIM_PULSES) - p0) & 0xFFFFFFFF
    return pulses, got["n"] + n, got["lost"] + lost


async def rate(path, count):
    """The delivered fraction along the ladder, then the zero-loss rate."""
    lo = hi = None

    async def rung(period):
        pulses, delivered, lost = await rate_once(path, count, period)
        emit("rate", path=PATHS[path], rate_hz=round(1e9 / period),
             period_ns=period, pulses=pulses, delivered=delivered,
             lost_kernel=lost)
        return pulses == delivered

    for hz in LADDER_HZ:
        period = 10**9 // hz
        ok = await rung(period)
        if ok and hi is None:
            lo = period
        elif not ok and hi is None:
            hi = period
    if lo and hi:
        while lo - hi > lo // 100:
            mid = hi + (lo - hi) // 2
            if await rung(mid):
                lo = mid
            else:
                hi = mid
    emit("zero_loss", path=PATHS[path],
         rate_hz=round(1e9 / lo) if lo else None, period_ns=lo)
    return 0


class Soak:
    """The soakers of ``bench soak``: CPU time the measured code leaves."""

    def __init__(self):
        subprocess.run([os.path.join(HERE, "bench"), "soak", "start"],
                       check=True, stdout=subprocess.DEVNULL)
        fd = os.open(SOAK_FILE, os.O_RDWR)
        try:
            self._map = mmap.mmap(fd, 576)
        finally:
            os.close(fd)
        self.cpus = struct.unpack_from("I", self._map, 4)[0]
        self.ns_per_count = struct.unpack_from("d", self._map, 8)[0]
        self._counts = memoryview(self._map).cast("I")

    def total(self):
        """Return the soakers' counts, all CPUs together."""
        return sum(self._counts[(64 + 64 * i) // 4] for i in range(self.cpus))

    def busy(self, dt, dc):
        """Return the CPU ns not left to the soakers in *dt* ns."""
        return dt * self.cpus - dc * self.ns_per_count

    def stop(self):
        """Stop the soakers."""
        self._counts.release()
        self._map.close()
        subprocess.run([os.path.join(HERE, "bench"), "soak", "stop"],
                       check=True)


async def cost(path, rate_hz, events):
    """Measure guest CPU ns per event at a fixed rate."""
    soak = Soak()
    reader = Reader(path)
    try:
        await asyncio.sleep(0.01)
        t0 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        c0 = soak.total()
        stim.train(1, events, 10**9 // rate_hz)
        for _ in range(events):
            await reader.wait()
        t1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        c1 = soak.total()
    finally:
        reader.close()
        soak.stop()
    busy = soak.busy(t1 - t0, c1 - c0)
    emit("cost", path=PATHS[path], rate_hz=rate_hz, pins=1, readers=1,
         interrupts=events, events=events, busy_ns=round(busy),
         cpu_ns_per_event=round(busy / events))
    return 0


def main(argv):
    """Run the measurement that *argv* names; return the exit status."""
    usage = ("usage: bench_py.py latency PATH EVENTS PERIOD_NS\n"
             "       bench_py.py rate PATH PULSES\n"
             "       bench_py.py cost PATH RATE_HZ EVENTS\n"
             "PATH: pynq-irq or uio ($BENCH_UIO)")
    what = {"latency": (latency, 3), "rate": (rate, 2), "cost": (cost, 3)}
    if (len(argv) < 3 or argv[1] not in what or argv[2] not in PATHS
            or len(argv) != 2 + what[argv[1]][1]):
        print(usage, file=sys.stderr)
        return 2
    fn = what[argv[1]][0]
    return asyncio.run(fn(argv[2], *map(int, argv[3:])))


if __name__ == "__main__":
    sys.exit(main(sys.argv))
