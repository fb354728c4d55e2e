# SPDX-License-Identifier: GPL-2.0
"""The package's ABI constants and record parsing, against the C header."""

import os
import re
import subprocess
import sys

import pytest

from pynq_irq import Event, LineInfo, _abi

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
HEADER = os.path.join(TOP, "include", "uapi", "linux", "pynq-irq.h")
STRUCTS = {"pynq_irq_event": _abi.RECORD, "pynq_irq_setting": _abi.SETTING,
           "pynq_irq_info": _abi.INFO}


@pytest.fixture(scope="module")
def header(tmp_path_factory):
    """What the uapi header says, printed by a C program built against it.

    Returns:
        dict with ``macro`` (name -> value), ``size`` (struct -> bytes)
        and ``field`` (struct -> {member: (offset, bytes)}, in the order
        abi_probe.c lists them).
    """
    d = tmp_path_factory.mktemp("probe")
    subprocess.run(["gcc", "-Wall", "-Wextra", "-Werror",
                    "-I", os.path.join(TOP, "include", "uapi"),
                    "-o", str(d / "probe"),
                    os.path.join(os.path.dirname(__file__), "abi_probe.c")],
                   check=True)
    out = subprocess.run([str(d / "probe")], capture_output=True, text=True,
                         check=True).stdout
    got = {"macro": {}, "size": {}, "field": {}}
    for line in out.splitlines():
        kind, *words = line.split()
        if kind == "macro":
            got["macro"][words[0]] = int(words[1])
        elif kind == "size":
            got["size"][words[0]] = int(words[1])
        else:
            struct, member, off, size = words
            got["field"].setdefault(struct, {})[member] = (int(off),
                                                           int(size))
    return got


def filled(header, struct, values):
    """Return *struct*'s bytes with *values* (member -> int or bytes) laid
    at the offsets the header gives, and 0xA5 in every other byte."""
    buf = bytearray(b"\xa5" * header["size"][struct])
    for member, value in values.items():
        off, size = header["field"][struct][member]
        if isinstance(value, int):
            value = value.to_bytes(size, sys.byteorder)
        assert len(value) == size, member
        buf[off:off + size] = value
    return bytes(buf)


def wide(i, size):
    """A value for field *i* of *size* bytes that uses every byte."""
    return int.from_bytes(bytes(16 * i + k + 1 for k in range(size)),
                          sys.byteorder)


def test_every_macro_of_the_header_is_probed(header):
    with open(HEADER) as f:
        defined = set(re.findall(r"^#define\s+(PYNQ_IRQ_\w+)", f.read(),
                                 re.M))
    assert defined == set(header["macro"]), \
        "abi_probe.c and the header list different macros"


def test_constants_and_ioctl_numbers_match_the_header(header):
    for name, value in header["macro"].items():
        ours = getattr(_abi, name[len("PYNQ_IRQ_"):], None)
        assert ours == value, f"{name}: the header has {value:#x}, " \
            f"_abi has {ours if ours is None else hex(ours)}"


def test_ioctls_take_structs(header):
    size = header["size"]
    for name, struct in (("SET_FORMAT", "pynq_irq_setting"),
                         ("SET_CLOCK", "pynq_irq_setting"),
                         ("SET_QUEUE_DEPTH", "pynq_irq_setting"),
                         ("SET_COALESCE", "pynq_irq_setting"),
                         ("GET_INFO", "pynq_irq_info")):
        assert getattr(_abi, name) >> 16 & 0x3FFF == size[struct], name
    assert not hasattr(_abi, "GET_QUEUE_DEPTH")


def test_struct_sizes_match_the_header(header):
    assert header["size"] == {s: st.size for s, st in STRUCTS.items()}
    assert (_abi.RECORD.size, _abi.SETTING.size, _abi.INFO.size) == \
        (32, 16, 160)


@pytest.mark.parametrize("struct", sorted(STRUCTS))
def test_probed_fields_tile_their_struct(header, struct):
    """No member of the header is missing from abi_probe.c: the fields it
    lists cover the struct, without holes or overlaps."""
    end = 0
    for member, (off, size) in sorted(header["field"][struct].items(),
                                      key=lambda kv: kv[1]):
        assert off == end, f"{struct}: {member} at {off}, not {end}"
        end = off + size
    assert end == header["size"][struct]


def test_record_layout_matches_the_header(header):
    fields = header["field"]["pynq_irq_event"]
    assert list(fields) == ["timestamp_ns", "seqno", "lost", "number",
                            "flags", "merged", "suppressed"]
    values = {m: wide(i, size) for i, (m, (_, size)) in
              enumerate(fields.items())}
    (ev,) = _abi.parse_records(filled(header, "pynq_irq_event", values))
    assert ev._asdict() == {f: values[f] for f in Event._fields}


def test_event_keeps_the_fields_it_had_first():
    assert Event._fields[:4] == ("seqno", "timestamp_ns", "lost", "number")
    ev = Event(2, 1, 3, 4)
    assert (ev.flags, ev.merged, ev.suppressed) == (0, 0, 0)
    seqno, timestamp_ns, lost, number = ev[:4]
    assert (seqno, timestamp_ns, lost, number) == (2, 1, 3, 4)


def test_setting_layout_matches_the_header(header):
    value = wide(0, 4)
    want = bytearray(filled(header, "pynq_irq_setting",
                            {"value": value, "flags": 0,
                             "reserved": bytes(8)}))
    assert _abi.setting(value) == want
    assert _abi.setting(7)[4:] == bytes(12), "flags or reserved not zero"


def test_info_layout_matches_the_header(header):
    fields = header["field"]["pynq_irq_info"]
    assert list(fields)[-1] == "reserved"
    values = {m: wide(i, size) for i, (m, (_, size)) in
              enumerate(fields.items()) if m not in ("name", "reserved")}
    values["trigger"] = _abi.TRIGGER_LEVEL
    name = b"btns_gpio\0" + b"x" * (_abi.NAME_SIZE - 10)
    info = _abi.parse_info(filled(header, "pynq_irq_info",
                                  {**values, "name": name}))
    assert isinstance(info, LineInfo)
    assert info._asdict() == {**values, "name": "btns_gpio",
                              "trigger": "level"}
    assert LineInfo._fields == tuple(m for m in fields if m != "reserved")


def test_parse_records_oldest_first():
    data = b"".join(_abi.RECORD.pack(1_500_000_000 + i, 10 + i, i, 7, 0,
                                     0, 0)
                    for i in range(3))
    got = _abi.parse_records(data)
    assert [e.seqno for e in got] == [10, 11, 12]
    assert [e.lost for e in got] == [0, 1, 2]
    assert got[0].timestamp == 1.5 and got[0].number == 7
    assert _abi.parse_records(b"") == []


def test_parse_records_new_fields():
    data = _abi.RECORD.pack(5, 100, 1, 3, _abi.EVENT_THROTTLED, 4, 9)
    assert _abi.parse_records(data) == [Event(seqno=100, timestamp_ns=5,
                                              lost=1, number=3, flags=1,
                                              merged=4, suppressed=9)]


@pytest.mark.parametrize("flags, throttled, reset", [
    (0, False, False),
    (_abi.EVENT_THROTTLED, True, False),
    (_abi.EVENT_RESET, False, True),
    (_abi.EVENT_THROTTLED | _abi.EVENT_RESET, True, True),
    (0xFFFC, False, False),             # bits no version defines yet
])
def test_event_flag_bits_read_as_properties(flags, throttled, reset):
    (ev,) = _abi.parse_records(_abi.RECORD.pack(0, 1, 0, 0, flags, 0, 0))
    assert (ev.flags, ev.throttled, ev.reset) == (flags, throttled, reset)


def test_parse_records_refuses_partial_records():
    with pytest.raises(ValueError):
        _abi.parse_records(bytes(33))


def info_bytes(name=b"btns", trigger=_abi.TRIGGER_EDGE, flags=0, **kw):
    """A struct pynq_irq_info; fields not given are 0, reserved is 0."""
    order = ("clients", "interrupts", "lost", "throttled", "rate_limit",
             "format", "clock", "queue_depth", "queued", "coalesce_us")
    return _abi.INFO.pack(name, kw.pop("number", 0), trigger, flags,
                          *(kw.pop(f, 0) for f in order), *[0] * 8)


def test_parse_info_names():
    longest = "n" * (_abi.NAME_SIZE - 1)
    assert _abi.parse_info(info_bytes(longest.encode())).name == longest
    # Not NUL-terminated (the header says it is): all 64 bytes, not more.
    full = b"m" * _abi.NAME_SIZE
    assert _abi.parse_info(info_bytes(full)).name == "m" * _abi.NAME_SIZE
    assert _abi.parse_info(info_bytes(b"")).name == ""


@pytest.mark.parametrize("trigger, name", [
    (_abi.TRIGGER_EDGE, "edge"), (_abi.TRIGGER_LEVEL, "level"),
    (_abi.TRIGGER_SGI_TX, "sgi-tx"), (_abi.TRIGGER_SGI_RX, "sgi-rx"),
    (0, "0"), (9, "9"),
])
def test_parse_info_triggers_as_sysfs_names_them(trigger, name):
    assert _abi.parse_info(info_bytes(trigger=trigger)).trigger == name


@pytest.mark.parametrize("flags, enabled, throttling", [
    (0, False, False),
    (_abi.INFO_ENABLED, True, False),
    (_abi.INFO_THROTTLED, False, True),
    (_abi.INFO_ENABLED | _abi.INFO_THROTTLED | 0x80, True, True),
])
def test_info_flag_bits_read_as_properties(flags, enabled, throttling):
    info = _abi.parse_info(info_bytes(flags=flags))
    assert (info.flags, info.enabled, info.throttling) == \
        (flags, enabled, throttling)


def test_info_reads_by_key_as_the_old_dict_did():
    info = _abi.parse_info(info_bytes(
        b"iop1", number=2, flags=_abi.INFO_ENABLED, clients=3,
        interrupts=1 << 40, lost=7, queue_depth=1024))
    old = {"number": 2, "trigger": "edge", "interrupts": 1 << 40, "lost": 7,
           "clients": 3, "enabled": True}
    assert {k: info[k] for k in old} == old
    assert info["queue_depth"] == info.queue_depth == 1024
    assert info[0] == "iop1" and info[-1] == 0 and len(info) == 14
    with pytest.raises(KeyError):
        info["nope"]
    with pytest.raises(KeyError):
        info["_asdict"]


def test_parse_info_refuses_other_sizes():
    with pytest.raises(ValueError):
        _abi.parse_info(bytes(_abi.INFO.size - 1))
    with pytest.raises(ValueError):
        _abi.parse_info(bytes(_abi.INFO.size + 8))
