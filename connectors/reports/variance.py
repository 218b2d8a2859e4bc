"""在庫差異: the audit's differences as report rows, one per differing figure."""

from __future__ import annotations

from connectors.audit import AuditReport, Difference
from connectors.audit.compare import ABSENT
from connectors.reports.table import Cell, Report

HEADERS = ("検査", "対象", "項目", "読みモデル", "仕訳", "差")
CLEAN = "差異なし"
QUANTITY_CHECK = "在庫数量"


def _number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _rows(d: Difference) -> list[tuple[Cell, ...]]:
    if d.check == QUANTITY_CHECK and d.figures is not None:
        journal, model = d.figures
        pairs = [("現在庫数", journal.on_hand, model.on_hand),
                 ("引当済数", journal.reserved, model.reserved)]  # fmt: skip
        return [(d.check, d.subject, item, m, j, m - j) for item, j, m in pairs if m != j]
    journal_n, model_n = _number(d.event_store), _number(d.read_model)
    if journal_n is not None and model_n is not None:  # 件数, 投影位置: figures on both sides
        return [(d.check, d.subject, d.check, model_n, journal_n, model_n - journal_n)]
    return [(d.check, d.subject, d.check, d.read_model, d.event_store, None)]


def variance(report: AuditReport) -> Report:
    """Return 在庫差異 (read model vs journal): 差 = 読みモデル - 仕訳 where both are figures."""
    rows = [row for d in report.differences for row in _rows(d)]
    scope = (f"{report.aggregates} aggregates in the journal, {report.rows} read-model rows, "
             f"{report.seconds:.1f} s")  # fmt: skip
    notes = [f"{CLEAN} ({scope})" if not rows else f"{len(rows)} 件の差異 ({scope})"]
    return Report("variance", "在庫差異 (読みモデル vs 仕訳)", HEADERS, rows, CLEAN, notes)


__all__ = ["ABSENT", "CLEAN", "HEADERS", "variance"]
