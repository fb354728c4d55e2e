# SPDX-License-Identifier: GPL-2.0
"""Interrupts of the Zynq programmable logic, and SGIs, from Python.

The pynq-irq kernel module makes every pin of an AXI Interrupt Controller a
node ``/dev/pynq-irq/<name>``; this package reads those nodes. It needs
nothing but the standard library, and works with asyncio, in Jupyter, and
synchronously::

    from pynq_irq import Interrupt

    irq = Interrupt("btns")                     # a node name or a path
    ev = irq.read(timeout=5)                    # blocks; None on timeout
    print(ev.number, ev.seqno, ev.timestamp, ev.lost)

    async def main():
        async for ev in Interrupt("btns"):      # until the device goes away
            print(ev)

Code written for ``pynq.interrupt.Interrupt`` changes one import and keeps
working, with a PYNQ overlay to look pin names up::

    from pynq_irq import Interrupt
    irq = Interrupt("btns_gpio/ip2intc_irpt", overlay=ol)
    await irq.wait()                            # also returns the Event

Every Interrupt is a client of its own: several objects, in one
process or many, each see every event. A level pin fires once per
assertion: clear the interrupt at its source (the IP's registers) before
waiting again.

A bouncing contact gives one event per burst with a coalescing window;
the event says how many interrupts it stands for::

    irq = Interrupt("btns", coalesce_us=20000)  # 20 ms
    ev = irq.read()
    print(ev.seqno, 1 + ev.merged)
    info = irq.info                             # one ioctl, read now
    print(info.queued, info.coalesce_us, info.interrupts)

Contents: Interrupt, Sgi, Event, LineInfo,
DeviceGone, nodes().
"""

from ._abi import Event, LineInfo
from ._interrupt import DeviceGone, Interrupt, Sgi, nodes

__all__ = ["DeviceGone", "Event", "Interrupt", "LineInfo", "Sgi", "nodes"]
for _name in __all__:
    globals()[_name].__module__ = __name__     # pydoc: pynq_irq.Interrupt
del _name
__version__ = "0.1.0"
