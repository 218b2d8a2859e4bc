"""Read what the audit compares from the read model: ids, 在庫 figures, 投影位置, 投影保留."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import psycopg

from connectors.audit.journal import Quantities

# One row per aggregate of each type; a 倉庫 row with no 倉庫名 is only a placeholder
# left by a zone projected before its warehouse, not a projected warehouse.
ROW_IDS = {
    "product": "SELECT 商品ID FROM 商品",
    "customer": "SELECT 取引先ID FROM 取引先",
    "warehouse": "SELECT 倉庫コード FROM 倉庫 WHERE 倉庫名 IS NOT NULL",
    "warehouse-zone": "SELECT 倉庫コード || '-' || 区画番号 FROM 倉庫別区画",
    "inventory": "SELECT 在庫ID FROM 在庫",
}
STOCK = "SELECT 在庫ID, 現在庫数, 引当済数 FROM 在庫"
# A row at 0 is a claim inside a projector's transaction (never committed): no position.
POSITIONS = "SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置 WHERE 適用済シーケンス番号 > 0"
PARKED = "SELECT 集約ID, 保留シーケンス番号, イベントID, 理由, 試行回数 FROM 投影保留"


@dataclass(frozen=True)
class ParkedRow:
    """An aggregate the projector parked (投影保留): first unapplied event, which, why."""

    sequence_nr: int
    event_id: str
    reason: str
    attempts: int


@dataclass
class ReadModel:
    """The read model's view of every aggregate (ids matching the audit's filter)."""

    rows: dict[str, set[str]] = field(default_factory=dict)
    stock: dict[str, Quantities] = field(default_factory=dict)
    positions: dict[str, int] = field(default_factory=dict)
    parked: dict[str, ParkedRow] = field(default_factory=dict)


def read_model(conn: psycopg.Connection[Any], match: re.Pattern[str] | None = None) -> ReadModel:
    """Return the read model's rows per aggregate type, 在庫 figures and positions."""

    def keep(aggregate_id: str) -> bool:
        return match is None or match.search(aggregate_id) is not None

    model = ReadModel()
    with conn.transaction():  # one snapshot for all the reads
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        for aggregate_type, query in ROW_IDS.items():
            ids = (str(row[0]) for row in conn.execute(query))
            model.rows[aggregate_type] = {i for i in ids if keep(i)}
        for inventory_id, on_hand, reserved in conn.execute(STOCK):
            if keep(inventory_id):
                model.stock[inventory_id] = Quantities(int(on_hand), int(reserved))
        for aggregate_id, seq in conn.execute(POSITIONS):
            if keep(aggregate_id):
                model.positions[aggregate_id] = int(seq)
        for aggregate_id, seq, event_id, reason, attempts in conn.execute(PARKED):
            if keep(aggregate_id):
                model.parked[aggregate_id] = ParkedRow(int(seq), event_id, reason, int(attempts))
    return model
