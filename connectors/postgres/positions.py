"""Read 投影位置: the last applied sequence number per aggregate (outside any batch)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import psycopg

READ_POSITIONS = "SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = ANY(%s)"


def read_positions(conn: psycopg.Connection[Any], aggregate_ids: Collection[str]) -> dict[str, int]:
    """Return aggregate id -> 適用済シーケンス番号 for those of ``aggregate_ids`` projected."""
    if not aggregate_ids:
        return {}
    rows = conn.execute(READ_POSITIONS, (sorted(aggregate_ids),)).fetchall()
    return {str(row[0]): int(row[1]) for row in rows}
