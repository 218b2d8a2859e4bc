"""投影保留: park an aggregate whose events the read model refuses, list and unpark them.

Parking happens in a transaction of its own, under the aggregate's claimed 投影位置 row
(connectors/postgres/claims.py), so it is ordered with every projector's transactions
and with ``zaiko projector retry``: the row records the first event not applied (the
position + 1, read under that lock), the event that failed, why, and how often it was
tried. A projector that finds the aggregate parked applies none of its events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import psycopg

from connectors.postgres import claims

PARK = """
INSERT INTO 投影保留 (集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由, 試行回数)
VALUES (%s, %s, %s, %s, %s, %s)
ON CONFLICT (集約ID) DO UPDATE SET
    集約種別 = EXCLUDED.集約種別, 保留シーケンス番号 = EXCLUDED.保留シーケンス番号,
    イベントID = EXCLUDED.イベントID, 理由 = EXCLUDED.理由,
    試行回数 = 投影保留.試行回数 + EXCLUDED.試行回数, 更新日時 = now()
RETURNING 集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由, 試行回数, 保留日時, 更新日時
"""
UNPARK = "DELETE FROM 投影保留 WHERE 集約ID = ANY(%s)"
COLUMNS = "集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由, 試行回数, 保留日時, 更新日時"
LIST = f"SELECT {COLUMNS} FROM 投影保留 ORDER BY 保留日時, 集約ID LIMIT %s"
ONE = f"SELECT {COLUMNS} FROM 投影保留 WHERE 集約ID = %s"
COUNT = "SELECT count(*) FROM 投影保留"
COUNT_BY_TYPE = "SELECT 集約種別, count(*) FROM 投影保留 GROUP BY 1"
POSITION = "SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s"


@dataclass(frozen=True)
class Parked:
    """One row of 投影保留."""

    aggregate_id: str
    aggregate_type: str
    sequence_nr: int  # the first event not applied
    event_id: str  # the event that failed
    reason: str
    attempts: int
    parked_at: dt.datetime
    updated_at: dt.datetime

    def as_json(self) -> dict[str, Any]:
        """Return the row as a JSON-ready mapping."""
        document = asdict(self)
        document["parked_at"] = self.parked_at.isoformat()
        document["updated_at"] = self.updated_at.isoformat()
        return document


def park(
    conn: psycopg.Connection[Any],
    aggregate_id: str,
    aggregate_type: str,
    event_id: str,
    event_seq: int,
    reason: str,
    attempts: int,
) -> Parked | None:
    """Park an aggregate at its first unapplied event; None if ``event_seq`` got applied meanwhile.

    ``attempts`` are added to those already recorded when the aggregate is parked already
    (a retry that failed again).
    """
    with conn.transaction(), conn.cursor() as cursor:
        locked = claims.lock(conn, [aggregate_id], {aggregate_id: aggregate_type})
        position = locked.recorded.get(aggregate_id, 0)
        claims.release(cursor, {aggregate_id: position})
        if position >= event_seq:
            return None
        params = (aggregate_id, aggregate_type, position + 1, event_id, reason, attempts)
        row = cursor.execute(PARK, params).fetchone()
    assert row is not None
    return _parked(row)


def unpark(conn: psycopg.Connection[Any], aggregate_id: str, aggregate_type: str) -> bool:
    """Delete an aggregate's 投影保留 row under its 投影位置 lock; return True if it was parked."""
    with conn.transaction(), conn.cursor() as cursor:
        locked = claims.lock(conn, [aggregate_id], {aggregate_id: aggregate_type})
        claims.release(cursor, {aggregate_id: locked.recorded.get(aggregate_id, 0)})
        return cursor.execute(UNPARK, ([aggregate_id],)).rowcount > 0


def applied_position(conn: psycopg.Connection[Any], aggregate_id: str) -> int:
    """Return the aggregate's 投影位置 (0 when none of its events is applied)."""
    row = conn.execute(POSITION, (aggregate_id,)).fetchone()
    return int(row[0]) if row else 0


def list_parked(conn: psycopg.Connection[Any], limit: int = 1000) -> list[Parked]:
    """Return the parked aggregates, oldest first."""
    return [_parked(row) for row in conn.execute(LIST, (limit,)).fetchall()]


def parked_count(conn: psycopg.Connection[Any]) -> int:
    """Return how many aggregates are parked."""
    row = conn.execute(COUNT).fetchone()
    return int(row[0]) if row else 0


def parked_by_type(conn: psycopg.Connection[Any]) -> dict[str, int]:
    """Return how many aggregates are parked, by aggregate type (types with none left out)."""
    return {str(t): int(n) for t, n in conn.execute(COUNT_BY_TYPE).fetchall()}


def find_parked(conn: psycopg.Connection[Any], aggregate_id: str) -> Parked | None:
    """Return the 投影保留 row of one aggregate, or None when it is not parked."""
    row = conn.execute(ONE, (aggregate_id,)).fetchone()
    return None if row is None else _parked(row)


def _parked(row: Any) -> Parked:
    return Parked(str(row[0]), str(row[1]), int(row[2]), str(row[3]), str(row[4]), int(row[5]),
                  row[6], row[7])  # fmt: skip
