"""Print ``zaiko bench sweep``'s figures, with PASS/MISS against the issue's targets."""

from __future__ import annotations

import statistics

from rich.console import Console
from rich.table import Table

from bench.report import verdict
from bench.sweep import OLD_SWEEP, REINDEX, Figures

TARGET_DELAY_MS = 1000.0  # no background task may delay a command by more than 1 s


def _spread(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{min(values):,.1f} / {statistics.median(values):,.1f} / {max(values):,.1f} ms"


def _latency(values: list[float]) -> str:
    if not values:
        return "-"
    ranked = sorted(values)
    p99 = ranked[min(len(ranked) - 1, int(len(ranked) * 0.99))]
    median = statistics.median(values)
    return f"n={len(values)} p50 {median:.1f}  p99 {p99:.1f}  max {ranked[-1]:.1f} ms"


def print_figures(f: Figures, open_count: int) -> None:
    """Print the sweep timings, its requests, and command latency per phase."""
    table = Table(title=f"zaiko bench sweep: journal of {f.journal_items:,} items "
                        f"(filled in {f.fill_s:.1f} s)")  # fmt: skip
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    table.add_row(f"index sweep, {open_count} open, in their grace period (min / median / max)",
                  _spread(f.not_due_sweep_ms), "", "")  # fmt: skip
    table.add_row(f"index sweep, {open_count} open and due: drives them", _spread(f.sweep_ms),
                  "", "")  # fmt: skip
    table.add_row("index sweep, none open", _spread(f.empty_sweep_ms), "", "")
    for request, count in sorted(f.sweep_requests.items()):
        table.add_row(f"    requests of one sweep: {request}", str(count), "", "")
    journal_reads = sum(c for r, c in f.sweep_requests.items()
                        if r.split()[0] in ("scan", "query") and r.endswith("journal"))  # fmt: skip
    table.add_row("    Scan/Query on the journal", str(journal_reads), "0",
                  verdict(journal_reads == 0))  # fmt: skip
    for phase, values in f.latency_ms.items():
        # the old sweep is shown for comparison; reindex runs on demand, not in the background
        judged = OLD_SWEEP not in phase and REINDEX not in phase
        ok = max(values, default=0.0) <= TARGET_DELAY_MS
        table.add_row(f"command delay: {phase}", _latency(values),
                      f"max ≤ {TARGET_DELAY_MS:.0f} ms" if judged else "",
                      verdict(ok) if judged else "")  # fmt: skip
    table.add_row(f"{OLD_SWEEP}: {len(f.legacy_page_ms)} Scan pages of 100",
                  _spread(f.legacy_page_ms), "", "")  # fmt: skip
    table.add_row(f"{OLD_SWEEP}, whole pass (extrapolated)", f"{f.legacy_total_s:,.0f} s",
                  "", "")  # fmt: skip
    if f.reindex_s is not None:
        table.add_row("zaiko transfers reindex (one pass, on demand)", f"{f.reindex_s:,.1f} s",
                      "", "")  # fmt: skip
    Console(width=132).print(table)
