"""区画別受払集計: each zone's 受払 by kind over a period of Japan-time days, with 期首/期末在庫.

The period is ``[from 00:00 JST, to + 1 day 00:00 JST)``: both dates are included whole.
受払履歴 records one signed row per movement; a transfer leg (受払区分 移動) counts as 移動入
when it brings goods into the zone (IN, or RETURN to the source) and 移動出 when it takes
them out. 調整 is signed. 期首/期末在庫数 are the zone's inventories' 受払後在庫数 after their
last movement before each bound (0 for an inventory with none), so per zone
期首 + 入庫 - 出庫 + 移動入 - 移動出 + 調整 = 期末.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from connectors.reports.table import Report

JST = ZoneInfo("Asia/Tokyo")
HEADERS = (
    "倉庫コード", "倉庫名", "区画番号", "区画名", "期首在庫数",
    "入庫件数", "入庫数量", "出庫件数", "出庫数量", "移動入件数", "移動入数量",
    "移動出件数", "移動出数量", "調整件数", "調整数量", "期末在庫数",
)  # fmt: skip
FIRST_FIGURE = HEADERS.index("期首在庫数")

# The stock of every inventory after its last movement before a bound, per zone.
_STOCK_AT = """
    SELECT 倉庫コード, 区画番号, sum(受払後在庫数)::bigint AS 在庫数 FROM (
        SELECT DISTINCT ON (在庫ID) 在庫ID, 倉庫コード, 区画番号, 受払後在庫数
        FROM 受払履歴 WHERE 受払日時 < %(bound)s ORDER BY 在庫ID, シーケンス番号 DESC
    ) last GROUP BY 倉庫コード, 区画番号"""
ZONE_MOVEMENTS = f"""
    WITH 期間 AS (
        SELECT 倉庫コード, 区画番号,
            count(*) FILTER (WHERE 受払区分 = '入庫') AS 入庫件数,
            sum(受払数量) FILTER (WHERE 受払区分 = '入庫') AS 入庫数量,
            count(*) FILTER (WHERE 受払区分 = '出庫') AS 出庫件数,
            -sum(受払数量) FILTER (WHERE 受払区分 = '出庫') AS 出庫数量,
            count(*) FILTER (WHERE 受払区分 = '移動' AND 受払数量 > 0) AS 移動入件数,
            sum(受払数量) FILTER (WHERE 受払区分 = '移動' AND 受払数量 > 0) AS 移動入数量,
            count(*) FILTER (WHERE 受払区分 = '移動' AND 受払数量 < 0) AS 移動出件数,
            -sum(受払数量) FILTER (WHERE 受払区分 = '移動' AND 受払数量 < 0) AS 移動出数量,
            count(*) FILTER (WHERE 受払区分 = '調整') AS 調整件数,
            sum(受払数量) FILTER (WHERE 受払区分 = '調整') AS 調整数量
        FROM 受払履歴 WHERE 受払日時 >= %(start)s AND 受払日時 < %(end)s
        GROUP BY 倉庫コード, 区画番号),
    期首 AS ({_STOCK_AT.replace("%(bound)s", "%(start)s")}),
    期末 AS ({_STOCK_AT.replace("%(bound)s", "%(end)s")}),
    区画一覧 AS (
        SELECT 倉庫コード, 区画番号 FROM 倉庫別区画
        UNION SELECT 倉庫コード, 区画番号 FROM 期末
        UNION SELECT 倉庫コード, 区画番号 FROM 期間)
    SELECT z.倉庫コード, w.倉庫名, z.区画番号, k.区画名, coalesce(期首.在庫数, 0),
        coalesce(入庫件数, 0), coalesce(入庫数量, 0), coalesce(出庫件数, 0), coalesce(出庫数量, 0),
        coalesce(移動入件数, 0), coalesce(移動入数量, 0), coalesce(移動出件数, 0),
        coalesce(移動出数量, 0), coalesce(調整件数, 0), coalesce(調整数量, 0),
        coalesce(期末.在庫数, 0)
    FROM 区画一覧 z
    LEFT JOIN 倉庫 w USING (倉庫コード)
    LEFT JOIN 倉庫別区画 k USING (倉庫コード, 区画番号)
    LEFT JOIN 期間 USING (倉庫コード, 区画番号)
    LEFT JOIN 期首 USING (倉庫コード, 区画番号)
    LEFT JOIN 期末 USING (倉庫コード, 区画番号)
    ORDER BY z.倉庫コード, z.区画番号"""


@dataclass(frozen=True)
class Period:
    """Japan-time days ``first`` to ``last``, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the period ends ({self.last}) before it starts ({self.first})")

    @property
    def start(self) -> datetime:
        """Return the first instant of the period (00:00 JST of ``first``)."""
        return datetime.combine(self.first, time(), JST)

    @property
    def end(self) -> datetime:
        """Return the first instant after the period (00:00 JST the day after ``last``)."""
        return datetime.combine(self.last + timedelta(days=1), time(), JST)

    def label(self) -> str:
        """Return ``YYYYmmdd-YYYYmmdd``."""
        return f"{self.first:%Y%m%d}-{self.last:%Y%m%d}"


def zone_movements(conn: psycopg.Connection[Any], period: Period) -> Report:
    """Return 区画別受払集計 over ``period``: one row per zone, 倉庫コード/区画番号 order."""
    with conn.transaction():  # the three bounds read one snapshot
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        rows = conn.execute(ZONE_MOVEMENTS, {"start": period.start, "end": period.end}).fetchall()
    title = f"区画別受払集計 {period.first:%Y-%m-%d} 〜 {period.last:%Y-%m-%d} (JST, 両日を含む)"
    return Report("zone-movements", title, HEADERS, [tuple(row) for row in rows])
