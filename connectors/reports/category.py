"""カテゴリ別・保管条件別集計: stock per category and storage condition, with each share."""

from __future__ import annotations

from typing import Any

import psycopg

from connectors.reports.table import Cell, Report

# カテゴリ保管条件別在庫集計 is a view over the per-product sums (sql/migrations/0004).
STOCK_BY_CATEGORY = """
    SELECT カテゴリ, 保管条件, 商品数, 現在庫数, 引当済数, 有効在庫数
    FROM カテゴリ保管条件別在庫集計 ORDER BY カテゴリ, 保管条件"""
HEADERS = ("カテゴリ", "保管条件", "商品数", "現在庫数", "引当済数", "有効在庫数", "構成比(%)")
SUBTOTAL = "小計"
TOTAL = "合計"
FOOD = "食品類"


def _share(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def category_stock(conn: psycopg.Connection[Any]) -> Report:
    """Return stock per カテゴリ x 保管条件, a 小計 per カテゴリ and the 合計.

    構成比 is each row's share of all 現在庫数, so the 食品類 小計's is the 食品類 ratio.
    """
    fetched = conn.execute(STOCK_BY_CATEGORY).fetchall()
    keys = [(str(row[0]), str(row[1])) for row in fetched]
    found = [tuple(int(v) for v in row[2:]) for row in fetched]
    total = [sum(col) for col in zip(*found, strict=True)] if found else [0, 0, 0, 0]
    rows: list[tuple[Cell, ...]] = []
    for category in dict.fromkeys(k[0] for k in keys):
        mine = [(k, f) for k, f in zip(keys, found, strict=True) if k[0] == category]
        for (_, condition), figures in mine:
            rows.append((category, condition, *figures, _share(figures[1], total[1])))
        subtotal = [sum(col) for col in zip(*(f for _, f in mine), strict=True)]
        rows.append((category, SUBTOTAL, *subtotal, _share(subtotal[1], total[1])))
    rows.append((TOTAL, "", *total, 100.0 if total[1] else 0.0))
    food = sum(f[1] for k, f in zip(keys, found, strict=True) if k[0] == FOOD)
    notes = [f"食品類/日用品 比率 (食品類 ÷ 全現在庫数): {_share(food, total[1])} %"]
    return Report("category", "カテゴリ別・保管条件別集計", HEADERS, rows, notes=notes)
