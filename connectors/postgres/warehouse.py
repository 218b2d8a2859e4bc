"""倉庫 rows from Warehouse events."""

from __future__ import annotations

from typing import Any

from connectors.postgres.writes import MasterHandler, Write
from domain.warehouse.events import (
    CapacityChanged_V1,
    WarehouseActivated_V1,
    WarehouseCreated_V1,
    WarehouseDeactivated_V1,
    WarehouseUpdated_V1,
)
from schemas import EventMeta

# An upsert: the zone projector may have left a placeholder row (倉庫名 NULL) already.
CREATE = """
INSERT INTO 倉庫 (倉庫コード, 倉庫名, 所在地, 延べ床面積, 容量, 有効フラグ, 作成日時, 更新日時)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (倉庫コード) DO UPDATE SET
    倉庫名 = EXCLUDED.倉庫名, 所在地 = EXCLUDED.所在地, 延べ床面積 = EXCLUDED.延べ床面積,
    容量 = EXCLUDED.容量, 有効フラグ = EXCLUDED.有効フラグ, 停止理由 = NULL,
    作成日時 = EXCLUDED.作成日時, 更新日時 = EXCLUDED.更新日時
"""
# A zone whose warehouse is not projected yet gets this row, so the FK can be real.
PLACEHOLDER = "INSERT INTO 倉庫 (倉庫コード) VALUES (%s) ON CONFLICT (倉庫コード) DO NOTHING"
UPDATE = """
UPDATE 倉庫 SET 倉庫名 = %s, 所在地 = %s, 延べ床面積 = %s, 更新日時 = %s WHERE 倉庫コード = %s
"""
ACTIVATE = """
UPDATE 倉庫 SET 有効フラグ = %s, 停止理由 = %s, 更新日時 = %s WHERE 倉庫コード = %s
"""
CHANGE_CAPACITY = "UPDATE 倉庫 SET 容量 = %s, 更新日時 = %s WHERE 倉庫コード = %s"


def _created(meta: EventMeta, e: WarehouseCreated_V1) -> list[Write]:
    at = meta.occurred_at
    params = (e.warehouse_id, e.name, e.location, e.floor_area_m2, e.capacity, e.active)
    return [Write(CREATE, (*params, at, at))]


def _updated(meta: EventMeta, e: WarehouseUpdated_V1) -> list[Write]:
    params = (e.name, e.location, e.floor_area_m2, meta.occurred_at, e.warehouse_id)
    return [Write(UPDATE, params)]


def _activated(meta: EventMeta, e: WarehouseActivated_V1) -> list[Write]:
    return [Write(ACTIVATE, (True, None, meta.occurred_at, e.warehouse_id))]


def _deactivated(meta: EventMeta, e: WarehouseDeactivated_V1) -> list[Write]:
    return [Write(ACTIVATE, (False, e.reason, meta.occurred_at, e.warehouse_id))]


def _capacity_changed(meta: EventMeta, e: CapacityChanged_V1) -> list[Write]:
    return [Write(CHANGE_CAPACITY, (e.capacity, meta.occurred_at, e.warehouse_id))]


HANDLERS: dict[type[Any], MasterHandler] = {
    WarehouseCreated_V1: _created,
    WarehouseUpdated_V1: _updated,
    WarehouseActivated_V1: _activated,
    WarehouseDeactivated_V1: _deactivated,
    CapacityChanged_V1: _capacity_changed,
}
