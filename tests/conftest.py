"""Session-wide hooks: loaded by the xdist controller too, unlike the packages' conftests."""

from __future__ import annotations

import pytest

from tests.faults.harness.counts import COUNTS_PROPERTY, ELAPSED_PROPERTY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print every fault scenario's counts and the fault suite's time, pass or fail."""
    counts: list[str] = []
    elapsed = 0.0
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) != "teardown":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == COUNTS_PROPERTY:
                    counts.append(str(value))
                elif name == ELAPSED_PROPERTY:
                    elapsed = max(elapsed, float(value))
    if not counts:
        return
    terminalreporter.section("fault suite counts")
    for line in counts:
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"fault suite: {elapsed:.0f} s including its stack start")
