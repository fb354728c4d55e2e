# SPDX-License-Identifier: GPL-2.0
"""Finding nodes: sysfs attributes, node names and PYNQ pin names.

A Tree reads one filesystem tree (``/`` on a board; a directory
laid out the same way in the host-side tests).
"""

import errno
import os

CLASS_DIR = "sys/class/pynq-irq"
DEV_DIR = "dev/pynq-irq"

# The sysfs attributes of a node, and how to read each.
_ATTRS = {
    "number": int,
    "trigger": str,
    "interrupts": int,
    "lost": int,
    "clients": int,
    "enabled": lambda text: text == "1",
}


class Tree:
    """The pynq-irq nodes of one filesystem tree.

    Args:
        root: The directory that holds ``sys`` and ``dev``.
    """

    def __init__(self, root="/"):
        self.root = root

    def _path(self, *parts):
        return os.path.join(self.root, *parts)

    def dev_path(self, name):
        """Return the device node of the node called *name*."""
        return self._path(DEV_DIR, name)

    def names(self):
        """Return the names of the nodes there are, sorted."""
        try:
            return sorted(os.listdir(self._path(CLASS_DIR)))
        except FileNotFoundError:
            return []

    def info(self, name):
        """Return the sysfs attributes of the node called *name*.

        Returns:
            dict with ``number``, ``trigger``, ``interrupts``, ``lost``,
            ``clients`` (ints and a str) and ``enabled`` (a bool).

        Raises:
            FileNotFoundError: There is no such node (any more).
        """
        return {attr: conv(self._read(name, attr))
                for attr, conv in _ATTRS.items()}

    def _read(self, name, attr):
        with open(self._path(CLASS_DIR, name, attr)) as f:
            return f.read().strip()

    def name_of_rdev(self, rdev):
        """Return the name of the node whose device number is *rdev*.

        Raises:
            FileNotFoundError: No node has that device number (any more).
        """
        link = self._path("sys/dev/char",
                          f"{os.major(rdev)}:{os.minor(rdev)}")
        name = os.path.basename(os.path.realpath(link))
        if not os.path.isdir(self._path(CLASS_DIR, name)):
            raise FileNotFoundError(errno.ENOENT,
                                    "no pynq-irq node has device number "
                                    f"{os.major(rdev)}:{os.minor(rdev)}")
        return name

    def controller_address(self, name):
        """Return the bus address of the device that node *name* is on.

        It is the first ``reg`` address of the device's device-tree node,
        or, when the device has none, the unit address its platform device
        is named after (``41800000.interrupt-controller``).

        Returns:
            int, or None if the device has no address.
        """
        dev = os.path.realpath(self._path(CLASS_DIR, name, "device"))
        try:
            with open(os.path.join(dev, "of_node", "reg"), "rb") as f:
                reg = f.read()
            with open(os.path.join(dev, "of_node", "..", "#address-cells"),
                      "rb") as f:
                cells = int.from_bytes(f.read(4), "big")
        except OSError:
            reg, cells = b"", 0
        if cells and len(reg) >= 4 * cells:
            return int.from_bytes(reg[:4 * cells], "big")
        unit = os.path.basename(dev).split(".")[0]
        try:
            return int(unit, 16)
        except ValueError:
            return None

    def missing(self, what):
        """Return a FileNotFoundError for *what* that names the nodes."""
        have = self.names()
        if have:
            listed = "nodes: " + ", ".join(have)
        else:
            listed = ("there are no nodes: is the module loaded and the "
                      "controller bound?")
        return FileNotFoundError(errno.ENOENT, f"{what}; {listed}")

    def resolve(self, name, overlay=None):
        """Return the device node that *name* means.

        Args:
            name: A node name (``"btns"``), a path, or, with *overlay*, a
                PYNQ pin name (``"btns_gpio/ip2intc_irpt"``).
            overlay: A PYNQ overlay object, or anything with the same
                ``interrupt_pins`` and ``ip_dict`` mappings.

        Raises:
            FileNotFoundError: No node has that name, or the pin's
                controller has no nodes.
            ValueError: The overlay names a pin the controller does not
                have.
        """
        pins = getattr(overlay, "interrupt_pins", None) or {}
        if name in pins:
            return self._resolve_pin(name, pins[name], overlay.ip_dict)
        if "/" in name:
            if os.path.exists(name) or not pins:
                return name
            raise self.missing(f"no interrupt pin '{name}' in the overlay "
                               f"(pins: {', '.join(sorted(pins))})")
        path = self.dev_path(name)
        if not os.path.isdir(self._path(CLASS_DIR, name)):
            raise self.missing(f"no pynq-irq node '{name}'")
        return path

    def _resolve_pin(self, pin, entry, ip_dict):
        controller, index = entry["controller"], entry["index"]
        addr = ip_dict[controller]["phys_addr"]
        on_it = [n for n in self.names()
                 if self.controller_address(n) == addr]
        if not on_it:
            raise self.missing(f"{pin}: no pynq-irq node is on {controller} "
                               f"at {addr:#x}")
        for n in on_it:
            if int(self._read(n, "number")) == index:
                return self.dev_path(n)
        raise ValueError(f"{pin}: pin {index} of {controller} at {addr:#x}, "
                         f"which has {len(on_it)} pins")
