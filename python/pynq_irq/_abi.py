# SPDX-License-Identifier: GPL-2.0
"""The kernel's userspace ABI, version 1, from include/uapi/linux/pynq-irq.h.

Record and ioctl argument layouts, ioctl numbers, constants and limits,
and the parsing of what the kernel returns into Event and LineInfo
tuples. Nothing here touches a device. The names are the header's
without ``PYNQ_IRQ_``.
"""

import os
import struct
import typing

# struct pynq_irq_event: timestamp_ns, seqno, lost, number, flags, merged,
# suppressed.
RECORD = struct.Struct("=QQIHHII")

# struct pynq_irq_setting: value, flags, reserved[2].
SETTING = struct.Struct("=IIII")

NAME_SIZE = 64

# struct pynq_irq_info: name, number, trigger, flags, clients, interrupts,
# lost, throttled, rate_limit, format, clock, queue_depth, queued,
# coalesce_us, reserved[8].
INFO = struct.Struct(f"={NAME_SIZE}sIIIIQQQIIIIII8I")

EVENT_THROTTLED = 1 << 0
EVENT_RESET = 1 << 1

FORMAT_TEXT = 0
FORMAT_BINARY = 1
FORMAT_TEXT_FULL = 2

QUEUE_DEFAULT = 1024
QUEUE_MAX = 65536
COALESCE_MAX_US = 1000000

TRIGGER_EDGE = 1
TRIGGER_LEVEL = 2
TRIGGER_SGI_TX = 3
TRIGGER_SGI_RX = 4
# What sysfs "trigger" reads for each.
TRIGGERS = {
    TRIGGER_EDGE: "edge",
    TRIGGER_LEVEL: "level",
    TRIGGER_SGI_TX: "sgi-tx",
    TRIGGER_SGI_RX: "sgi-rx",
}

INFO_ENABLED = 1 << 0
INFO_THROTTLED = 1 << 1

IOC_MAGIC = 0xE7
_IOC_WRITE = 1
_IOC_READ = 2


def _ioc(direction, nr, size):
    """Return an ioctl number as the kernel's generic _IOC() encodes it."""
    return direction << 30 | size << 16 | IOC_MAGIC << 8 | nr


SET_FORMAT = _ioc(_IOC_WRITE, 0x01, SETTING.size)
SET_CLOCK = _ioc(_IOC_WRITE, 0x02, SETTING.size)
SET_QUEUE_DEPTH = _ioc(_IOC_WRITE, 0x03, SETTING.size)
SET_COALESCE = _ioc(_IOC_WRITE, 0x05, SETTING.size)
GET_INFO = _ioc(_IOC_READ, 0x06, INFO.size)


def setting(value):
    """Return the struct pynq_irq_setting of a PYNQ_IRQ_SET_* ioctl.

    Args:
        value: The setting's value; its flags and reserved words are zero.

    Returns:
        bytes, ``SETTING.size`` long.
    """
    return SETTING.pack(value, 0, 0, 0)


class Event(typing.NamedTuple):
    """One event: an interrupt, or a burst of them coalesced into one.

    The first four fields are those the package had before ABI version 1,
    in the same order; the others (new in version 1) default to 0.

    Attributes:
        seqno: The line's sequence number of the interrupt: 1 for the first
            one the line took, counting every interrupt, kept or not. A
            coalesced event covers ``seqno`` to ``seqno + merged``.
        timestamp_ns: When the kernel took the interrupt (the first one of
            a coalesced event), in nanoseconds of the Interrupt's clock.
        lost: How many events this object lost (its queue was full) just
            before this one.
        number: The line's hardware number: the INTC pin, or the SGI.
        flags: The record's flags, whose bits the ``throttled`` and
            ``reset`` properties read.
        merged: How many more interrupts the object's coalescing window
            (``coalesce_us``) folded into this event: it stands for
            ``1 + merged`` interrupts.
        suppressed: How many interrupts a storm throttle took and did not
            queue just before this one. ``lost + suppressed`` is what the
            text format's third field counts.
    """

    seqno: int
    timestamp_ns: int
    lost: int
    number: int
    flags: int = 0
    merged: int = 0
    suppressed: int = 0

    @property
    def timestamp(self):
        """float: timestamp_ns in seconds."""
        return self.timestamp_ns / 1e9

    @property
    def throttled(self):
        """bool: A storm throttle on the line ended just before this event.

        The line was masked for a while: ``suppressed`` counts the
        interrupts taken and not queued, and edges that came while it was
        masked were never seen.
        """
        return bool(self.flags & EVENT_THROTTLED)

    @property
    def reset(self):
        """bool: The controller was found reset and restored just before.

        Something reset the interrupt controller under the driver (the PL
        was loaded again, say); interrupts between the reset and the
        restore were never seen.
        """
        return bool(self.flags & EVENT_RESET)


def parse_records(data):
    """Return the events in *data*, whole binary records read from a node.

    Args:
        data: bytes whose length is a multiple of ``RECORD.size``.

    Returns:
        list of Event, oldest first.

    Raises:
        ValueError: *data* does not hold whole records.
    """
    if len(data) % RECORD.size:
        raise ValueError(f"{len(data)} bytes are not whole "
                         f"{RECORD.size}-byte records")
    return [Event(seq, ts, lost, number, flags, merged, suppressed)
            for ts, seq, lost, number, flags, merged, suppressed
            in RECORD.iter_unpack(data)]


class LineInfo(typing.NamedTuple):
    """A node's line and one open file's settings, read in one ioctl.

    For code written before ABI version 1, when ``Interrupt.info`` was a
    dict of the sysfs attributes, ``info["interrupts"]`` and the like
    still work: a str key reads the attribute of that name.

    Attributes:
        name: The node's name (cut to 63 bytes if it is longer).
        number: The line's hardware number: the INTC pin, or the SGI.
        trigger: ``"edge"``, ``"level"``, ``"sgi-tx"`` or ``"sgi-rx"``, as
            sysfs names it (a number the package does not know reads as
            its decimal string).
        flags: The line's flags, whose bits the ``enabled`` and
            ``throttling`` properties read.
        clients: Open files of the line.
        interrupts: Interrupts the line took.
        lost: Events dropped from full queues, all clients.
        throttled: Storm throttle episodes of the line.
        rate_limit: The storm throttle's limit in interrupts a second; 0
            when it is off or the line has none.
        format: The file's read format (the package reads records: 1).
        clock: The clock of the file's timestamps
            (``time.CLOCK_MONOTONIC``, ``time.CLOCK_REALTIME`` or
            ``time.CLOCK_BOOTTIME``).
        queue_depth: How many events the kernel keeps for the file.
        queued: Events in the file's queue now.
        coalesce_us: The file's coalescing window in microseconds; 0 when
            it is off.
    """

    name: str
    number: int
    trigger: str
    flags: int
    clients: int
    interrupts: int
    lost: int
    throttled: int
    rate_limit: int
    format: int
    clock: int
    queue_depth: int
    queued: int
    coalesce_us: int

    @property
    def enabled(self):
        """bool: The line is enabled (sysfs "enabled" reads 1)."""
        return bool(self.flags & INFO_ENABLED)

    @property
    def throttling(self):
        """bool: A storm throttle is on the line now."""
        return bool(self.flags & INFO_THROTTLED)

    def __getitem__(self, key):
        if isinstance(key, str):
            if key in self._fields or key in ("enabled", "throttling"):
                return getattr(self, key)
            raise KeyError(key)
        return tuple.__getitem__(self, key)


def parse_info(data):
    """Return the LineInfo in *data*, a struct pynq_irq_info.

    Args:
        data: bytes (or a bytearray) ``INFO.size`` long.

    Returns:
        LineInfo.

    Raises:
        ValueError: *data* is not ``INFO.size`` bytes long.
    """
    if len(data) != INFO.size:
        raise ValueError(f"{len(data)} bytes are not one {INFO.size}-byte "
                         "struct pynq_irq_info")
    name, number, trigger, *rest = INFO.unpack(data)[:len(LineInfo._fields)]
    return LineInfo(os.fsdecode(name.split(b"\0", 1)[0]), number,
                    TRIGGERS.get(trigger, str(trigger)), *rest)
