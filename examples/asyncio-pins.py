#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Print the interrupts of several pynq-irq nodes, with asyncio.

Usage: asyncio-pins.py [-c COUNT] [-t SECONDS] NAME...
       e.g. asyncio-pins.py btns switches

One line per event, "<name> <seqno> <sec>.<nsec> <lost>", as poll-pins
prints them. It stops after COUNT events in all, when no event came for
SECONDS, or when every device went away.

One task per node runs "async for ev in Interrupt(name)", which ends when
the device goes away. For a level pin, clear the interrupt at its source
(the IP's registers) inside the loop, before the next event is awaited.
"""

import argparse
import asyncio
import sys

from pynq_irq import Interrupt


async def watch(name, irq, queue):
    """Put (name, event) on *queue* for each event; (name, None) at the end."""
    async for ev in irq:
        await queue.put((name, ev))
    await queue.put((name, None))       # the device went away


async def main(args):
    irqs = {name: Interrupt(name) for name in args.names}
    queue = asyncio.Queue()
    tasks = [asyncio.create_task(watch(name, irq, queue))
             for name, irq in irqs.items()]
    seen, left = 0, len(irqs)
    try:
        while left and (args.count is None or seen < args.count):
            try:
                name, ev = await asyncio.wait_for(queue.get(), args.timeout)
            except asyncio.TimeoutError:
                print(f"no event for {args.timeout} s", file=sys.stderr)
                return 1
            if ev is None:
                print(f"{name}: the device went away", file=sys.stderr)
                left -= 1
                continue
            sec, nsec = divmod(ev.timestamp_ns, 10**9)
            print(f"{name} {ev.seqno} {sec}.{nsec:09d} {ev.lost}", flush=True)
            seen += 1
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for irq in irqs.values():
            irq.close()
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-c", "--count", type=int,
                        help="stop after COUNT events")
    parser.add_argument("-t", "--timeout", type=float,
                        help="stop when no event came for SECONDS")
    parser.add_argument("names", nargs="+", metavar="NAME",
                        help="a node of /dev/pynq-irq")
    sys.exit(asyncio.run(main(parser.parse_args())))
