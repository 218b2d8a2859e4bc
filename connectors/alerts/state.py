"""低在庫アラート状態 rows: the durable armed/disarmed state, locked per inventory."""

from __future__ import annotations

from typing import Any

import psycopg

from connectors.alerts.decision import AlertState

# The row is created first so that FOR UPDATE always has a row to lock: two workers
# evaluating one inventory (e.g. during a rebalance) then take turns instead of racing.
ENSURE = "INSERT INTO 低在庫アラート状態 (在庫ID) VALUES (%s) ON CONFLICT (在庫ID) DO NOTHING"
LOCK = """
SELECT 警告可能, 最終評価シーケンス番号, 最終有効在庫数, 発報シーケンス番号, 発報閾値
FROM 低在庫アラート状態 WHERE 在庫ID = %s FOR UPDATE
"""
SAVE = """
UPDATE 低在庫アラート状態
SET 警告可能 = %s, 最終評価シーケンス番号 = %s, 最終有効在庫数 = %s, 発報シーケンス番号 = %s,
    発報閾値 = %s, 更新日時 = now()
WHERE 在庫ID = %s
"""


def lock_state(cursor: psycopg.Cursor[Any], inventory_id: str) -> AlertState:
    """Lock the inventory's row (creating it armed) until the transaction ends; return it."""
    cursor.execute(ENSURE, (inventory_id,))
    row = cursor.execute(LOCK, (inventory_id,)).fetchone()
    if row is None:  # pragma: no cover - ENSURE just made sure it exists
        raise RuntimeError(f"no alert state row for {inventory_id}")
    return AlertState(bool(row[0]), int(row[1]), row[2], row[3], row[4])


def save_state(cursor: psycopg.Cursor[Any], inventory_id: str, state: AlertState) -> None:
    """Write the inventory's new state (in the caller's transaction)."""
    params = (state.armed, state.last_seq, state.last_available, state.fired_seq)
    cursor.execute(SAVE, (*params, state.fired_threshold, inventory_id))
