# SPDX-License-Identifier: GPL-2.0
"""Node and PYNQ pin-name lookup, on a tree laid out as the board's sysfs."""

import os

import pytest

from pynq_irq import Interrupt, _sysfs


def make_node(root, name, number, dev, trigger="edge"):
    """Add node *name* (pin *number*) of platform device *dev* to *root*."""
    devdir = root / "sys/devices/soc0/amba_pl" / dev
    node = devdir / "pynq-irq" / name
    node.mkdir(parents=True)
    attrs = {"number": number, "trigger": trigger, "interrupts": 5,
             "lost": 0, "clients": 1, "enabled": 1}
    for attr, value in attrs.items():
        (node / attr).write_text(f"{value}\n")
    os.symlink(os.path.relpath(devdir, node), node / "device")
    cls = root / _sysfs.CLASS_DIR
    cls.mkdir(parents=True, exist_ok=True)
    os.symlink(os.path.relpath(node, cls), cls / name)
    chardev = root / "sys/dev/char"
    chardev.mkdir(parents=True, exist_ok=True)
    minor = len(os.listdir(chardev))        # in creation order
    os.symlink(os.path.relpath(node, chardev), chardev / f"246:{minor}")
    (root / _sysfs.DEV_DIR).mkdir(parents=True, exist_ok=True)
    (root / _sysfs.DEV_DIR / name).touch()


def make_controller(root, addr, pins, names=()):
    """An INTC at *addr* with *pins* nodes, its device-tree node linked."""
    dev = f"{addr:08x}.interrupt-controller"
    fw = root / "sys/firmware/devicetree/base/amba_pl"
    dt = fw / f"interrupt-controller@{addr:x}"
    dt.mkdir(parents=True)
    (fw / "#address-cells").write_bytes((1).to_bytes(4, "big"))
    (dt / "reg").write_bytes(addr.to_bytes(4, "big") +
                             (0x10000).to_bytes(4, "big"))
    for pin in range(pins):
        name = names[pin] if pin < len(names) else f"{addr:08x}.pin{pin}"
        make_node(root, name, pin, dev)
    devdir = root / "sys/devices/soc0/amba_pl" / dev
    os.symlink(os.path.relpath(dt, devdir), devdir / "of_node")


class Overlay:
    interrupt_pins = {
        "btns_gpio/ip2intc_irpt": {"controller": "axi_intc_0", "index": 0,
                                   "fullpath": "btns_gpio/ip2intc_irpt"},
        "ov/irq": {"controller": "axi_intc_1", "index": 1,
                   "fullpath": "ov/irq"},
        "big/irq": {"controller": "axi_intc_0", "index": 9,
                    "fullpath": "big/irq"},
        "gone/irq": {"controller": "axi_intc_2", "index": 0,
                     "fullpath": "gone/irq"},
    }
    ip_dict = {"axi_intc_0": {"phys_addr": 0x41800000},
               "axi_intc_1": {"phys_addr": 0x41810000},
               "axi_intc_2": {"phys_addr": 0x41820000}}


@pytest.fixture
def tree(tmp_path):
    make_controller(tmp_path, 0x41800000, 4, ("btns", "switches"))
    make_controller(tmp_path, 0x41810000, 2, ("ov-btns",))
    return _sysfs.Tree(str(tmp_path))


def test_names_and_info(tree):
    assert tree.names() == ["41800000.pin2", "41800000.pin3",
                            "41810000.pin1", "btns", "ov-btns", "switches"]
    assert tree.info("switches") == {"number": 1, "trigger": "edge",
                                     "interrupts": 5, "lost": 0,
                                     "clients": 1, "enabled": True}
    with pytest.raises(FileNotFoundError):
        tree.info("nope")


def test_controller_address_from_the_device_tree(tree):
    assert tree.controller_address("btns") == 0x41800000
    assert tree.controller_address("41810000.pin1") == 0x41810000


def test_node_names_and_paths(tree):
    assert tree.resolve("btns") == tree.dev_path("btns")
    assert tree.resolve("/dev/pynq-irq/btns") == "/dev/pynq-irq/btns"
    with pytest.raises(FileNotFoundError) as e:
        tree.resolve("nope")
    msg = str(e.value)
    assert "'nope'" in msg and "btns, ov-btns, switches" in msg


def test_pynq_pin_names(tree):
    ol = Overlay()
    assert tree.resolve("btns_gpio/ip2intc_irpt", ol) == tree.dev_path("btns")
    assert tree.resolve("ov/irq", ol) == tree.dev_path("41810000.pin1")
    assert tree.resolve("switches", ol) == tree.dev_path("switches")


def test_pynq_pin_name_errors(tree):
    ol = Overlay()
    with pytest.raises(ValueError) as e:
        tree.resolve("big/irq", ol)
    assert ("pin 9 of axi_intc_0 at 0x41800000, which has 4 pins"
            in str(e.value))
    with pytest.raises(FileNotFoundError) as e:
        tree.resolve("gone/irq", ol)
    assert "axi_intc_2 at 0x41820000" in str(e.value)
    with pytest.raises(FileNotFoundError) as e:
        tree.resolve("unknown/irq", ol)
    assert "btns_gpio/ip2intc_irpt" in str(e.value)


def test_name_of_rdev(tree):
    assert tree.name_of_rdev(os.makedev(246, 1)) == "switches"
    with pytest.raises(FileNotFoundError):
        tree.name_of_rdev(os.makedev(246, 99))


def test_no_nodes_at_all(tmp_path):
    empty = _sysfs.Tree(str(tmp_path))
    assert empty.names() == []
    with pytest.raises(FileNotFoundError) as e:
        empty.resolve("btns")
    assert "is the module loaded" in str(e.value)


def test_arguments_are_checked_before_anything_opens():
    with pytest.raises(ValueError):
        Interrupt("btns", clock=-1)
    with pytest.raises(ValueError):
        Interrupt("btns", queue_depth=0)
