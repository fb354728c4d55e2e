# SPDX-License-Identifier: GPL-2.0
"""The emulated PYNQ board for the Python tests.

Addresses and the stimulus block's registers as in board.h (see
Documentation/board.rst), process-state checks, and the INTC's bind,
unbind and overlay helpers.
"""

import mmap
import os
import subprocess
import time

INTC_BASE = 0x41800000
INTC1_BASE = 0x41810000
STIM_BASE = 0x43C00000
INTC_DEV = "41800000.interrupt-controller"
INTC_DRV = "/sys/bus/platform/drivers/pynq-irq-axi-intc"
OVL_DIR = "/sys/kernel/debug/pynq-irq-overlay"
HERE = os.path.dirname(os.path.abspath(__file__))
SELFTESTS = os.path.dirname(HERE)

# Stimulus registers
STIM_ID, STIM_SET, STIM_CLEAR, STIM_PULSE = 0x00, 0x0C, 0x10, 0x14
STIM_TRAIN_MASK, STIM_TRAIN_PERIOD, STIM_TRAIN_COUNT = 0x18, 0x1C, 0x20
STIM_TRAIN_CTRL, STIM_TRAIN_LEFT = 0x24, 0x28
STIM_ID_VALUE = 0x5354494D
TRAIN_START, TRAIN_LOCKSTEP = 0x1, 0x3


def pin_name(pin, intc=0):
    """Return the node name of *pin* of INTC 0 (base tree) or 1 (overlay)."""
    names = (("btns", "switches", "iop1", "iop2"), ("ov-btns", "ov-switches"))
    if pin < len(names[intc]):
        return names[intc][pin]
    return f"418{intc}0000.pin{pin}"


class Stimulus:
    """The stimulus block, mapped through /dev/mem (32-bit accesses)."""

    def __init__(self):
        fd = os.open("/dev/mem", os.O_RDWR | os.O_SYNC)
        try:
            self._map = mmap.mmap(fd, mmap.PAGESIZE, offset=STIM_BASE)
        finally:
            os.close(fd)
        self._regs = memoryview(self._map).cast("I")
        assert self.reg(STIM_ID) == STIM_ID_VALUE, "no stimulus block"

    def close(self):
        self._regs.release()
        self._map.close()

    def reg(self, off, value=None):
        """Read the register at *off*, or write *value* to it."""
        if value is None:
            return self._regs[off // 4]
        self._regs[off // 4] = value
        return None

    def pulse(self, pin):
        self.reg(STIM_PULSE, 1 << pin)

    def set(self, pin):
        self.reg(STIM_SET, 1 << pin)

    def clear(self, pin):
        self.reg(STIM_CLEAR, 1 << pin)

    def train(self, mask, count, period_ns, lockstep=False):
        """Start a hardware pulse train on the pins of *mask*."""
        self.reg(STIM_TRAIN_MASK, mask)
        self.reg(STIM_TRAIN_PERIOD, period_ns)
        self.reg(STIM_TRAIN_COUNT, count)
        self.reg(STIM_TRAIN_CTRL, TRAIN_LOCKSTEP if lockstep else TRAIN_START)

    def train_left(self):
        return self.reg(STIM_TRAIN_LEFT)

    def wait_train(self, timeout=30):
        """Wait until the train has raised every pulse."""
        end = time.monotonic() + timeout
        while self.train_left():
            assert time.monotonic() < end, "the train did not finish"
            time.sleep(0.01)

    def stop_train(self):
        self.reg(STIM_TRAIN_CTRL, 0)


def task_state(pid, tid=None):
    """Return (state, wchan) of process *pid* (or its thread *tid*)."""
    base = f"/proc/{pid}" + (f"/task/{tid}" if tid else "")
    with open(base + "/stat") as f:
        state = f.read().rsplit(")", 1)[1].split()[0]
    with open(base + "/wchan") as f:
        wchan = f.read()
    return state, wchan


def wait_blocked(pid, where, tid=None, timeout=10):
    """Wait until *pid* (or thread *tid*) sleeps in a function named *where*.

    A wait that must be blocked is seen blocked: state S, and the kernel
    function it sleeps in (wchan) has *where* in its name.
    """
    end = time.monotonic() + timeout
    while True:
        state, wchan = task_state(pid, tid)
        if state == "S" and where in wchan:
            return
        assert time.monotonic() < end, \
            f"task {tid or pid}: state {state} in '{wchan}', " \
            f"not blocked in {where}"
        time.sleep(0.01)


def sysfs_write(path, value):
    with open(path, "w") as f:
        f.write(value)


def unbind_intc(dev=INTC_DEV):
    sysfs_write(f"{INTC_DRV}/unbind", dev)


def bind_intc(dev=INTC_DEV):
    sysfs_write(f"{INTC_DRV}/bind", dev)


def wait_node(name, timeout=10):
    """Wait until /dev/pynq-irq/<name> exists (mdev or devtmpfs made it)."""
    end = time.monotonic() + timeout
    while not os.path.exists(f"/dev/pynq-irq/{name}"):
        assert time.monotonic() < end, f"/dev/pynq-irq/{name} did not appear"
        time.sleep(0.01)


def overlay_apply(dtbo):
    """Apply SELFTESTS/<dtbo> with the test module, as a bitstream loader."""
    if not os.path.isdir(OVL_DIR):
        subprocess.run(["insmod",
                        os.path.join(SELFTESTS, "pynq_irq_overlay.ko")],
                       check=True)
    with open(os.path.join(SELFTESTS, dtbo), "rb") as f:
        blob = f.read()
    with open(f"{OVL_DIR}/apply", "wb") as f:
        f.write(blob)


def overlay_remove():
    sysfs_write(f"{OVL_DIR}/remove", "1")
