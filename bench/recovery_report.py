"""Print the recovery benchmark's figures with PASS/MISS against its targets."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bench.recovery import RecoveryFigures
from bench.report import verdict

TARGET_BACK_S = 20.0
TARGET_P99_MS = 500.0


def print_recovery(f: RecoveryFigures, after_s: float) -> None:
    """Print the figures of one run (a benchmark never fails the run on a missed target)."""
    table = Table(title=f"zaiko bench recovery: kill -9 of the worker, journal {f.journal_items:,}"
                        " items")  # fmt: skip
    for column in ("measure", "value", "target", "verdict"):
        table.add_column(column)
    back = "never" if f.back_s is None else f"{f.back_s:.1f} s"
    ok_back = f.back_s is not None and f.back_s <= TARGET_BACK_S
    table.add_row("(1) conditional PutItem/s (serial, raw)", f"{f.put_per_s:,.0f}", "", "")
    table.add_row(f"(2) sending rate = {f.share:.2f} × (1)", f"{f.rate:,.0f}/s", "", "")
    table.add_row("    kill -9 → restarted worker ready", f"{f.restart_s:.1f} s", "", "")
    table.add_row("(3) kill -9 → outcome rate ≥ 90 % of (2)", back, f"≤ {TARGET_BACK_S:.0f} s",
                  verdict(ok_back))  # fmt: skip
    table.add_row(f"(4) p50 produced→outcome, {after_s:.0f} s after (3)", f"{f.p50_ms:.1f} ms",
                  "", "")  # fmt: skip
    table.add_row(f"    p99 ({f.measured:,} commands)", f"{f.p99_ms:.1f} ms",
                  f"≤ {TARGET_P99_MS:.0f} ms", verdict(f.p99_ms <= TARGET_P99_MS))  # fmt: skip
    table.add_row(
        "    slowest command sent before the kill", f"{f.worst_outage_ms:,.0f} ms", "", ""
    )
    if f.state_table is not None:
        table.add_row("    state table (ZAIKO_STATE_TABLE)", "on" if f.state_table else "off",
                      "", "")  # fmt: skip
    if f.reads_to_back is not None:
        table.add_row("    journal key reads (GetItem+BatchGetItem) restart → (3)",
                      f"{f.reads_to_back:,.0f}", "", "")  # fmt: skip
        table.add_row("    state table hits restart → (3)", f"{f.table_hits or 0:,.0f}", "", "")
    table.add_row("    sent / unanswered / rejected", f"{f.sent:,} / {f.unanswered} / {f.rejected}",
                  "… / 0 / 0", verdict(f.unanswered == 0 and f.rejected == 0))  # fmt: skip
    Console().print(table)
