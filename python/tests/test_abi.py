# SPDX-License-Identifier: GPL-2.0
"""The package's ABI constants and record parsing, against the C header."""

import os
import subprocess

import pytest

from pynq_irq import Event, _abi

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))


@pytest.fixture(scope="module")
def header(tmp_path_factory):
    """What the uapi header says, printed by a C program built against it."""
    d = tmp_path_factory.mktemp("probe")
    subprocess.run(["gcc", "-I", os.path.join(TOP, "include", "uapi"),
                    "-o", str(d / "probe"),
                    os.path.join(os.path.dirname(__file__), "abi_probe.c")],
                   check=True)
    out = subprocess.run([str(d / "probe")], capture_output=True, text=True,
                         check=True).stdout.split("\n")
    return [[int(x) for x in line.split()] for line in out[:3]]


def test_ioctl_numbers_match_the_header(header):
    assert header[0][:4] == [_abi.SET_FORMAT, _abi.SET_CLOCK,
                             _abi.SET_QUEUE_DEPTH, _abi.GET_QUEUE_DEPTH]
    assert header[0][5:] == [_abi.QUEUE_DEFAULT, _abi.QUEUE_MAX]
    assert header[2] == [_abi.FORMAT_TEXT, _abi.FORMAT_BINARY]


def test_record_layout_matches_the_header(header):
    assert header[0][4] == _abi.RECORD.size == 32
    rec = bytearray(32)
    for off, value, size in zip(header[1], (1, 2, 3, 4, 5), (8, 8, 4, 4, 4)):
        rec[off:off + size] = value.to_bytes(size, "little")
    # parse_records reads timestamp 1, seqno 2, lost 3, number 4 from there
    assert _abi.parse_records(bytes(rec)) == [Event(2, 1, 3, 4)]


def test_parse_records_oldest_first():
    data = b"".join(_abi.RECORD.pack(1_500_000_000 + i, 10 + i, i, 7, 0, 0)
                    for i in range(3))
    got = _abi.parse_records(data)
    assert [e.seqno for e in got] == [10, 11, 12]
    assert [e.lost for e in got] == [0, 1, 2]
    assert got[0].timestamp == 1.5 and got[0].number == 7
    assert _abi.parse_records(b"") == []


def test_parse_records_refuses_partial_records():
    with pytest.raises(ValueError):
        _abi.parse_records(bytes(33))
