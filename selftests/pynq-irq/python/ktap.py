# SPDX-License-Identifier: GPL-2.0
"""A pytest plugin that reports in KTAP, as the kselftest runner reads it.

It replaces pytest's terminal report: it prints the plan, one result line
a test, and a failure's report and a test's output as '# ' lines before
its result. Load it with ``-p ktap`` or ``pytest_plugins = ["ktap"]``.
"""

import sys

import pytest

_out = sys.__stdout__
_state = {"n": 0, "done": set()}


def _say(line):
    _out.write(line + "\n")
    _out.flush()


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        config.pluginmanager.unregister(reporter)


def pytest_collection_finish(session):
    _say("TAP version 13")
    _say(f"1..{len(session.items)}")


def pytest_collectreport(report):
    if report.failed:
        for line in str(report.longrepr).splitlines():
            _say("# " + line)
        _state["n"] += 1
        _say(f"not ok {_state['n']} collect {report.nodeid}")


def pytest_runtest_logreport(report):
    name = report.nodeid.split("::", 1)[-1]
    if report.when == "teardown" and report.failed:
        _state["n"] += 1
        for line in report.longreprtext.splitlines():
            _say("# " + line)
        _say(f"not ok {_state['n']} {name} (teardown)")
        return
    if report.nodeid in _state["done"]:
        return
    if report.when == "call" or report.failed or report.skipped:
        _state["done"].add(report.nodeid)
        _state["n"] += 1
        n = _state["n"]
        for sect, text in report.sections:
            for line in text.splitlines():
                _say(f"# {line}")
        if report.passed:
            _say(f"ok {n} {name}")
        elif report.skipped:
            reason = report.longrepr[2] if isinstance(report.longrepr,
                                                      tuple) else ""
            _say(f"ok {n} {name} # SKIP {reason}")
        else:
            for line in report.longreprtext.splitlines():
                _say("# " + line)
            _say(f"not ok {n} {name}")
