"""What the demo prints after the business day: the read model as people would query it."""

from __future__ import annotations

from typing import Any

import psycopg
from rich.console import Console
from rich.table import Table

from connectors.postgres.conninfo import with_timeouts
from connectors.reports.category import STOCK_BY_CATEGORY

STOCK_BY_WAREHOUSE = """
    SELECT s.倉庫コード, w.倉庫名, s.在庫行数, s.現在庫数, s.引当済数, s.有効在庫数, s.移動中数
    FROM 倉庫別在庫集計 s LEFT JOIN 倉庫 w USING (倉庫コード) ORDER BY s.倉庫コード"""
ZONE_UTILISATION = """
    SELECT 倉庫コード, 区画番号, 区画名, 区画タイプ, 区画容量, 在庫行数, 現在庫数, 有効在庫数,
           round(使用率 * 100, 1) AS 使用率
    FROM 区画使用率 ORDER BY 倉庫コード, 区画番号"""
MOVEMENTS_TODAY = """
    SELECT 受払区分, count(*), sum(abs(受払数量))
    FROM 受払履歴 WHERE 受払日時 >= %s GROUP BY 1 ORDER BY 1"""
ALERTS = """
    SELECT count(*) FILTER (WHERE 発報シーケンス番号 IS NOT NULL),
           count(*) FILTER (WHERE NOT 警告可能)
    FROM 低在庫アラート状態"""


def _table(title: str, conn: psycopg.Connection[Any], sql: str, *params: Any) -> Table:
    table = Table(title=title)
    with conn.cursor() as cur:
        cur.execute(sql, params or None)
        for column in cur.description or ():
            table.add_column(column.name, justify="left" if column.type_code == 25 else "right")
        for row in cur.fetchall():
            table.add_row(*("-" if v is None else f"{v:,}" if isinstance(v, int) else str(v)
                            for v in row))  # fmt: skip
    return table


def print_read_model_summary(console: Console, database_url: str, since: Any) -> None:
    """Print stock by warehouse, zone (with utilisation) and category, the day's movements
    (受払履歴 since ``since``) and the low-stock alerts raised."""
    with psycopg.connect(with_timeouts(database_url), autocommit=True) as conn:
        console.print(_table("倉庫別在庫 (stock by warehouse)", conn, STOCK_BY_WAREHOUSE))
        console.print(_table("区画使用率 (zone utilisation, %)", conn, ZONE_UTILISATION))
        console.print(_table("カテゴリ×保管条件別在庫", conn, STOCK_BY_CATEGORY))
        console.print(_table("本日の受払履歴 (today's movements)", conn, MOVEMENTS_TODAY, since))
        with conn.cursor() as cur:
            cur.execute(ALERTS)
            fired, below = cur.fetchone() or (0, 0)
    console.print(f"低在庫アラート (low-stock alerts): {fired:,} inventories have raised one; "
                  f"{below:,} are below their threshold now")  # fmt: skip
