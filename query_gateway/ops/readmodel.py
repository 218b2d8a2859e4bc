"""The read model's part of the page: stock and 区画稼働率 by zone, and parked aggregates.

Cost per poll: the 区画使用率 view (one row per zone that holds stock, so bounded by
the master data, not by history), a count of 投影保留 by type and its first
``PARKED_SHOWN`` rows. Statements run on the gateway's pool, each bounded by its timeout.
"""

from __future__ import annotations

from typing import Any

from connectors.postgres.parking import LIST as PARKED_LIST
from connectors.postgres.parking import Parked
from query_gateway import sql
from query_gateway.db import Database
from query_gateway.rows import jsonable

PARKED_SHOWN = 20
MAX_ZONES = 1000
# the Query API's zoneSummaries statement, with the warehouse's name
ZONES = (
    f'SELECT {sql.USAGE_COLUMNS}, w.倉庫名 AS "倉庫名" FROM 区画使用率 u'
    f" LEFT JOIN 倉庫 w ON w.倉庫コード = u.倉庫コード ORDER BY 1, 2 LIMIT {MAX_ZONES}"
)
PARKED_BY_TYPE = (
    'SELECT 集約種別 AS "集約種別", count(*) AS "件数" FROM 投影保留 GROUP BY 1 ORDER BY 1'
)


async def read_zones(db: Database) -> list[dict[str, Any]]:
    """Return one JSON-ready row per zone: its stock figures and 使用率 (0..1 or None)."""
    rows = await db.fetch(ZONES)
    return [{k: jsonable(v) for k, v in row.items()} for row in rows]


async def read_parked(db: Database) -> dict[str, Any]:
    """Return the parked aggregates: counts by type and the oldest ``PARKED_SHOWN`` rows."""
    counts = {row["集約種別"]: int(row["件数"]) for row in await db.fetch(PARKED_BY_TYPE)}
    rows = await db.fetch(PARKED_LIST, (PARKED_SHOWN,)) if counts else []
    # dict rows keep the statement's column order, which Parked's fields follow
    shown = [Parked(*row.values()).as_json() for row in rows]
    return {"total": sum(counts.values()), "by_type": counts, "aggregates": shown}


async def read_all(db: Database) -> dict[str, Any]:
    """Return zones and parked aggregates; ``error`` says why they could not be read."""
    try:
        return {"zones": await read_zones(db), "parked": await read_parked(db), "error": None}
    except Exception as exc:  # shown on the page; the previous figures stay on screen
        return {"error": f"{type(exc).__name__}: {getattr(exc, 'message', exc)}"[:200]}
