"""A report as rows under Japanese headers, and its CSV file (UTF-8 with BOM for Excel)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

Cell = str | int | float | None
# Excel reads a CSV without a BOM in the system's code page (Shift_JIS in Japan) and
# garbles every Japanese header; with the BOM it reads UTF-8.
ENCODING = "utf-8-sig"
DEFAULT_DIR = Path("reports")


@dataclass(frozen=True)
class Report:
    """What a report holds: headers, rows, and the line written when there are no rows."""

    name: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[Cell, ...]]
    empty_note: str | None = None
    notes: list[str] = field(default_factory=list)  # printed under the table, not in the CSV


def default_path(name: str, now: datetime, qualifier: str = "") -> Path:
    """Return ``reports/<name>[_<qualifier>]_<YYYYmmdd-HHMMSS>.csv``."""
    stem = "_".join(filter(None, [name, qualifier, now.strftime("%Y%m%d-%H%M%S")]))
    return DEFAULT_DIR / f"{stem}.csv"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(text: str) -> bool:
    """Tell whether a text Excel reads as a value, not a formula (a number, a lone dash)."""
    try:
        float(text)
    except ValueError:
        return text.strip() in ("-", "+")
    return True


def _text(value: Cell) -> str:
    """Return a cell's text; a name Excel would run as a formula is quoted with ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _plain(value):
        return "'" + value  # names come from master data anyone with the Command API writes
    return str(value)


def write_csv(report: Report, path: Path) -> Path:
    """Write ``report`` to ``path`` (parents created): a header row, then the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=ENCODING, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(report.headers)
        writer.writerows([_text(v) for v in row] for row in report.rows)
        if not report.rows and report.empty_note:
            writer.writerow([report.empty_note])
    return path
