# SPDX-License-Identifier: GPL-2.0
"""Interrupt's arguments and ioctls, with no device: a made-up node.

The node's device file is /dev/null, and fcntl.ioctl is replaced by a
stand-in that records each call and answers PYNQ_IRQ_GET_INFO the way the
kernel would.
"""

import errno
import fcntl
import os
import time

import pytest

from pynq_irq import DeviceGone, Interrupt, LineInfo, Sgi, _abi, _sysfs


@pytest.fixture
def empty(tmp_path, monkeypatch):
    """A tree with no nodes at all, as Interrupt's."""
    monkeypatch.setattr(Interrupt, "_tree", _sysfs.Tree(str(tmp_path)))


@pytest.mark.parametrize("kwargs", [
    {"coalesce_us": -1},
    {"coalesce_us": _abi.COALESCE_MAX_US + 1},
    {"queue_depth": 0},
    {"queue_depth": _abi.QUEUE_MAX + 1},
    {"clock": -1},
])
def test_bad_settings_are_value_errors(empty, kwargs):
    with pytest.raises(ValueError) as e:
        Interrupt("btns", **kwargs)
    assert next(iter(kwargs)) in str(e.value)
    with pytest.raises(ValueError):
        Sgi("cpu1-kick", **kwargs)


@pytest.mark.parametrize("kwargs", [
    {"coalesce_us": 1.5},
    {"coalesce_us": "100"},
    {"coalesce_us": None},
    {"queue_depth": 8.0},
])
def test_settings_that_are_not_ints_are_type_errors(empty, kwargs):
    with pytest.raises(TypeError) as e:
        Interrupt("btns", **kwargs)
    assert next(iter(kwargs)) in str(e.value)


@pytest.mark.parametrize("kwargs", [
    {"coalesce_us": 0},
    {"coalesce_us": _abi.COALESCE_MAX_US},
    {"queue_depth": 1},
    {"queue_depth": _abi.QUEUE_MAX},
])
def test_settings_at_their_limits_are_taken(empty, kwargs):
    """The limits are in range: the call goes on to look for the node."""
    with pytest.raises(FileNotFoundError):
        Interrupt("btns", **kwargs)


class FakeKernel:
    """fcntl.ioctl for a node: records the calls, answers GET_INFO."""

    def __init__(self):
        self.calls = []
        self.settings = {_abi.SET_FORMAT: 0, _abi.SET_CLOCK: 1,
                         _abi.SET_QUEUE_DEPTH: 1024, _abi.SET_COALESCE: 0}
        self.fail = {}

    def ioctl(self, fd, request, arg=0, mutate=True):
        self.calls.append((request, bytes(arg)))
        if request in self.fail:
            raise OSError(self.fail[request], os.strerror(self.fail[request]))
        if request == _abi.GET_INFO:
            s = self.settings
            arg[:] = _abi.INFO.pack(
                b"btns", 0, _abi.TRIGGER_EDGE, _abi.INFO_ENABLED, 2, 41, 3,
                0, 0, s[_abi.SET_FORMAT], s[_abi.SET_CLOCK],
                s[_abi.SET_QUEUE_DEPTH], 5, s[_abi.SET_COALESCE], *[0] * 8)
            return 0
        assert len(arg) == _abi.SETTING.size
        value, flags, *reserved = _abi.SETTING.unpack(arg)
        assert (flags, reserved) == (0, [0, 0])
        self.settings[request] = value
        return 0


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    """Node "btns", whose device file is /dev/null, and a FakeKernel."""
    node = tmp_path / _sysfs.CLASS_DIR / "btns"
    node.mkdir(parents=True)
    for attr, value in {"number": 0, "trigger": "edge", "interrupts": 41,
                        "lost": 3, "clients": 2, "enabled": 1}.items():
        (node / attr).write_text(f"{value}\n")
    rdev = os.stat("/dev/null").st_rdev
    char = tmp_path / "sys/dev/char"
    char.mkdir(parents=True)
    os.symlink(node, char / f"{os.major(rdev)}:{os.minor(rdev)}")
    (tmp_path / _sysfs.DEV_DIR).mkdir(parents=True)
    os.symlink("/dev/null", tmp_path / _sysfs.DEV_DIR / "btns")
    monkeypatch.setattr(Interrupt, "_tree", _sysfs.Tree(str(tmp_path)))
    k = FakeKernel()
    monkeypatch.setattr(fcntl, "ioctl", k.ioctl)
    return k


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def test_settings_are_made_with_setting_structs(kernel):
    with Interrupt("btns", clock=time.CLOCK_REALTIME, queue_depth=8,
                   coalesce_us=250):
        pass
    assert kernel.calls == [
        (_abi.SET_FORMAT, _abi.setting(_abi.FORMAT_BINARY)),
        (_abi.SET_CLOCK, _abi.setting(time.CLOCK_REALTIME)),
        (_abi.SET_QUEUE_DEPTH, _abi.setting(8)),
        (_abi.SET_COALESCE, _abi.setting(250)),
    ]


def test_defaults_leave_the_queue_and_turn_coalescing_off(kernel):
    with Interrupt("btns"):
        pass
    assert kernel.calls == [
        (_abi.SET_FORMAT, _abi.setting(_abi.FORMAT_BINARY)),
        (_abi.SET_CLOCK, _abi.setting(time.CLOCK_MONOTONIC)),
        (_abi.SET_COALESCE, _abi.setting(0)),
    ]


def test_info_queue_depth_and_coalesce_us_read_get_info(kernel):
    with Interrupt("btns", queue_depth=16, coalesce_us=1000) as irq:
        del kernel.calls[:]
        info = irq.info
        assert kernel.calls == [(_abi.GET_INFO, bytes(_abi.INFO.size))]
        assert info == LineInfo(
            name="btns", number=0, trigger="edge", flags=_abi.INFO_ENABLED,
            clients=2, interrupts=41, lost=3, throttled=0, rate_limit=0,
            format=_abi.FORMAT_BINARY, clock=time.CLOCK_MONOTONIC,
            queue_depth=16, queued=5, coalesce_us=1000)
        assert info.enabled and not info.throttling
        assert (irq.queue_depth, irq.coalesce_us) == (16, 1000)
        assert [r for r, _ in kernel.calls[1:]] == [_abi.GET_INFO] * 2


def test_enodev_is_device_gone(kernel):
    with Interrupt("btns") as irq:
        kernel.fail[_abi.GET_INFO] = errno.ENODEV
        with pytest.raises(DeviceGone):
            irq.info
        with pytest.raises(DeviceGone):
            irq.queue_depth
    kernel.fail = {_abi.SET_COALESCE: errno.ENODEV}
    with pytest.raises(DeviceGone):
        Interrupt("btns", coalesce_us=10)


def test_a_refused_setting_closes_the_node(kernel):
    kernel.fail[_abi.SET_COALESCE] = errno.EINVAL
    before = open_fds()
    with pytest.raises(OSError) as e:
        Interrupt("btns", coalesce_us=10)
    assert e.value.errno == errno.EINVAL
    assert open_fds() == before


def test_info_of_a_closed_object_is_a_value_error(kernel):
    irq = Interrupt("btns")
    irq.close()
    with pytest.raises(ValueError):
        irq.info
