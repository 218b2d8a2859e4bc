"""Reports as files (§11.2): 区画別受払集計, 在庫差異 and カテゴリ別・保管条件別集計 as CSV."""

from __future__ import annotations

from connectors.reports.category import category_stock
from connectors.reports.table import ENCODING, Cell, Report, default_path, write_csv
from connectors.reports.variance import variance
from connectors.reports.zone_movements import Period, zone_movements

__all__ = [
    "ENCODING",
    "Cell",
    "Period",
    "Report",
    "category_stock",
    "default_path",
    "variance",
    "write_csv",
    "zone_movements",
]
