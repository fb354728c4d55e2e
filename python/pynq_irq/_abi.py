# SPDX-License-Identifier: GPL-2.0
"""The kernel's userspace ABI, from include/uapi/linux/pynq-irq.h.

Record layout, ioctl numbers and limits, and the parsing of records into
Event tuples. Nothing here touches a device.
"""

import struct
import typing

# struct pynq_irq_event: timestamp_ns, seqno, lost, number, flags, reserved.
RECORD = struct.Struct("=QQIIII")

FORMAT_TEXT = 0
FORMAT_BINARY = 1
QUEUE_DEFAULT = 1024
QUEUE_MAX = 65536

_IOC_MAGIC = 0xE7
_IOC_WRITE = 1
_IOC_READ = 2


def _ioc(direction, nr, size):
    """Return an ioctl number as the kernel's generic _IOC() encodes it."""
    return direction << 30 | size << 16 | _IOC_MAGIC << 8 | nr


SET_FORMAT = _ioc(_IOC_WRITE, 0x01, 4)
SET_CLOCK = _ioc(_IOC_WRITE, 0x02, 4)
SET_QUEUE_DEPTH = _ioc(_IOC_WRITE, 0x03, 4)
GET_QUEUE_DEPTH = _ioc(_IOC_READ, 0x04, 4)

U32 = struct.Struct("=I")


class Event(typing.NamedTuple):
    """One interrupt, as the kernel recorded it.

    Attributes:
        seqno: The line's sequence number of the interrupt: 1 for the first
            one the line took, counting every interrupt, kept or not.
        timestamp_ns: When the kernel took the interrupt, in nanoseconds of
            the clock the Interrupt was opened with.
        lost: How many events this object lost (its queue was full) just
            before this one.
        number: The line's hardware number: the INTC pin, or the SGI.
    """

    seqno: int
    timestamp_ns: int
    lost: int
    number: int

    @property
    def timestamp(self):
        """float: timestamp_ns in seconds."""
        return self.timestamp_ns / 1e9


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
    return [Event(seq, ts, lost, number)
            for ts, seq, lost, number, _, _ in RECORD.iter_unpack(data)]
