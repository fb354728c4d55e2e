#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host-side half of 'make bench': raw board records to results.

The board prints one JSON object a line for every measurement (see
``RECORD_FIELDS`` for the kinds and their fields); this script reads those
lines, picks the headline figures, computes the ratios against ``uio-c``
and the goals, and writes ``results.json``, ``results.md``, the gnuplot
data, scripts and plots, and the generated part of
``Documentation/performance.rst`` (between the ``.. bench-results-start``
and ``.. bench-results-end`` lines; the rest of that file is left alone).
Given a previous ``results.json`` it also prints how every figure moved.

Usage::

    scripts/bench-report.py --raw RAW.jsonl [--raw MORE.jsonl ...] \\
        --out build/bench --doc Documentation/performance.rst \\
        --images Documentation/images --commit SHA \\
        --icount "shift=N,sleep=off" [--previous OLD.json] [--no-plots]

All times are integer nanoseconds of the board's virtual time. Every
profile's figures are kept under ``"profiles"``; the headline ones take the
``smp`` profile's records of a path when there are any, else ``amp``'s
(``--prefer amp`` turns that round), and say which in the path's
``"profile"``. Ratios and
goals compare figures of the same boot. A path no record names is left out;
a figure not measured is null.

results.json has ``paths`` (name to latency_ns, pre_irq_ns,
zero_loss_rate_hz, cpu_ns_per_event, cost_rate_hz, delivered_fraction and
profile), ``scaling`` (pynq-irq-binary's ``pins`` and ``readers`` series),
``sgi_round_trip_ns``, ``sgi_raise_rate_hz``, ``sgi_raise``, ``ratios``
(pynq-irq-binary over uio-c: p50, p99, zero_loss_rate), ``goals``,
``config`` (kernel, icount, commit, date, the config records by profile)
and ``profiles`` (each profile's paths, scaling, scaling_by_path, ratios
and SGI figures).

Standard library only; the plots need gnuplot (Debian's gnuplot-nox).
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import textwrap

# The paths, in the order the tables list them; others follow, sorted.
PATH_ORDER = ("pynq-irq-text", "pynq-irq-binary", "pynq-irq-epoll32",
              "uio-c", "uio-python", "pynq-irq-python")
BINARY = "pynq-irq-binary"
UIO_C = "uio-c"
# The profiles, in the order the headline figures prefer them (--prefer
# puts one first: make bench prefers amp, the board it runs under -icount).
PROFILE_ORDER = ("smp", "amp")
PROFILE_TEXT = {"smp": "Linux on both CPUs",
                "amp": "Linux on CPU0, a bare-metal program on CPU1"}

STATS = ("p50", "p99", "p999", "max")
STAT_TEXT = {"min": "min", "p50": "p50", "p99": "p99", "p999": "p99.9",
             "max": "max"}
# A figure that changed by more than this, in percent, has moved.
MOVED_PCT = 1

MARK_START = ".. bench-results-start"
MARK_END = ".. bench-results-end"
PLOTS = ("latency-cdf", "delivered-vs-rate", "cost-vs-pins")
NONE = "—"

_INT = "int"
_NUM = "number"
_STR = "string"
_OBJ = "object"
# The fields every kind of raw record must have, and their types.
RECORD_FIELDS = {
    "config": {"kernel": _STR},
    "latency": {"path": _STR, "pins": _INT, "readers": _INT,
                "latency_ns": _OBJ},
    "rate": {"path": _STR, "rate_hz": _NUM, "pulses": _INT,
             "delivered": _INT},
    # rate_hz is null when even the ladder's lowest rate lost events.
    "zero_loss": {"path": _STR},
    "cost": {"path": _STR, "pins": _INT, "readers": _INT,
             "cpu_ns_per_event": _NUM},
    "sgi_rtt": {"latency_ns": _OBJ},
    "sgi_raise": {"rate_hz": _NUM},
}
# The statistics a latency_ns object must have.
LATENCY_NEEDS = ("p50", "p99", "max")


class ReportError(Exception):
    """A problem with the input or the environment, said for the user."""


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_num(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value))


_CHECK = {_INT: _is_int, _NUM: _is_num,
          _STR: lambda v: isinstance(v, str) and v != "",
          _OBJ: lambda v: isinstance(v, dict)}


def _reject_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _check_stats(where, rec, field, needs):
    stats = rec.get(field)
    if stats is None and field == "pre_irq_ns":
        return
    if not isinstance(stats, dict):
        raise ReportError(f"{where}: {rec['kind']} record: '{field}' is "
                          "not an object")
    for key in needs:
        if key not in stats:
            raise ReportError(f"{where}: {rec['kind']} record: '{field}' "
                              f"has no '{key}'")
    for key, value in stats.items():
        if not _is_num(value):
            raise ReportError(f"{where}: {rec['kind']} record: "
                              f"'{field}.{key}' is not a number")


def check_record(where, rec):
    """Check that one raw record has the fields its kind needs.

    Args:
        where: ``FILE:LINE`` of the record, for the messages.
        rec: The decoded JSON value of the line.

    Returns:
        True if the record is of a known kind, False if the kind is unknown
        (the caller ignores it).

    Raises:
        ReportError: The record lacks a field or a field has the wrong
            type.
    """
    if not isinstance(rec, dict):
        raise ReportError(f"{where}: a record must be a JSON object, not "
                          f"{type(rec).__name__}")
    for field in ("kind", "profile"):
        if not _CHECK[_STR](rec.get(field)):
            raise ReportError(f"{where}: record has no '{field}' string")
    kind = rec["kind"]
    if kind not in RECORD_FIELDS:
        return False
    for field, typ in RECORD_FIELDS[kind].items():
        if field not in rec:
            raise ReportError(f"{where}: {kind} record has no '{field}'")
        if not _CHECK[typ](rec[field]):
            raise ReportError(f"{where}: {kind} record: '{field}' is not "
                              f"a{'n' if typ[0] in 'aeiou' else ''} {typ}")
    if kind in ("latency", "sgi_rtt"):
        _check_stats(where, rec, "latency_ns", LATENCY_NEEDS)
        cdf = rec.get("cdf", [])
        if (not isinstance(cdf, list)
                or not all(isinstance(p, list) and len(p) == 2
                           and all(_is_num(x) for x in p) for p in cdf)):
            raise ReportError(f"{where}: {kind} record: 'cdf' is not a list "
                              "of [ns, fraction] pairs")
    if kind == "latency":
        _check_stats(where, rec, "pre_irq_ns", ())
    if kind == "zero_loss" and not (rec.get("rate_hz") is None
                                    or _is_num(rec["rate_hz"])):
        raise ReportError(f"{where}: zero_loss record: 'rate_hz' is not a "
                          "number or null")
    if kind == "rate" and rec["pulses"] <= 0:
        raise ReportError(f"{where}: rate record: 'pulses' must be > 0")
    return True


def read_raw(paths):
    """Read the raw record files.

    Args:
        paths: The files, each one JSON object a line; blank lines are
            ignored.

    Returns:
        A list of ``(where, record)`` in file and line order, where
        *where* is ``FILE:LINE``. Records of unknown kinds are left out
        (with a warning on stderr).

    Raises:
        ReportError: A file cannot be read, a line is not JSON, or a
            record is malformed; the message names the file and line.
    """
    records = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise ReportError(f"cannot read raw file {path}: {e}") from e
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                rec = json.loads(line, parse_constant=_reject_constant)
            except ValueError as e:
                raise ReportError(f"{where}: not a JSON record ({e}): "
                                  f"{line[:60]!r}") from e
            if check_record(where, rec):
                records.append((where, rec))
            else:
                print(f"bench-report: {where}: ignoring a record of unknown "
                      f"kind {rec['kind']!r}", file=sys.stderr)
    if not records:
        raise ReportError("no records in " + ", ".join(paths))
    return records


def _ordered(names, order):
    return sorted(names, key=lambda n: (order.index(n) if n in order
                                        else len(order), n))


def group(records):
    """Sort the records by profile and kind.

    A record with the same key as an earlier one (same profile, kind, path,
    pins and readers, or rate) replaces it, with a warning on stderr.

    Args:
        records: What :func:`read_raw` returned.

    Returns:
        dict of profile name to a dict with ``config``, ``sgi_rtt`` and
        ``sgi_raise`` (a record or None), ``zero_loss`` (path to record),
        ``latency`` and ``cost`` ((path, pins, readers) to record) and
        ``rate`` ((path, rate_hz) to record).
    """
    groups = {}
    seen = {}
    for where, rec in records:
        g = groups.setdefault(rec["profile"], {
            "config": None, "sgi_rtt": None, "sgi_raise": None,
            "zero_loss": {}, "latency": {}, "cost": {}, "rate": {}})
        kind = rec["kind"]
        if kind in ("config", "sgi_rtt", "sgi_raise"):
            table, key = g, kind
        elif kind == "zero_loss":
            table, key = g[kind], rec["path"]
        elif kind == "rate":
            table, key = g[kind], (rec["path"], rec["rate_hz"])
        else:
            table, key = g[kind], (rec["path"], rec["pins"], rec["readers"])
        ident = (rec["profile"], kind, key)
        if ident in seen:
            print(f"bench-report: {where}: replaces the {kind} record at "
                  f"{seen[ident]}", file=sys.stderr)
        seen[ident] = where
        table[key] = rec
    return groups


def _pick(stats, keys=STATS):
    if stats is None:
        return None
    return {k: stats[k] for k in keys if k in stats}


def _ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den


def _round(value, digits=3):
    return None if value is None else round(value, digits)


def path_figures(g, path):
    """Return the headline figures of one path in one profile.

    Args:
        g: One profile of :func:`group`'s result.
        path: The path's name.

    Returns:
        dict with ``latency_ns``, ``pre_irq_ns``, ``zero_loss_rate_hz``,
        ``cpu_ns_per_event``, ``cost_rate_hz`` (the train rate of the
        cost measurement; each None when not measured) and
        ``delivered_fraction`` (``[rate_hz, fraction]`` pairs by rate).
    """
    lat = g["latency"].get((path, 1, 1))
    cost = g["cost"].get((path, 1, 1))
    zero = g["zero_loss"].get(path)
    rates = sorted((r, rec) for (p, r), rec in g["rate"].items() if p == path)
    return {
        "latency_ns": _pick(lat["latency_ns"]) if lat else None,
        "pre_irq_ns": dict(lat["pre_irq_ns"])
        if lat and lat.get("pre_irq_ns") is not None else None,
        "zero_loss_rate_hz": zero["rate_hz"] if zero else None,
        "cpu_ns_per_event": cost["cpu_ns_per_event"] if cost else None,
        "cost_rate_hz": cost.get("rate_hz") if cost else None,
        "delivered_fraction": [[r, round(rec["delivered"] / rec["pulses"], 6)]
                               for r, rec in rates],
    }


def scaling_series(g, path):
    """Return the pin and reader scaling series of one path.

    Args:
        g: One profile of :func:`group`'s result.
        path: The path's name.

    Returns:
        dict with ``pins`` (the points with one reader, by pins) and
        ``readers`` (the points with one pin, by readers); each point has
        the count, ``latency_ns`` and ``cpu_ns_per_event`` (None when not
        measured). The 1-pin, 1-reader point is in both.
    """
    out = {}
    for axis, index, other in (("pins", 1, 2), ("readers", 2, 1)):
        counts = sorted({key[index] for table in (g["latency"], g["cost"])
                         for key in table
                         if key[0] == path and key[other] == 1})
        points = []
        for n in counts:
            key = (path, n, 1) if axis == "pins" else (path, 1, n)
            lat = g["latency"].get(key)
            cost = g["cost"].get(key)
            points.append({
                axis: n,
                "latency_ns": _pick(lat["latency_ns"]) if lat else None,
                "cpu_ns_per_event": cost["cpu_ns_per_event"] if cost
                else None})
        out[axis] = points
    return out


def _path_names(g):
    names = {key[0] for kind in ("latency", "cost", "rate")
             for key in g[kind]}
    return _ordered(names | set(g["zero_loss"]), PATH_ORDER)


def ratios(binary, uio):
    """Return pynq-irq-binary's figures over uio-c's, rounded.

    Args:
        binary: pynq-irq-binary's :func:`path_figures`, or None.
        uio: uio-c's :func:`path_figures` (same profile), or None.

    Returns:
        dict with ``p50``, ``p99`` and ``zero_loss_rate``, each only where
        both figures exist.
    """
    out = {}
    if not binary or not uio:
        return out
    lb, lu = binary["latency_ns"] or {}, uio["latency_ns"] or {}
    for stat in ("p50", "p99"):
        r = _ratio(lb.get(stat), lu.get(stat))
        if r is not None:
            out[stat] = round(r, 3)
    r = _ratio(binary["zero_loss_rate_hz"], uio["zero_loss_rate_hz"])
    if r is not None:
        out["zero_loss_rate"] = round(r, 3)
    return out


def profile_results(g):
    """Return every figure of one profile.

    Args:
        g: One profile of :func:`group`'s result.

    Returns:
        dict with ``paths`` (name to :func:`path_figures`), ``scaling``
        (pynq-irq-binary's :func:`scaling_series`), ``scaling_by_path``
        (the other paths that have a series beyond the headline point),
        ``ratios`` and, where measured, ``sgi_round_trip_ns`` and
        ``sgi_raise``.
    """
    paths = {p: path_figures(g, p) for p in _path_names(g)}
    out = {"paths": paths,
           "scaling": scaling_series(g, BINARY) if BINARY in paths
           else {"pins": [], "readers": []},
           "scaling_by_path": {},
           "ratios": ratios(paths.get(BINARY), paths.get(UIO_C))}
    for p in paths:
        series = scaling_series(g, p)
        if p != BINARY and (len(series["pins"]) > 1
                            or len(series["readers"]) > 1):
            out["scaling_by_path"][p] = series
    if g["sgi_rtt"]:
        out["sgi_round_trip_ns"] = _pick(g["sgi_rtt"]["latency_ns"])
    if g["sgi_raise"]:
        out["sgi_raise"] = g["sgi_raise"]
    return out


def _goal(text, value, limit, at_most, profile):
    met = None
    if value is not None:
        met = value <= limit if at_most else value >= limit
    return {"goal": text, "value": _round(value), "limit": limit,
            "met": met, "profile": profile if value is not None else None}


def goals(profiles, binary_profile, sgi_profile):
    """Evaluate the goals, each on the figures of one boot.

    Args:
        profiles: Profile name to :func:`profile_results`.
        binary_profile: The profile of the headline pynq-irq-binary
            figures (None if there are none); the goals against uio-c and
            the pin scaling use it.
        sgi_profile: The profile of the headline SGI round trip (None if
            there is none), which the SGI goal compares with that
            profile's pynq-irq-binary latency.

    Returns:
        A list of dicts with ``goal`` (its text), ``value``, ``limit``,
        ``met`` (None when an input is missing) and ``profile``.
    """
    empty = {"paths": {}, "scaling": {"pins": []}}
    pr = profiles.get(binary_profile, empty)
    binary = pr["paths"].get(BINARY) or {}
    uio = pr["paths"].get(UIO_C) or {}
    lb, lu = binary.get("latency_ns") or {}, uio.get("latency_ns") or {}
    out = []
    for stat in ("p50", "p99"):
        out.append(_goal(f"{BINARY} {stat} latency <= 0.5 x {UIO_C}",
                         _ratio(lb.get(stat), lu.get(stat)), 0.5, True,
                         binary_profile))
    out.append(_goal(f"{BINARY} zero-loss rate >= 3 x {UIO_C}",
                     _ratio(binary.get("zero_loss_rate_hz"),
                            uio.get("zero_loss_rate_hz")),
                     3, False, binary_profile))
    costs = {p["pins"]: p["cpu_ns_per_event"]
             for p in pr["scaling"]["pins"]
             if p["cpu_ns_per_event"] is not None}
    flat = None
    if costs.get(1) and 32 in costs:
        flat = max(abs(x - costs[1]) / costs[1] for x in costs.values())
    out.append(_goal(f"{BINARY} CPU cost per event flat within 10 % from "
                     "1 to 32 pins", flat, 0.1, True, binary_profile))
    ps = profiles.get(sgi_profile, empty)
    sgi = (ps.get("sgi_round_trip_ns") or {}).get("p50")
    bp50 = ((ps["paths"].get(BINARY) or {}).get("latency_ns")
            or {}).get("p50")
    out.append(_goal(f"SGI round trip p50 <= 1.3 x {BINARY} p50 latency",
                     _ratio(sgi, bp50), 1.3, True, sgi_profile))
    return out


def build_results(groups, commit, icount, date=None, order=PROFILE_ORDER):
    """Return the contents of results.json.

    Args:
        groups: What :func:`group` returned.
        commit: The commit the module was built from.
        icount: QEMU's ``-icount`` setting of the boards.
        date: The date of the measurement, or None to take the ``date``
            of a config record (None if they have none).
        order: The profiles in the order the headline figures prefer.

    Returns:
        The results, as described in this module's docstring.
    """
    names = _ordered(groups, order)
    profiles = {p: profile_results(groups[p]) for p in names}
    paths = {}
    for path in _ordered({n for p in names for n in profiles[p]["paths"]},
                         PATH_ORDER):
        prof = next(p for p in names if path in profiles[p]["paths"])
        paths[path] = dict(profiles[prof]["paths"][path], profile=prof)
    binary_profile = paths[BINARY]["profile"] if BINARY in paths else None
    sgi_profile = next((p for p in names
                        if "sgi_round_trip_ns" in profiles[p]), None)
    raise_profile = next((p for p in names if "sgi_raise" in profiles[p]),
                         None)
    configs = {p: groups[p]["config"] for p in names if groups[p]["config"]}
    first = next(iter(configs.values()), {})
    if date is None:
        date = next((c["date"] for c in configs.values() if "date" in c),
                    None)
    sgi_raise = profiles[raise_profile]["sgi_raise"] if raise_profile else None
    return {
        "paths": paths,
        "scaling": profiles[binary_profile]["scaling"] if binary_profile
        else {"pins": [], "readers": []},
        "sgi_round_trip_ns": profiles[sgi_profile]["sgi_round_trip_ns"]
        if sgi_profile else None,
        "sgi_raise_rate_hz": sgi_raise["rate_hz"] if sgi_raise else None,
        "sgi_raise": sgi_raise,
        "ratios": profiles[binary_profile]["ratios"] if binary_profile
        else {},
        "goals": goals(profiles, binary_profile, sgi_profile),
        "config": {"kernel": first.get("kernel"), "icount": icount,
                   "commit": commit, "date": date, "profiles": configs,
                   "order": list(names)},
        "profiles": profiles,
    }


# Comparison with a previous run.

def figures(results):
    """Return the numeric figures that a comparison looks at.

    Args:
        results: A results.json (this run's or an older one).

    Returns:
        dict of a dotted name (``paths.uio-c.latency_ns.p50``) to the
        value, in a fixed order: each path's latency, zero-loss rate and
        cost, the scaling series (without the 1-pin, 1-reader point, which
        is the path's own figure), and the SGI figures.
    """
    out = {}

    def add(name, value):
        if _is_num(value):
            out[name] = value

    def stats(prefix, lat):
        if isinstance(lat, dict):
            for stat in STATS:
                add(f"{prefix}.{stat}", lat.get(stat))

    paths = results.get("paths")
    for path, fig in (paths.items() if isinstance(paths, dict) else ()):
        if isinstance(fig, dict):
            stats(f"paths.{path}.latency_ns", fig.get("latency_ns"))
            for key in ("zero_loss_rate_hz", "cpu_ns_per_event"):
                add(f"paths.{path}.{key}", fig.get(key))
    scaling = results.get("scaling")
    for axis in ("pins", "readers"):
        series = scaling.get(axis) if isinstance(scaling, dict) else None
        for point in (series if isinstance(series, list) else ()):
            n = point.get(axis) if isinstance(point, dict) else None
            if not _is_int(n) or n == 1:
                continue
            stats(f"scaling.{axis}.{n}.latency_ns", point.get("latency_ns"))
            add(f"scaling.{axis}.{n}.cpu_ns_per_event",
                point.get("cpu_ns_per_event"))
    stats("sgi_round_trip_ns", results.get("sgi_round_trip_ns"))
    add("sgi_raise_rate_hz", results.get("sgi_raise_rate_hz"))
    return out


def _num(value):
    return f"{value:.10g}" if isinstance(value, float) else str(value)


def _group_of(name):
    parts = name.split(".")
    return ".".join(parts[:{"paths": 2, "scaling": 3}.get(parts[0], 1)])


def _summary(names, allnames):
    """Return *names*, a whole group of *allnames* as ``GROUP.* (N)``."""
    out = []
    for name in names:
        grp = _group_of(name)
        members = [n for n in allnames if _group_of(n) == grp]
        if len(members) == 1 or any(n not in names for n in members):
            out.append(name)
        elif name == members[0]:
            out.append(f"{grp}.* ({len(members)})")
    return ", ".join(out)


def compare(old, new):
    """Compare this run's figures with a previous run's.

    Args:
        old: The previous results.json.
        new: This run's results.

    Returns:
        The lines to print: one for every figure in both, with the old and
        new values and the change in percent, notes of the figures only one
        run has, and a verdict line last.
    """
    fo, fn = figures(old), figures(new)
    common = [name for name in fn if name in fo]
    width = max((len(n) for n in common), default=0)
    lines = []
    moved = []
    for name in common:
        a, b = fo[name], fn[name]
        if a == b:
            pct, text = 0.0, "+0.00 %"
        elif a == 0:
            pct, text = math.inf, "(was 0)"
        else:
            pct = (b - a) * 100 / abs(a)
            text = f"{pct:+.2f} %"
        is_moved = abs(b - a) * 100 > MOVED_PCT * abs(a)
        if is_moved:
            moved.append(f"{name} ({text})")
        lines.append(f"  {name:<{width}}  {_num(a):>12} -> {_num(b):>12}  "
                     f"{text:>9}{'  moved' if is_moved else ''}")
    gone = _summary([n for n in fo if n not in fn], fo)
    added = _summary([n for n in fn if n not in fo], fn)
    if gone:
        lines.append("bench: only in the previous run: " + gone)
    if added:
        lines.append("bench: new in this run: " + added)
    if not common:
        lines.append("bench: no figures in common with the previous run")
    elif moved:
        lines.append(f"bench: {len(moved)} of {len(common)} figures moved "
                     f"more than {MOVED_PCT} %: " + ", ".join(moved))
    else:
        lines.append(f"bench: all {len(common)} figures within {MOVED_PCT} "
                     "% of the previous run")
    return lines


def read_previous(path):
    """Read a previous results.json, if there is one.

    Args:
        path: Its name, or None.

    Returns:
        The decoded results, or None if *path* is None or does not exist,
        or cannot be read (with a warning on stderr).
    """
    if path is None or not os.path.exists(path):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            old = json.load(f)
    except (OSError, ValueError) as e:
        print(f"bench-report: ignoring previous results {path}: {e}",
              file=sys.stderr)
        return None
    if not isinstance(old, dict):
        print(f"bench-report: ignoring previous results {path}: not a "
              "JSON object", file=sys.stderr)
        return None
    return old


# Tables: results.md and the rst part.

def _us(ns, digits=1):
    return NONE if ns is None else f"{ns / 1000:.{digits}f}"


def _khz(hz):
    return NONE if hz is None else f"{hz / 1000:.1f}"


def _times(ratio):
    return NONE if ratio is None else f"{ratio:.2f}×"


def _signed_pct(frac):
    if frac is None:
        return NONE
    text = f"{abs(frac) * 100:.1f} %"
    return ("−" if frac < 0 and text != "0.0 %" else "+") + text


def headline_rows(results):
    """Return the rows of the headline table.

    Args:
        results: What :func:`build_results` returned.

    Returns:
        A header row and one row a path (strings); a path measured only in
        a profile other than the first one is named with it.
    """
    head = ["Path", "p50 (µs)", "p99 (µs)", "p99.9 (µs)", "max (µs)",
            "zero-loss rate (kHz)", "CPU µs/event", f"p50 vs {UIO_C}",
            f"p99 vs {UIO_C}", f"rate vs {UIO_C}"]
    rows = [head]
    first = next((p for p, pr in results["profiles"].items() if pr["paths"]),
                 None)
    for path, fig in results["paths"].items():
        prof = fig["profile"]
        uio = results["profiles"][prof]["paths"].get(UIO_C) or {}
        lat = fig["latency_ns"] or {}
        lu = uio.get("latency_ns") or {}
        name = path if prof == first else f"{path} ({prof})"
        rows.append([name] + [_us(lat.get(s)) for s in STATS] + [
            _khz(fig["zero_loss_rate_hz"]),
            _us(fig["cpu_ns_per_event"], 2),
            _times(_ratio(lat.get("p50"), lu.get("p50"))),
            _times(_ratio(lat.get("p99"), lu.get("p99"))),
            _times(_ratio(fig["zero_loss_rate_hz"],
                          uio.get("zero_loss_rate_hz")))])
    return rows


def scaling_rows(series, axis):
    """Return the rows of one scaling table.

    Args:
        series: The points of :func:`scaling_series` along *axis*.
        axis: ``"pins"`` or ``"readers"``.

    Returns:
        A header row and one row a point (strings).
    """
    rows = [[axis.capitalize(), "p50 (µs)", "p99 (µs)", "max (µs)",
             "CPU µs/event", "cost vs 1"]]
    base = next((p["cpu_ns_per_event"] for p in series if p[axis] == 1),
                None)
    for p in series:
        lat = p["latency_ns"] or {}
        cost = p["cpu_ns_per_event"]
        dev = None
        if cost is not None and base:
            dev = (cost - base) / base
        rows.append([str(p[axis]), _us(lat.get("p50")), _us(lat.get("p99")),
                     _us(lat.get("max")), _us(cost, 2), _signed_pct(dev)])
    return rows


def sgi_rows(results):
    """Return the rows of the SGI table (only a header if none measured).

    Args:
        results: What :func:`build_results` returned.

    Returns:
        A header row and a row a figure (strings).
    """
    rows = [["Figure", "Value"]]
    rtt = results["sgi_round_trip_ns"] or {}
    for stat in STATS:
        if stat in rtt:
            rows.append([f"round trip {STAT_TEXT[stat]} (µs)",
                         _us(rtt[stat])])
    rec = results["sgi_raise"]
    if rec:
        rows.append(["raise rate (kHz)", _khz(rec["rate_hz"])])
        if _is_int(rec.get("raises")) and _is_int(rec.get("cpu1_counted")):
            rows.append(["raised / counted by CPU1",
                         f"{rec['raises']} / {rec['cpu1_counted']}"])
    return rows


def _met(met):
    return {True: "met", False: "not met", None: "not measured"}[met]


def goal_rows(results):
    """Return the rows of the goals table.

    Args:
        results: What :func:`build_results` returned.

    Returns:
        A header row and one row a goal (strings).
    """
    rows = [["Goal", "Value", "Limit", "Result"]]
    for g in results["goals"]:
        value = NONE if g["value"] is None else f"{g['value']:.3f}"
        rows.append([g["goal"], value, f"{g['limit']:g}", _met(g["met"])])
    return rows


def markdown_table(rows):
    """Return *rows* (the first is the header) as a markdown table.

    Args:
        rows: Lists of strings, all as long as the first.

    Returns:
        The table's lines.
    """
    def line(cells):
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    def numeric(cell):
        return cell == NONE or cell[:1] in "0123456789+−"
    right = ["---"] + ["---:" if all(numeric(r[i]) for r in rows[1:])
                       else "---" for i in range(1, len(rows[0]))]
    return [line(rows[0]), line(right)] + [line(r) for r in rows[1:]]


def markdown(results):
    """Return results.md: the tables of *results*.

    Args:
        results: What :func:`build_results` returned.

    Returns:
        The text, ending with a newline.
    """
    cfg = results["config"]
    out = ["# pynq-irq benchmark results", "",
           f"Kernel {cfg['kernel'] or NONE}, icount `{cfg['icount']}`, "
           f"commit `{cfg['commit']}`"
           + (f", {cfg['date']}" if cfg["date"] else "") + ".", ""]
    out += markdown_table(headline_rows(results)) + [""]
    for axis in ("pins", "readers"):
        series = results["scaling"][axis]
        if series:
            out += [f"## {BINARY} scaling with {axis}", ""]
            out += markdown_table(scaling_rows(series, axis)) + [""]
    rows = sgi_rows(results)
    if len(rows) > 1:
        out += ["## SGIs", ""] + markdown_table(rows) + [""]
    out += ["## Goals", ""] + markdown_table(goal_rows(results))
    return "\n".join(out) + "\n"


def rst_table(rows, title):
    """Return *rows* (the first is the header) as an rst list-table.

    Args:
        rows: Lists of strings, all as long as the first.
        title: The table's caption.

    Returns:
        The table's lines.
    """
    out = [f".. list-table:: {title}", "   :header-rows: 1", ""]
    for row in rows:
        out.append(f"   * - {row[0]}")
        out += [f"     - {cell}" for cell in row[1:]]
    return out


def _para(text):
    return textwrap.wrap(text, 76, break_on_hyphens=False) + [""]


def _heading(text, char):
    return [text, char * len(text), ""]


def rst_part(results, images):
    """Return the generated part of performance.rst.

    It depends on *results* only, so that the same figures give the same
    text.

    Args:
        results: What :func:`build_results` returned.
        images: The directory of the plots, relative to the document's.

    Returns:
        The lines that go between the markers.
    """
    cfg = results["config"]
    out = ["", ".. This part is generated by scripts/bench-report.py from "
           "the boards'",
           "   measurements ('make bench'). Edit the text outside the "
           "bench-results",
           "   markers only; the next run replaces what is between them.",
           ""]
    out += _heading("Results", "=")
    out += _para(f"Measured on kernel ``{cfg['kernel'] or 'unknown'}`` "
                 f"in QEMU (icount ``{cfg['icount']}``), module built from "
                 f"commit ``{cfg['commit']}``"
                 + (f", on {cfg['date']}" if cfg["date"] else "") + ".")
    for prof, c in cfg["profiles"].items():
        what = PROFILE_TEXT.get(prof, prof)
        cpus = ""
        if "cpus" in c:
            cpus = f", {c['cpus']} CPU{'' if c['cpus'] == 1 else 's'}"
        out += textwrap.wrap(f"``{prof}``: {what}; kernel "
                             f"``{c['kernel']}``{cpus}.", 76,
                             initial_indent="- ", subsequent_indent="  ",
                             break_on_hyphens=False)
    if cfg["profiles"]:
        out.append("")
    out += _para("Times are in µs of the board's virtual time. Each path "
                 "is shown as measured on the first profile that has it "
                 "(``" + "``, then ``".join(cfg.get("order", []))
                 + "``; named with the profile if not "
                 f"the first); the ratios compare it with ``{UIO_C}`` in "
                 "the same boot.")
    out += _heading("Latency, loss and cost", "-")
    out += rst_table(headline_rows(results),
                     "Latency of one pin with one reader, highest rate "
                     "without loss, CPU time per event") + [""]
    for axis in ("pins", "readers"):
        series = results["scaling"][axis]
        if series:
            out += _heading(f"{BINARY} scaling with {axis}", "-")
            out += rst_table(scaling_rows(series, axis),
                             f"Latency and cost by number of {axis}") + [""]
    rows = sgi_rows(results)
    if len(rows) > 1:
        out += _heading("SGIs between Linux and CPU1", "-")
        out += rst_table(rows, "Round trip user → CPU1 → user, and raises "
                         "per second") + [""]
    out += _heading("Goals", "-")
    out += rst_table(goal_rows(results), "Goals") + [""]
    out += _heading("Plots", "-")
    alts = {"latency-cdf": "Latency distribution of each path",
            "delivered-vs-rate": "Delivered fraction against train rate",
            "cost-vs-pins": "CPU time per event against active pins"}
    for name in PLOTS:
        out += [f".. image:: {images}/{name}.png", f"   :alt: {alts[name]}",
                ""]
    return out


PLACEHOLDER = """\
.. SPDX-License-Identifier: GPL-2.0

====================
pynq-irq performance
====================

Method
======

How the figures below are measured ('make bench'): placeholder text, to be
replaced by the maintainers. Everything outside the bench-results markers is
kept as it is; scripts/bench-report.py rewrites what is between them.

{start}
{end}
"""


def update_doc(path, part):
    """Replace the generated part of the document *path*.

    Everything above the start marker and below the end marker is kept.
    A missing document is created with a placeholder Method section; one
    without markers gets them appended. The file is written only if its
    text changes.

    Args:
        path: The .rst file.
        part: The lines to put between the markers.

    Returns:
        True if the file was written.

    Raises:
        ReportError: The markers are not one start line and one end line
            after it.
    """
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        text = PLACEHOLDER.format(start=MARK_START, end=MARK_END)
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines)
              if line.rstrip() == MARK_START]
    ends = [i for i, line in enumerate(lines) if line.rstrip() == MARK_END]
    if not starts and not ends:
        print(f"bench-report: {path} has no '{MARK_START}' line: appending "
              "the results", file=sys.stderr)
        lines += ["", MARK_START, MARK_END]
        starts, ends = [len(lines) - 2], [len(lines) - 1]
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        raise ReportError(f"{path}: needs one '{MARK_START}' line and one "
                          f"'{MARK_END}' line after it")
    new = lines[:starts[0] + 1] + part + lines[ends[0]:]
    new_text = "\n".join(new) + "\n"
    if os.path.exists(path) and new_text == text:
        return False
    _write(path, new_text)
    return True


def _write(path, text):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


# Plots.

def gnuplot_terminal(exe):
    """Return the PNG terminal gnuplot has: pngcairo, else png.

    Args:
        exe: The gnuplot program.

    Returns:
        The terminal's name.

    Raises:
        ReportError: gnuplot cannot be run or has neither terminal.
    """
    try:
        out = subprocess.run([exe, "-e", "set terminal"], capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise ReportError(f"cannot run {exe}: {e}") from e
    listing = out.stdout + out.stderr
    if "pngcairo" in listing:
        return "pngcairo"
    if " png " in listing:
        return "png"
    raise ReportError(f"{exe} has neither the pngcairo nor the png terminal")


def _quote(text):
    return "'" + text.replace("'", "''") + "'"


def plot_series(groups, results):
    """Return the data of the three plots.

    Args:
        groups: What :func:`group` returned.
        results: What :func:`build_results` returned.

    Returns:
        dict of plot name to a list of ``(title, [(x, y), ...])``, one a
        line, without empty lines.
    """
    cdf, delivered, cost = [], [], []
    for path, fig in results["paths"].items():
        rec = groups[fig["profile"]]["latency"].get((path, 1, 1))
        points = [(ns / 1000, y) for ns, y in (rec or {}).get("cdf", [])
                  if ns > 0]
        if points:
            cdf.append((path, points))
        if fig["delivered_fraction"]:
            delivered.append((path, [(r / 1000, y) for r, y in
                                     fig["delivered_fraction"]]))
    points = [(p["pins"], p["cpu_ns_per_event"] / 1000)
              for p in results["scaling"]["pins"]
              if p["cpu_ns_per_event"] is not None]
    if points:
        cost.append((BINARY, points))
    uio = results["paths"].get(UIO_C)
    if uio:
        g = groups[uio["profile"]]
        points = sorted((k[1], rec["cpu_ns_per_event"] / 1000)
                        for k, rec in g["cost"].items()
                        if k[0] == UIO_C and k[2] == 1)
        if any(pins > 1 for pins, _ in points):
            cost.append((UIO_C, points))
    return {"latency-cdf": cdf, "delivered-vs-rate": delivered,
            "cost-vs-pins": cost}


_PLOT_SETTINGS = {
    "latency-cdf": [
        "set title 'Latency from pulse to reader, one pin, one reader'",
        "set xlabel 'latency (µs)'", "set ylabel 'fraction of events'",
        "set logscale x", "set yrange [0:1.02]", "set key bottom right"],
    "delivered-vs-rate": [
        "set title 'Events delivered against pulse train rate'",
        "set xlabel 'train rate (kHz)'", "set ylabel 'fraction delivered'",
        "set logscale x", "set yrange [0:1.05]", "set key bottom left"],
    "cost-vs-pins": [
        "set title 'CPU time per event against active pins'",
        "set xlabel 'active pins'", "set ylabel 'CPU µs per event'",
        "set logscale x 2", "set xrange [0.8:40]",
        "set xtics (1, 2, 4, 8, 16, 32)", "set yrange [0:*]",
        "set key top left"],
}


def write_plot_files(series, plots_dir, terminal):
    """Write the gnuplot data and script of every plot.

    Each plot NAME gets ``NAME.dat`` (one block a line) and ``NAME.gp``,
    which writes ``../NAME.png`` when run in *plots_dir*.

    Args:
        series: What :func:`plot_series` returned.
        plots_dir: The directory to write them in.
        terminal: The gnuplot terminal, ``pngcairo`` or ``png``.

    Returns:
        The names of the scripts, in :data:`PLOTS` order.
    """
    os.makedirs(plots_dir, exist_ok=True)
    scripts = []
    for name in PLOTS:
        lines = series[name]
        dat = []
        for title, points in lines:
            dat.append(f"# {title}")
            dat += [f"{_num(x)} {_num(y)}" for x, y in points]
            dat += ["", ""]
        _write(os.path.join(plots_dir, f"{name}.dat"), "\n".join(dat) + "\n")
        gp = ["# Generated by scripts/bench-report.py. Run in this "
              f"directory: gnuplot {name}.gp",
              "set encoding utf8",
              f"set terminal {terminal} size 900,560",
              f"set output '../{name}.png'", "set grid"]
        gp += _PLOT_SETTINGS[name]
        if lines:
            style = "linespoints lw 2 pt 7 ps 0.6"
            if name == "latency-cdf":       # up to 200 points a line
                style = "lines lw 2"
            plots = [f"'{name}.dat' index {i} with {style} "
                     f"title {_quote(title)}"
                     for i, (title, _) in enumerate(lines)]
            gp.append("plot " + ", \\\n     ".join(plots))
        else:
            gp += ["unset logscale", "unset xtics", "unset ytics",
                   "set xrange [0:1]", "set yrange [0:1]",
                   "set label 'not measured' at 0.5, 0.5 center",
                   "plot 2 notitle"]
        _write(os.path.join(plots_dir, f"{name}.gp"), "\n".join(gp) + "\n")
        scripts.append(f"{name}.gp")
    return scripts


def make_plots(groups, results, out, images):
    """Write the plots into *out* and copy them into *images*.

    Args:
        groups: What :func:`group` returned.
        results: What :func:`build_results` returned.
        out: The output directory (its ``plots`` directory gets the
            gnuplot files).
        images: The documentation's image directory.

    Raises:
        ReportError: gnuplot is missing or fails.
    """
    exe = shutil.which("gnuplot")
    if exe is None:
        raise ReportError("gnuplot not found: install it (Debian: apt-get "
                          "install gnuplot-nox) or pass --no-plots")
    plots_dir = os.path.join(out, "plots")
    scripts = write_plot_files(plot_series(groups, results), plots_dir,
                               gnuplot_terminal(exe))
    os.makedirs(images, exist_ok=True)
    for name, script in zip(PLOTS, scripts):
        run = subprocess.run([exe, script], cwd=plots_dir, capture_output=True,
                             text=True, stdin=subprocess.DEVNULL, timeout=120)
        png = os.path.join(out, f"{name}.png")
        if run.returncode != 0 or not os.path.exists(png):
            raise ReportError(f"gnuplot failed on {plots_dir}/{script}:\n"
                              + run.stderr.strip())
        shutil.copyfile(png, os.path.join(images, f"{name}.png"))


def parse_args(argv):
    """Parse the command line.

    Args:
        argv: The arguments, without the program name.

    Returns:
        The argparse namespace.
    """
    ap = argparse.ArgumentParser(
        description="Turn the board's raw benchmark records into results.")
    ap.add_argument("--raw", action="append", required=True,
                    metavar="RAW.jsonl",
                    help="raw records, one JSON object a line (repeatable)")
    ap.add_argument("--out", required=True, metavar="DIR",
                    help="where results.json, results.md and plots go")
    ap.add_argument("--doc", required=True, metavar="RST",
                    help="the document whose generated part to rewrite")
    ap.add_argument("--images", required=True, metavar="DIR",
                    help="where the document's copies of the plots go")
    ap.add_argument("--commit", required=True, help="the commit measured")
    ap.add_argument("--icount", required=True,
                    help="QEMU's -icount setting, e.g. shift=N,sleep=off")
    ap.add_argument("--date", help="the date of the measurement (default: "
                    "the config records' date, if any)")
    ap.add_argument("--prefer", choices=PROFILE_ORDER,
                    help="the profile the headline figures come from first")
    ap.add_argument("--previous", metavar="JSON",
                    help="an earlier results.json to compare with")
    ap.add_argument("--no-plots", action="store_true",
                    help="do not run gnuplot")
    return ap.parse_args(argv)


def main(argv=None):
    """Run the script.

    Args:
        argv: The arguments, without the program name (default:
            ``sys.argv[1:]``).

    Returns:
        The exit status: 0, or 1 after an error message on stderr.
    """
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        groups = group(read_raw(args.raw))
        order = PROFILE_ORDER
        if args.prefer:
            order = (args.prefer,) + tuple(p for p in order
                                           if p != args.prefer)
        results = build_results(groups, args.commit, args.icount, args.date,
                                order)
        previous = read_previous(args.previous)
        for path, fig in results["paths"].items():
            rec = groups[fig["profile"]]["latency"].get((path, 1, 1))
            if rec and rec.get("overruns"):
                print(f"bench-report: warning: {path} had {rec['overruns']} "
                      "queue overruns in its latency run", file=sys.stderr)
        os.makedirs(args.out, exist_ok=True)
        if not args.no_plots:
            make_plots(groups, results, args.out, args.images)
        _write(os.path.join(args.out, "results.json"),
               json.dumps(results, indent=2, ensure_ascii=False,
                          allow_nan=False) + "\n")
        md = markdown(results)
        _write(os.path.join(args.out, "results.md"), md)
        images = os.path.relpath(os.path.abspath(args.images),
                                 os.path.dirname(os.path.abspath(args.doc)))
        update_doc(args.doc, rst_part(results, images.replace(os.sep, "/")))
    except ReportError as e:
        print(f"bench-report: error: {e}", file=sys.stderr)
        return 1
    print(md, end="")
    print()
    if previous is None:
        print("bench: no previous results.json to compare with")
    else:
        print(f"bench: compared with {args.previous}")
        print("\n".join(compare(previous, results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
