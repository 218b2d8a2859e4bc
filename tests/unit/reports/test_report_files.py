"""A report's CSV file: BOM first, Japanese headers, the empty note, and JST periods."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from connectors.reports import ENCODING, Period, Report, default_path, write_csv


def test_the_csv_starts_with_the_bom_and_reads_back_as_utf8_sig(tmp_path: Path) -> None:
    report = Report("zone-movements", "区画別受払集計", ("倉庫コード", "区画名", "入庫数量"),
                    [("TKY", "冷蔵区画", 12), ("OSK", None, -3)])  # fmt: skip
    path = write_csv(report, tmp_path / "deep" / "r.csv")
    assert path.read_bytes().startswith("\ufeff倉庫コード".encode())
    with path.open(encoding=ENCODING, newline="") as f:
        assert list(csv.reader(f)) == [["倉庫コード", "区画名", "入庫数量"],
                                       ["TKY", "冷蔵区画", "12"], ["OSK", "", "-3"]]  # fmt: skip


def test_an_empty_report_has_its_header_and_its_note(tmp_path: Path) -> None:
    report = Report("variance", "在庫差異", ("検査", "対象"), [], "差異なし")
    path = write_csv(report, tmp_path / "v.csv")
    assert path.read_bytes().decode(ENCODING) == "検査,対象\r\n差異なし\r\n"


def test_the_default_file_is_under_reports_with_a_timestamp() -> None:
    now = datetime(2026, 12, 3, 9, 5, 7, tzinfo=UTC)
    assert default_path("variance", now) == Path("reports/variance_20261203-090507.csv")
    assert default_path("zone-movements", now, "20261201-20261202") == Path(
        "reports/zone-movements_20261201-20261202_20261203-090507.csv"
    )


def test_a_period_covers_whole_japan_time_days_both_included() -> None:
    period = Period(date(2026, 12, 1), date(2026, 12, 2))
    assert period.start == datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    assert period.label() == "20261201-20261202"
    with pytest.raises(ValueError, match="before it starts"):
        Period(date(2026, 12, 2), date(2026, 12, 1))


def test_a_name_excel_would_run_as_a_formula_is_written_as_text(tmp_path: Path) -> None:
    report = Report(
        "zone-movements",
        "区画別受払集計",
        ("倉庫名", "数量"),
        [('=HYPERLINK("x")', -5), ("@SUM(A1)", 3)],
    )
    path = write_csv(report, tmp_path / "r.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[1:] == [['\'=HYPERLINK("x")', "-5"], ["'@SUM(A1)", "3"]]  # numbers stay numbers
