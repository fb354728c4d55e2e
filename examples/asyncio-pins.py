#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Wait for interrupts on /dev/pynq-irq nodes from asyncio.

Usage: asyncio-pins.py NAME...    e.g. asyncio-pins.py btns switches

Each node is opened non-blocking, switched to binary records
(struct pynq_irq_event) and watched with loop.add_reader(). asyncio's
selector is level-triggered, which is what level pins need: a level pin is
unmasked when a client finds its queue empty in a read or a poll.
"""
import asyncio
import errno
import fcntl
import os
import struct
import sys

# From include/uapi/linux/pynq-irq.h
PYNQ_IRQ_SET_FORMAT = 0x4004E701  # _IOW(0xE7, 0x01, __u32)
PYNQ_IRQ_FORMAT_BINARY = 1
EVENT = struct.Struct("=QQIIII")  # timestamp_ns seqno lost number flags reserved


def on_readable(loop, queue, name, fd):
    try:
        data = os.read(fd, 64 * EVENT.size)
    except BlockingIOError:
        return
    except OSError as e:  # ENODEV: the device went away
        loop.remove_reader(fd)
        os.close(fd)
        queue.put_nowait((name, e))
        return
    for ts, seq, lost, number, _, _ in EVENT.iter_unpack(data):
        queue.put_nowait((name, (seq, ts, lost, number)))


async def main(names):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()
    for name in names:
        fd = os.open(f"/dev/pynq-irq/{name}", os.O_RDONLY | os.O_NONBLOCK)
        fcntl.ioctl(fd, PYNQ_IRQ_SET_FORMAT,
                    struct.pack("I", PYNQ_IRQ_FORMAT_BINARY))
        loop.add_reader(fd, on_readable, loop, queue, name, fd)

    left = len(names)
    while left:
        name, ev = await queue.get()
        if isinstance(ev, OSError):
            print(f"{name}: {os.strerror(ev.errno or errno.EIO)}")
            left -= 1
            continue
        seq, ts, lost, number = ev
        print(f"{name} (pin {number}): event {seq} at "
              f"{ts // 10**9}.{ts % 10**9:09d}, {lost} lost before it")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    asyncio.run(main(sys.argv[1:]))
