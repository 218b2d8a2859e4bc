"""The load's one-line figure: commands, seconds, rate, and its ratio to raw PutItem/s."""

from __future__ import annotations

from simulation.load import LoadReport
from simulation.load_report import format_ratio, ratio_line
from simulation.tally import Row


def test_the_line_reads_as_the_issue_writes_it() -> None:
    line = format_ratio("load", 24_442, 38.2, 925.0)
    assert line == "load: 24,442 commands in 38.2 s (640/s) = 0.69× raw PutItem (925/s, this run)"


def test_a_slow_run_shows_its_small_ratio() -> None:
    line = format_ratio("load", 24_442, 163.0, 1_012.4)
    assert (
        line == "load: 24,442 commands in 163.0 s (150/s) = 0.15× raw PutItem (1,012/s, this run)"
    )


def test_without_a_raw_rate_the_line_has_no_ratio() -> None:
    assert format_ratio("load", 120, 2.0, None) == "load: 120 commands in 2.0 s (60/s)"


def test_the_report_line_counts_every_command_sent() -> None:
    report = LoadReport(seconds=4.0, raw_put_per_s=800.0)
    report.tally.rows["CreateProduct"] = Row(sent=300, accepted=290)
    report.tally.rows["ReceiveStock"] = Row(sent=500, accepted=500)
    assert ratio_line(report) == (
        "load: 800 commands in 4.0 s (200/s) = 0.25× raw PutItem (800/s, this run)"
    )
