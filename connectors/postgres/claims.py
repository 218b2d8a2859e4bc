"""Claim and lock the 投影位置 rows of a batch's aggregates; read what the lock protects.

A row is claimed before it is locked, in the same transaction: ``INSERT ... 0 ON CONFLICT
DO NOTHING`` waits for any other transaction that inserted the same row and has not
finished, and ``SELECT ... FOR UPDATE`` then waits for any that holds it. So two
projectors (two processes, or a zombie during a rebalance) take turns on an aggregate
even for its first event, where there was no row to lock before, and neither applies
what the other did. Both statements go in 集約ID order, so two claimers never deadlock.

A row still at 0 when the transaction ends (the aggregate is parked, or all its events
failed) is deleted in it: readers never see a committed 0 (see sql/migrations/0008).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import psycopg

from connectors.postgres.stock import Figures

CLAIM = """
INSERT INTO 投影位置 (集約ID, 集約種別, 適用済シーケンス番号, 最終イベントID)
SELECT a, t, 0, '' FROM unnest(%b::text[], %b::text[]) AS u(a, t) ORDER BY a
ON CONFLICT (集約ID) DO NOTHING
"""
LOCK = """
SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置
WHERE 集約ID = ANY(%s) ORDER BY 集約ID FOR UPDATE
"""
PARKED = "SELECT 集約ID, イベントID, 理由 FROM 投影保留 WHERE 集約ID = ANY(%s)"
READ_FIGURES = "SELECT 在庫ID, 現在庫数, 引当済数, 移動中数 FROM 在庫 WHERE 在庫ID = ANY(%s)"
RELEASE = "DELETE FROM 投影位置 WHERE 集約ID = ANY(%s) AND 適用済シーケンス番号 = 0"


class Hold(NamedTuple):
    """Why an aggregate is parked: the event that failed and the reason (from 投影保留)."""

    event_id: str
    reason: str


@dataclass
class Locked:
    """What a transaction read once it held its aggregates' 投影位置 rows."""

    recorded: dict[str, int] = field(default_factory=dict)  # 0 for a row just claimed
    figures: dict[str, Figures] = field(default_factory=dict)
    parked: dict[str, Hold] = field(default_factory=dict)


def lock(
    conn: psycopg.Connection[Any],
    aggregate_ids: Sequence[str],
    types: Mapping[str, str],
    inventory_ids: Sequence[str] = (),
) -> Locked:
    """Claim and lock the rows of ``aggregate_ids`` (those with a known type are claimed).

    The parked aggregates and the 在庫 figures are read after the lock (the pipeline runs
    the statements in order, each in a snapshot of its own), so no other projector and
    no ``zaiko projector retry`` can change them before this transaction ends.
    """
    ids = sorted(aggregate_ids)
    claimed = [a for a in ids if a in types]
    with conn.pipeline(), conn.cursor() as positions, conn.cursor() as parked, \
            conn.cursor() as figures:  # fmt: skip
        if claimed:
            conn.execute(CLAIM, [claimed, [types[a] for a in claimed]])
        positions.execute(LOCK, (ids,))
        parked.execute(PARKED, (ids,))
        if inventory_ids:
            figures.execute(READ_FIGURES, (list(inventory_ids),))
        recorded = {str(a): int(s) for a, s in positions.fetchall()}
        holds = {str(a): Hold(str(e), str(r)) for a, e, r in parked.fetchall()}
        rows = figures.fetchall() if inventory_ids else []
    stock = {row[0]: Figures(row[1], row[2], row[3], exists=True) for row in rows}
    return Locked(recorded, stock, holds)


def release(cursor: psycopg.Cursor[Any], after: Mapping[str, int]) -> None:
    """Delete the claimed rows the transaction leaves at 0 (nothing of theirs applied)."""
    unapplied = sorted(a for a, seq in after.items() if seq == 0)
    if unapplied:
        cursor.execute(RELEASE, (unapplied,))
