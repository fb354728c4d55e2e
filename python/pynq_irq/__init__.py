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

Contents: Interrupt, Sgi, Event,
DeviceGone, nodes().
"""

from ._abi import Event
from ._interrupt import DeviceGone, Interrupt, Sgi, nodes

__all__ = ["DeviceGone", "Event", "Interrupt", "Sgi", "nodes"]
for _name in __all__:
    globals()[_name].__module__ = __name__     # pydoc: pynq_irq.Interrupt
del _name
__version__ = "0.1.0"
