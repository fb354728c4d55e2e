# SPDX-License-Identifier: GPL-2.0
"""Interrupt and Sgi: one open node each, read synchronously or awaited."""

import errno
import fcntl
import io
import math
import operator
import os
import select
import time

from . import _abi, _sysfs

_CLOCKS = {
    time.CLOCK_MONOTONIC: "CLOCK_MONOTONIC",
    time.CLOCK_REALTIME: "CLOCK_REALTIME",
    time.CLOCK_BOOTTIME: "CLOCK_BOOTTIME",
}
_PERMISSION_HINT = (
    "permission denied: the nodes belong to root (mode 0600) unless a udev "
    "rule gives them to a group; install 60-pynq-irq.rules and join its "
    "group, as the user guide's 'Permissions' section says")


def _check_range(what, value, low, high):
    """Raise unless *value* is an int from *low* to *high*."""
    try:
        operator.index(value)
    except TypeError:
        raise TypeError(f"{what} must be an int, not "
                        f"{type(value).__name__}") from None
    if not low <= value <= high:
        raise ValueError(f"{what} must be {low} to {high}, not {value}")


def _check_settings(clock, queue_depth, coalesce_us):
    """Raise for a bad setting, before anything is looked up or opened."""
    if clock not in _CLOCKS:
        raise ValueError("clock must be one of "
                         + ", ".join(_CLOCKS.values()))
    if queue_depth is not None:
        _check_range("queue_depth", queue_depth, 1, _abi.QUEUE_MAX)
    _check_range("coalesce_us", coalesce_us, 0, _abi.COALESCE_MAX_US)


class DeviceGone(OSError):
    """The node went away: its controller was unbound or its overlay removed.

    An OSError with ``errno.ENODEV``. Close the object; when the
    controller is back (the overlay is applied again), open a new one.
    """

    def __init__(self, path):
        super().__init__(errno.ENODEV,
                         "the device went away (unbound, or its overlay "
                         "removed)", path)


class Interrupt:
    """One pin (or SGI) node, opened as a client of its own.

    The object receives every interrupt of the node from the moment it is
    created until it is closed, in its own queue, whatever other objects
    and processes do. It does not buffer events itself: what
    fileno() polls is exactly what read() returns.

    The settings below are made right after the node is opened: an
    interrupt in that instant comes as an event of its own, not coalesced,
    and stamped with ``time.CLOCK_MONOTONIC`` whatever *clock* says.

    Args:
        name: A node name (``"btns"``), a path (``"/dev/pynq-irq/btns"``),
            or, with *overlay*, a PYNQ pin name
            (``"btns_gpio/ip2intc_irpt"``).
        clock: The clock of the events' timestamps: ``time.CLOCK_MONOTONIC``
            (the default), ``time.CLOCK_REALTIME`` or
            ``time.CLOCK_BOOTTIME``.
        queue_depth: How many events the kernel keeps for this object, 1 to
            65536 (default 1024). When it is full the oldest are dropped
            and counted in the next event's ``lost``.
        coalesce_us: A coalescing ("debounce") window in microseconds, 0
            (the default: off) to 1000000. An interrupt starts an event,
            the interrupts within the window after it fold into it (its
            ``merged``), and the event comes when the window closes, up to
            *coalesce_us* later. Other objects still see every interrupt.
        overlay: A PYNQ overlay (``pynq.Overlay``), to look *name* up in its
            ``interrupt_pins``: each pin name maps to a dict with
            ``controller`` (an ``ip_dict`` key) and ``index`` (the pin), and
            ``ip_dict[controller]["phys_addr"]`` is the controller's
            address.

    Raises:
        FileNotFoundError: No such node; the message lists those there are.
        PermissionError: The node is not readable by this user; the message
            names the udev rule.
        ValueError: A bad *clock*, *queue_depth* or *coalesce_us*, a file
            that is not a pynq-irq node, or an overlay pin beyond its
            controller.
        TypeError: A *queue_depth* or *coalesce_us* that is not an int.
        DeviceGone: The node is going away.
    """

    _tree = _sysfs.Tree()

    def __init__(self, name, *, clock=time.CLOCK_MONOTONIC, queue_depth=None,
                 coalesce_us=0, overlay=None):
        self._fd = -1
        _check_settings(clock, queue_depth, coalesce_us)
        self._open(self._tree.resolve(name, overlay), os.O_RDONLY)
        try:
            self._ioctl(_abi.SET_FORMAT, _abi.FORMAT_BINARY)
            self._ioctl(_abi.SET_CLOCK, clock)
            if queue_depth is not None:
                self._ioctl(_abi.SET_QUEUE_DEPTH, queue_depth)
            self._ioctl(_abi.SET_COALESCE, coalesce_us)
        except BaseException:
            self.close()
            raise

    def _open(self, path, mode):
        self.path = path
        self._readable = mode == os.O_RDONLY
        self._loop = None
        self._reading = False
        self._waiters = set()
        try:
            self._fd = os.open(path, mode | os.O_NONBLOCK | os.O_CLOEXEC)
        except PermissionError:
            raise PermissionError(errno.EACCES, _PERMISSION_HINT,
                                  path) from None
        except FileNotFoundError:
            raise self._tree.missing(f"no node {path}") from None
        except OSError as e:
            if e.errno == errno.ENODEV:
                raise DeviceGone(path) from None
            raise
        try:
            self.name = self._tree.name_of_rdev(os.fstat(self._fd).st_rdev)
        except (FileNotFoundError, ValueError):
            self.close()
            raise ValueError(f"{path} is not a pynq-irq node") from None

    def _check(self):
        if self._fd < 0:
            raise ValueError("I/O operation on a closed "
                             + type(self).__name__)

    def _gone_or_raise(self, e):
        if e.errno == errno.ENODEV:
            raise DeviceGone(self.path) from None
        raise e

    def _ioctl(self, request, value):
        """Make a setting: a PYNQ_IRQ_SET_* ioctl with *value*."""
        self._check()
        try:
            fcntl.ioctl(self._fd, request, _abi.setting(value))
        except OSError as e:
            self._gone_or_raise(e)

    def _read(self, nbytes):
        """Read up to *nbytes* of records; [] when none is queued."""
        self._check()
        if not self._readable:
            raise io.UnsupportedOperation(
                f"{self.name} is an sgi-tx node: kick() it, it does not "
                "read")
        try:
            data = os.read(self._fd, nbytes)
        except BlockingIOError:
            return []
        except OSError as e:
            self._gone_or_raise(e)
        if not data:
            raise DeviceGone(self.path)
        return _abi.parse_records(data)

    def fileno(self):
        """Return the file descriptor, to poll (readable = an event waits)."""
        self._check()
        return self._fd

    @property
    def closed(self):
        """bool: True once close() was called."""
        return self._fd < 0

    @property
    def info(self):
        """LineInfo: the line's state and this object's settings, read now.

        One ioctl: ``name``, ``number`` (the pin or SGI), ``trigger``
        (``"edge"``, ``"level"``, ``"sgi-tx"`` or ``"sgi-rx"``),
        ``clients`` (open files), ``interrupts`` (taken so far), ``lost``
        (dropped from full queues, all clients), ``throttled`` (storm
        throttle episodes), ``rate_limit``, and this object's ``clock``,
        ``queue_depth``, ``queued`` (events waiting in its queue) and
        ``coalesce_us``; ``enabled`` and ``throttling`` are bools. As before
        ABI version 1, when this was a dict, ``info["interrupts"]`` works
        too.

        Raises:
            DeviceGone: The node went away.
        """
        self._check()
        buf = bytearray(_abi.INFO.size)
        try:
            fcntl.ioctl(self._fd, _abi.GET_INFO, buf)
        except OSError as e:
            self._gone_or_raise(e)
        return _abi.parse_info(buf)

    @property
    def queue_depth(self):
        """int: how many events the kernel keeps for this object."""
        return self.info.queue_depth

    @property
    def coalesce_us(self):
        """int: this object's coalescing window in microseconds, 0 if off."""
        return self.info.coalesce_us

    def read_events(self, max_events=64):
        """Return the events queued now, oldest first, without blocking.

        Args:
            max_events: The most events to return (one system call).

        Returns:
            list of Event; empty if none is queued.

        Raises:
            DeviceGone: The node went away.
        """
        if max_events < 1:
            raise ValueError("max_events must be 1 or more")
        return self._read(max_events * _abi.RECORD.size)

    def read(self, timeout=None):
        """Block until the next event and return it.

        Args:
            timeout: The longest wait in seconds; None waits for ever, 0
                only looks.

        Returns:
            Event, or None if *timeout* passed first.

        Raises:
            DeviceGone: The node went away, also while waiting.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        poller = select.poll()
        poller.register(self.fileno(), select.POLLIN)
        while True:
            events = self._read(_abi.RECORD.size)
            if events:
                return events[0]
            ms = None
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                ms = math.ceil(left * 1000)
            poller.poll(ms)

    async def wait(self):
        """Wait for the next event in the running asyncio loop; return it.

        The fd's reader is registered on the running loop for the time of
        the wait only, so the object can be created outside any loop and
        awaited in ``asyncio.run()``, in Jupyter's loop, or in several
        loops one after the other. A cancelled wait takes nothing: the
        event it did not take is there for the next one.

        Returns:
            Event.

        Raises:
            DeviceGone: The node went away, also while waiting.
        """
        # Here, not at the top: a running loop has imported asyncio
        # already, and a program that never awaits does not pay for the
        # import (seconds on the debug board, some 0.1 s on a Zynq).
        import asyncio  # pylint: disable=import-outside-toplevel

        loop = asyncio.get_running_loop()
        while True:
            events = self._read(_abi.RECORD.size)
            if events:
                return events[0]
            fut = loop.create_future()
            self._add_waiter(loop, fut)
            try:
                await fut
            finally:
                self._remove_waiter(fut)

    def _add_waiter(self, loop, fut):
        if self._waiters and self._loop is not loop:
            raise RuntimeError(f"{self.name}: wait() is in progress in "
                               "another event loop")
        self._loop = loop
        self._waiters.add(fut)
        if not self._reading:
            loop.add_reader(self._fd, self._wake)
            self._reading = True

    def _remove_waiter(self, fut):
        self._waiters.discard(fut)
        if not self._waiters and self._reading:
            self._loop.remove_reader(self._fd)
            self._reading = False

    def _wake(self):
        # Readable (or hung up): every waiter reads for itself. The reader
        # goes until a waiter registers again, so a wake-up that no task
        # has taken yet does not spin the loop.
        self._loop.remove_reader(self._fd)
        self._reading = False
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.wait()
        except DeviceGone:
            raise StopAsyncIteration from None

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return self.read()
        except DeviceGone:
            raise StopIteration from None

    def close(self):
        """Close the node. Waits in progress wake up and raise ValueError.

        Call it from the thread of the loop that waits, if one does.
        """
        if self._fd < 0:
            return
        if self._reading:
            self._loop.remove_reader(self._fd)
            self._reading = False
        fd, self._fd = self._fd, -1
        for fut in self._waiters:
            if not fut.done():
                fut.set_result(None)
        os.close(fd)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        if getattr(self, "_fd", -1) >= 0 and not self._waiters:
            os.close(self._fd)

    def __repr__(self):
        state = "closed" if self._fd < 0 else f"fd {self._fd}"
        return f"<{type(self).__name__} {self.path} {state}>"


class Sgi(Interrupt):
    """An SGI node: kick the other CPU, or read the SGIs it raises.

    An ``sgi-tx`` node is opened write-only: kick() raises its SGI
    once. An ``sgi-rx`` node reads like a pin (read(), wait(),
    ``async for``).

    Args:
        name: The node's name (``"cpu1-kick"``) or path.
        clock: As for Interrupt (``sgi-rx`` nodes).
        queue_depth: As for Interrupt (``sgi-rx`` nodes).
        coalesce_us: As for Interrupt (``sgi-rx`` nodes).

    Raises:
        ValueError: The node is a pin, not an SGI; or a bad setting, as
            for Interrupt.
        TypeError, FileNotFoundError, PermissionError, DeviceGone: As for
            Interrupt.
    """

    def __init__(self, name, *, clock=time.CLOCK_MONOTONIC, queue_depth=None,
                 coalesce_us=0):
        self._fd = -1
        _check_settings(clock, queue_depth, coalesce_us)
        path = self._tree.resolve(name)
        try:
            node = self._tree.name_of_rdev(os.stat(path).st_rdev)
        except FileNotFoundError:
            raise self._tree.missing(f"no node {path}") from None
        self.trigger = self._tree.info(node)["trigger"]
        if self.trigger == "sgi-tx":
            self._open(path, os.O_WRONLY)
        elif self.trigger == "sgi-rx":
            super().__init__(path, clock=clock, queue_depth=queue_depth,
                             coalesce_us=coalesce_us)
        else:
            raise ValueError(f"{node} is an {self.trigger} pin, not an SGI: "
                             "open it with Interrupt")

    def kick(self):
        """Raise the SGI once to the other CPU (one write()).

        Raises:
            io.UnsupportedOperation: This is an ``sgi-rx`` node.
            DeviceGone: The node went away.
        """
        self._check()
        if self.trigger != "sgi-tx":
            raise io.UnsupportedOperation(
                f"{self.name} is an {self.trigger} node: it reads, it is "
                "not kicked")
        try:
            os.write(self._fd, b"\x01")
        except OSError as e:
            self._gone_or_raise(e)


def nodes():
    """Return every pynq-irq node there is, with its sysfs attributes.

    Nothing is opened: the attributes are read from sysfs.

    Returns:
        dict: node name -> a dict of ``number``, ``trigger``,
        ``interrupts``, ``lost``, ``clients`` (ints and a str) and
        ``enabled`` (a bool), the keys that Interrupt.info has too.
    """
    tree = Interrupt._tree
    out = {}
    for name in tree.names():
        try:
            out[name] = tree.info(name)
        except FileNotFoundError:
            pass
    return out
