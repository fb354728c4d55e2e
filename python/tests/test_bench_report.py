# SPDX-License-Identifier: GPL-2.0
"""scripts/bench-report.py on a small synthetic set of raw records."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
SCRIPT = os.path.join(TOP, "scripts", "bench-report.py")


@pytest.fixture(scope="module")
def bench():
    """The script, imported as a module."""
    spec = importlib.util.spec_from_file_location("bench_report", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def lat(p50, p99, p999, mx):
    """A latency_ns object."""
    return {"min": p50 // 2, "p50": p50, "p99": p99, "p999": p999,
            "max": mx}


def cdf(p50, mx):
    """A short CDF from p50 / 2 to *mx*."""
    return [[p50 // 2, 0.0], [p50, 0.5], [mx, 1.0]]


def latency(profile, path, p50, pins=1, readers=1, pre=None):
    """A latency record; p99, p999 and max follow from *p50*."""
    return {"kind": "latency", "profile": profile, "path": path,
            "pins": pins, "readers": readers, "events": 10000,
            "overruns": 0, "latency_ns": lat(p50, p50 * 9 // 4,
                                             p50 * 3, p50 * 5),
            "pre_irq_ns": pre, "cdf": cdf(p50, p50 * 5)}


def cost(profile, path, x, pins=1, readers=1):
    """A cost record of *x* ns per event."""
    return {"kind": "cost", "profile": profile, "path": path,
            "rate_hz": 10000, "pins": pins, "readers": readers,
            "interrupts": 1000, "events": 1000, "busy_ns": x * 1000,
            "cpu_ns_per_event": x}


def rate(profile, path, hz, delivered):
    """A rate ladder rung of 1000 pulses."""
    return {"kind": "rate", "profile": profile, "path": path, "rate_hz": hz,
            "pulses": 1000, "delivered": delivered,
            "lost_kernel": 1000 - delivered}


# pynq-irq-binary's cost per event by pins: at most 7.5 % off the 1-pin one.
PIN_COSTS = {1: 2000, 2: 2050, 4: 2100, 8: 1950, 16: 2000, 32: 2150}


def records():
    """The raw records of one synthetic 'make bench' (two profiles).

    smp has pynq-irq-text, pynq-irq-binary (with its scaling series) and
    uio-c; amp has pynq-irq-binary, uio-python and the SGI figures. There
    is no pynq-irq-epoll32 nor pynq-irq-python.
    """
    out = [{"kind": "config", "profile": "smp",
            "kernel": "6.1.192-pynq-board", "cpus": 2},
           {"kind": "config", "profile": "amp",
            "kernel": "6.1.192-pynq-board", "cpus": 1},
           latency("smp", "uio-c", 40000),
           latency("smp", "pynq-irq-binary", 16000,
                   pre={"p50": 5000, "p99": 8000}),
           latency("smp", "pynq-irq-text", 20000,
                   pre={"p50": 5000, "p99": 8000}),
           cost("smp", "uio-c", 5000),
           {"kind": "zero_loss", "profile": "smp", "path": "uio-c",
            "rate_hz": 20000},
           {"kind": "zero_loss", "profile": "smp", "path": "pynq-irq-binary",
            "rate_hz": 80000}]
    for hz, uio, binary in ((10000, 1000, 1000), (20000, 1000, 1000),
                            (50000, 600, 1000), (100000, 300, 900)):
        out += [rate("smp", "uio-c", hz, uio),
                rate("smp", "pynq-irq-binary", hz, binary)]
    for pins, x in PIN_COSTS.items():
        out.append(cost("smp", "pynq-irq-binary", x, pins=pins))
        if pins > 1:
            out.append(latency("smp", "pynq-irq-binary", 16000 + pins * 100,
                               pins=pins))
    for readers in (2, 4):
        out += [latency("smp", "pynq-irq-binary", 16000 + readers * 1000,
                        readers=readers),
                cost("smp", "pynq-irq-binary", 2000 + readers * 100,
                     readers=readers)]
    out += [latency("amp", "pynq-irq-binary", 17000),
            latency("amp", "uio-python", 90000),
            {"kind": "sgi_rtt", "profile": "amp", "events": 1000,
             "latency_ns": lat(20000, 30000, 40000, 50000),
             "cdf": cdf(20000, 50000)},
            {"kind": "sgi_raise", "profile": "amp", "raises": 100000,
             "elapsed_ns": 200000000, "rate_hz": 500000,
             "cpu1_counted": 100000}]
    return out


def write_raw(path, recs, extra=""):
    """Write *recs* as a raw file (with a blank line, and *extra* last)."""
    lines = [json.dumps(r) for r in recs]
    lines.insert(2, "")
    path.write_text("\n".join(lines) + "\n" + extra)
    return path


def run(bench, tmp_path, raw, *more):
    """Run the script's main() without plots; returns its exit status."""
    return bench.main(["--raw", str(raw), "--out", str(tmp_path / "out"),
                       "--doc", str(tmp_path / "doc" / "performance.rst"),
                       "--images", str(tmp_path / "doc" / "images"),
                       "--commit", "0123abc", "--icount", "shift=3,sleep=off",
                       "--no-plots", *more])


def results_of(tmp_path):
    """The results.json the last run wrote."""
    return json.loads((tmp_path / "out" / "results.json").read_text())


@pytest.fixture
def done(bench, tmp_path):
    """One run on the synthetic records: (results, stdout)."""
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    return results_of(tmp_path)


def test_results_keys(done):
    assert list(done) == ["paths", "scaling", "sgi_round_trip_ns",
                          "sgi_raise_rate_hz", "sgi_raise", "ratios", "goals",
                          "config", "profiles"]
    fig = done["paths"]["pynq-irq-binary"]
    for key in ("latency_ns", "pre_irq_ns", "zero_loss_rate_hz",
                "cpu_ns_per_event", "delivered_fraction"):
        assert key in fig
    assert fig["latency_ns"] == {"p50": 16000, "p99": 36000, "p999": 48000,
                                 "max": 80000}
    assert fig["pre_irq_ns"] == {"p50": 5000, "p99": 8000}
    assert done["paths"]["uio-c"]["pre_irq_ns"] is None
    assert done["sgi_round_trip_ns"] == {"p50": 20000, "p99": 30000,
                                         "p999": 40000, "max": 50000}
    assert done["sgi_raise_rate_hz"] == 500000
    assert done["sgi_raise"]["cpu1_counted"] == 100000
    cfg = done["config"]
    assert (cfg["kernel"], cfg["icount"], cfg["commit"]) == (
        "6.1.192-pynq-board", "shift=3,sleep=off", "0123abc")
    assert set(cfg["profiles"]) == {"smp", "amp"}
    assert list(done["profiles"]) == ["smp", "amp"]
    for prof in done["profiles"].values():
        assert {"paths", "scaling"} <= set(prof)


def test_headline_takes_smp_then_amp(done):
    paths = done["paths"]
    assert list(paths) == ["pynq-irq-text", "pynq-irq-binary", "uio-c",
                           "uio-python"]
    # smp's pynq-irq-binary, not amp's (17000); amp's uio-python.
    assert paths["pynq-irq-binary"]["latency_ns"]["p50"] == 16000
    assert paths["pynq-irq-binary"]["profile"] == "smp"
    assert paths["uio-python"]["profile"] == "amp"
    amp = done["profiles"]["amp"]["paths"]
    assert amp["pynq-irq-binary"]["latency_ns"]["p50"] == 17000


def test_missing_paths_are_absent(done):
    for prof in [done] + list(done["profiles"].values()):
        assert "pynq-irq-epoll32" not in prof["paths"]
        assert "pynq-irq-python" not in prof["paths"]
    # Figures of a path that were not measured are null, not made up.
    text = done["paths"]["pynq-irq-text"]
    assert text["zero_loss_rate_hz"] is None
    assert text["cpu_ns_per_event"] is None
    assert text["delivered_fraction"] == []
    assert "uio-python" not in done["profiles"]["smp"]["paths"]


def test_ratios_and_delivered_fraction(done):
    assert done["ratios"] == {"p50": 0.4, "p99": 0.4, "zero_loss_rate": 4.0}
    assert done["paths"]["uio-c"]["delivered_fraction"] == [
        [10000, 1.0], [20000, 1.0], [50000, 0.6], [100000, 0.3]]
    assert done["paths"]["pynq-irq-binary"]["delivered_fraction"][-1] == [
        100000, 0.9]


def test_scaling_series(done):
    pins = done["scaling"]["pins"]
    assert [p["pins"] for p in pins] == [1, 2, 4, 8, 16, 32]
    assert [p["cpu_ns_per_event"] for p in pins] == list(PIN_COSTS.values())
    assert pins[0]["latency_ns"]["p50"] == 16000
    assert pins[-1]["latency_ns"]["p50"] == 16000 + 3200
    readers = done["scaling"]["readers"]
    assert [(r["readers"], r["cpu_ns_per_event"]) for r in readers] == [
        (1, 2000), (2, 2200), (4, 2400)]


def test_goals(done):
    goals = {g["goal"]: g for g in done["goals"]}
    assert len(goals) == 5
    p50 = goals["pynq-irq-binary p50 latency <= 0.5 x uio-c"]
    assert (p50["value"], p50["limit"], p50["met"]) == (0.4, 0.5, True)
    rate = goals["pynq-irq-binary zero-loss rate >= 3 x uio-c"]
    assert (rate["value"], rate["met"]) == (4.0, True)
    flat = next(g for g in done["goals"] if "32 pins" in g["goal"])
    assert (flat["value"], flat["limit"], flat["met"]) == (0.075, 0.1, True)
    # The SGI round trip is compared within its own boot (amp): 20 / 17.
    sgi = next(g for g in done["goals"] if g["goal"].startswith("SGI"))
    assert (sgi["value"], sgi["met"], sgi["profile"]) == (1.176, True, "amp")


def test_goal_not_met_and_missing_inputs(bench, tmp_path):
    recs = [r for r in records() if r["profile"] == "smp"]
    for r in recs:
        if r["kind"] == "cost" and r["pins"] == 32:
            r["cpu_ns_per_event"] = 2500          # 25 % above 1 pin
    raw = write_raw(tmp_path / "raw.jsonl", recs)
    assert run(bench, tmp_path, raw) == 0
    res = results_of(tmp_path)
    goals = {g["goal"]: g for g in res["goals"]}
    flat = next(g for g in res["goals"] if "32 pins" in g["goal"])
    assert (flat["value"], flat["met"]) == (0.25, False)
    sgi = next(g for g in res["goals"] if g["goal"].startswith("SGI"))
    assert (sgi["value"], sgi["met"]) == (None, None)
    assert goals["pynq-irq-binary p50 latency <= 0.5 x uio-c"]["met"]
    assert res["sgi_round_trip_ns"] is None
    assert "amp" not in res["profiles"]


def test_only_uio_c(bench, tmp_path):
    recs = [r for r in records() if r.get("path") in (None, "uio-c")
            and r["kind"] not in ("sgi_rtt", "sgi_raise")]
    raw = write_raw(tmp_path / "raw.jsonl", recs)
    assert run(bench, tmp_path, raw) == 0
    res = results_of(tmp_path)
    assert list(res["paths"]) == ["uio-c"]
    assert res["ratios"] == {}
    assert res["scaling"] == {"pins": [], "readers": []}
    assert [g["met"] for g in res["goals"]] == [None] * 5
    assert "not measured" in (tmp_path / "out" / "results.md").read_text()


def test_markdown_table(bench, tmp_path, capsys):
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    out = capsys.readouterr().out
    md = (tmp_path / "out" / "results.md").read_text()
    assert md in out
    row = ("| pynq-irq-binary | 16.0 | 36.0 | 48.0 | 80.0 | 80.0 | 2.00 "
           "| 0.40× | 0.40× | 4.00× |")
    assert row in md.splitlines()
    assert "| uio-python (amp) | 90.0 |" in md
    assert "bench: no previous results.json to compare with" in out
    assert not os.path.exists(tmp_path / "out" / "latency-cdf.png")
    assert not os.path.exists(tmp_path / "doc" / "images")


def comparison(out):
    """The comparison lines of the script's stdout."""
    return out[out.index("bench: compared with"):].splitlines()


def test_same_figures_compare_within_1_percent(bench, tmp_path, capsys):
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    n = len(bench.figures(results_of(tmp_path)))
    # 4 paths' latencies (4 + 4 + 4 + 4), rates and costs (2 + 2), the
    # scaling points beyond 1 pin or reader (7 x 5) and the SGIs (4 + 1).
    assert n == 60
    capsys.readouterr()
    prev = str(tmp_path / "out" / "results.json")     # the file it rewrites
    assert run(bench, tmp_path, raw, "--previous", prev) == 0
    lines = comparison(capsys.readouterr().out)
    assert lines[-1] == (f"bench: all {n} figures within 1 % of the "
                         "previous run")
    assert len(lines) == n + 2


def test_moved_figures_are_reported(bench, tmp_path, capsys):
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    old = tmp_path / "old.json"
    os.replace(tmp_path / "out" / "results.json", old)
    n = len(bench.figures(json.loads(old.read_text())))
    recs = records()
    for r in recs:
        if r["kind"] == "latency" and r["path"] == "uio-c":
            r["latency_ns"]["p99"] = 94500        # +5 % of 90000
            r["latency_ns"]["max"] = 202000       # +1 %: not moved
        if r["kind"] == "zero_loss" and r["path"] == "pynq-irq-binary":
            r["rate_hz"] = 72000                  # -10 %
        if r["kind"] == "cost" and r["path"] == "pynq-irq-binary" \
                and r["pins"] == 8:
            r["cpu_ns_per_event"] = 1960          # +0.51 %
    write_raw(tmp_path / "raw.jsonl", recs)
    capsys.readouterr()
    assert run(bench, tmp_path, raw, "--previous", str(old)) == 0
    lines = comparison(capsys.readouterr().out)
    assert lines[-1] == (
        f"bench: 2 of {n} figures moved more than 1 %: "
        "paths.pynq-irq-binary.zero_loss_rate_hz (-10.00 %), "
        "paths.uio-c.latency_ns.p99 (+5.00 %)")
    p99 = next(line for line in lines if "uio-c.latency_ns.p99" in line)
    assert p99.split()[1:6] == ["90000", "->", "94500", "+5.00", "%"]
    mx = next(line for line in lines if "uio-c.latency_ns.max" in line)
    assert "+1.00 %" in mx and "moved" not in mx
    cost8 = next(line for line in lines
                 if "scaling.pins.8.cpu_ns_per_event" in line)
    assert "+0.51 %" in cost8


def test_figures_only_in_one_run(bench, tmp_path, capsys):
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    old = tmp_path / "old.json"
    os.replace(tmp_path / "out" / "results.json", old)
    write_raw(raw, [r for r in records() if r.get("path") != "pynq-irq-text"])
    capsys.readouterr()
    assert run(bench, tmp_path, raw, "--previous", str(old)) == 0
    lines = comparison(capsys.readouterr().out)
    assert "bench: only in the previous run: paths.pynq-irq-text.* (4)" \
        in lines
    assert lines[-1].startswith("bench: all ")
    assert "pynq-irq-text" not in results_of(tmp_path)["paths"]


def test_malformed_line_fails_naming_file_and_line(tmp_path):
    # Line 3 is the blank one write_raw inserts; 4 lines of records follow.
    raw = write_raw(tmp_path / "raw.jsonl", records()[:5],
                    extra="pynq-irq: [ 12.3] some kernel message\n")
    proc = subprocess.run(
        [sys.executable, SCRIPT, "--raw", str(raw),
         "--out", str(tmp_path / "out"), "--doc", str(tmp_path / "p.rst"),
         "--images", str(tmp_path / "img"), "--commit", "x",
         "--icount", "shift=3,sleep=off", "--no-plots"],
        capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"{raw}:7: not a JSON record" in proc.stderr
    assert proc.stdout == ""
    assert not os.path.exists(tmp_path / "out" / "results.json")
    assert not os.path.exists(tmp_path / "p.rst")


@pytest.mark.parametrize("change, message", [
    (lambda r: r.pop("latency_ns"), "latency record has no 'latency_ns'"),
    (lambda r: r.update(pins="1"), "latency record: 'pins' is not an int"),
    (lambda r: r["latency_ns"].pop("p99"),
     "latency record: 'latency_ns' has no 'p99'"),
    (lambda r: r.pop("profile"), "record has no 'profile' string"),
])
def test_record_without_a_field_fails(bench, tmp_path, capsys, change,
                                      message):
    recs = records()
    change(recs[2])                 # uio-c's latency, on line 4
    raw = write_raw(tmp_path / "raw.jsonl", recs)
    assert run(bench, tmp_path, raw) == 1
    assert f"raw.jsonl:4: {message}" in capsys.readouterr().err


def test_several_raw_files(bench, tmp_path):
    recs = records()
    smp = write_raw(tmp_path / "smp.jsonl",
                    [r for r in recs if r["profile"] == "smp"])
    amp = write_raw(tmp_path / "amp.jsonl",
                    [r for r in recs if r["profile"] == "amp"])
    assert run(bench, tmp_path, smp, "--raw", str(amp)) == 0
    res = results_of(tmp_path)
    assert res["paths"]["uio-python"]["profile"] == "amp"
    assert res["sgi_raise_rate_hz"] == 500000


DOC = """\
.. SPDX-License-Identifier: GPL-2.0

=====
Title
=====

Hand-written method.

.. bench-results-start

Old generated text.

.. bench-results-end

Hand-written notes below.
"""


def test_doc_keeps_text_outside_markers(bench, tmp_path):
    doc = tmp_path / "doc" / "performance.rst"
    doc.parent.mkdir()
    doc.write_text(DOC)
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 0
    text = doc.read_text()
    head, rest = text.split(".. bench-results-start\n")
    part, tail = rest.split(".. bench-results-end\n")
    assert head == DOC.split(".. bench-results-start\n")[0]
    assert tail == "\nHand-written notes below.\n"
    assert "Old generated text" not in part
    for name in ("latency-cdf", "delivered-vs-rate", "cost-vs-pins"):
        assert f".. image:: images/{name}.png" in part
    assert "``0123abc``" in part and "shift=3,sleep=off" in part
    assert ".. list-table::" in part
    assert "     - 0.40×" in part
    # The same figures give the same file.
    assert run(bench, tmp_path, raw) == 0
    assert doc.read_text() == text


def test_doc_is_created_with_markers(bench, tmp_path):
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw, "--date", "2025-01-31") == 0
    text = (tmp_path / "doc" / "performance.rst").read_text()
    lines = text.splitlines()
    assert lines[2] == lines[4] == "=" * len(lines[3])
    assert "Method\n======\n" in text
    assert text.index("Method") < text.index(".. bench-results-start")
    assert lines[-1] == ".. bench-results-end"
    assert "on 2025-01-31" in text
    assert results_of(tmp_path)["config"]["date"] == "2025-01-31"


def test_doc_with_one_marker_fails(bench, tmp_path, capsys):
    doc = tmp_path / "doc" / "performance.rst"
    doc.parent.mkdir()
    doc.write_text(DOC.replace(".. bench-results-end\n", ""))
    raw = write_raw(tmp_path / "raw.jsonl", records())
    assert run(bench, tmp_path, raw) == 1
    assert "bench-results-end" in capsys.readouterr().err
    assert doc.read_text() == DOC.replace(".. bench-results-end\n", "")


def test_plot_files(bench, tmp_path):
    recs = records() + [cost("smp", "uio-c", 5000 + pins * 100, pins=pins)
                        for pins in (2, 4)]
    raw = write_raw(tmp_path / "raw.jsonl", recs)
    groups = bench.group(bench.read_raw([str(raw)]))
    res = bench.build_results(groups, "x", "shift=3,sleep=off")
    series = bench.plot_series(groups, res)
    assert [t for t, _ in series["latency-cdf"]] == [
        "pynq-irq-text", "pynq-irq-binary", "uio-c", "uio-python"]
    assert series["latency-cdf"][2][1] == [(20.0, 0.0), (40.0, 0.5),
                                           (200.0, 1.0)]
    assert [t for t, _ in series["delivered-vs-rate"]] == [
        "pynq-irq-binary", "uio-c"]
    cost_lines = dict(series["cost-vs-pins"])
    assert cost_lines["pynq-irq-binary"][-1] == (32, 2.15)
    assert cost_lines["uio-c"] == [(1, 5.0), (2, 5.2), (4, 5.4)]
    plots = tmp_path / "plots"
    assert bench.write_plot_files(series, str(plots), "png") == [
        "latency-cdf.gp", "delivered-vs-rate.gp", "cost-vs-pins.gp"]
    gp = (plots / "cost-vs-pins.gp").read_text()
    assert "set terminal png size 900,560" in gp
    assert "set output '../cost-vs-pins.png'" in gp
    assert "index 1" in gp and "title 'uio-c'" in gp
    dat = (plots / "delivered-vs-rate.dat").read_text()
    assert "# uio-c\n10 1\n20 1\n50 0.6\n100 0.3\n" in dat
