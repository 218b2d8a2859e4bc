"""倉庫別区画 rows from WarehouseZone events."""

from __future__ import annotations

from typing import Any

from connectors.postgres.warehouse import PLACEHOLDER
from connectors.postgres.writes import MasterHandler, Write
from domain.zone.events import (
    ZoneCapacityChanged_V1,
    ZoneCreated_V1,
    ZoneDeactivated_V1,
    ZoneUpdated_V1,
)
from schemas import EventMeta

CREATE = """
INSERT INTO 倉庫別区画 (倉庫コード, 区画番号, 区画名, 区画タイプ, 区画容量, 最低温度, 最高温度,
                        有効フラグ, 作成日時, 更新日時)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (倉庫コード, 区画番号) DO UPDATE SET
    区画名 = EXCLUDED.区画名, 区画タイプ = EXCLUDED.区画タイプ, 区画容量 = EXCLUDED.区画容量,
    最低温度 = EXCLUDED.最低温度, 最高温度 = EXCLUDED.最高温度, 有効フラグ = EXCLUDED.有効フラグ,
    作成日時 = EXCLUDED.作成日時, 更新日時 = EXCLUDED.更新日時
"""
UPDATE = """
UPDATE 倉庫別区画 SET 区画名 = %s, 最低温度 = %s, 最高温度 = %s, 更新日時 = %s
WHERE 倉庫コード = %s AND 区画番号 = %s
"""
DEACTIVATE = """
UPDATE 倉庫別区画 SET 有効フラグ = false, 停止理由 = %s, 更新日時 = %s
WHERE 倉庫コード = %s AND 区画番号 = %s
"""
CHANGE_CAPACITY = """
UPDATE 倉庫別区画 SET 区画容量 = %s, 更新日時 = %s WHERE 倉庫コード = %s AND 区画番号 = %s
"""


def _created(meta: EventMeta, e: ZoneCreated_V1) -> list[Write]:
    at = meta.occurred_at
    temperatures = (e.min_temperature_c, e.max_temperature_c)
    params = (e.warehouse_id, e.zone_no, e.name, str(e.zone_type), e.capacity, *temperatures)
    return [
        Write(PLACEHOLDER, (e.warehouse_id,)),
        Write(CREATE, (*params, e.active, at, at)),
    ]


def _updated(meta: EventMeta, e: ZoneUpdated_V1) -> list[Write]:
    temperatures = (e.min_temperature_c, e.max_temperature_c)
    params = (e.name, *temperatures, meta.occurred_at, e.warehouse_id, e.zone_no)
    return [Write(UPDATE, params)]


def _deactivated(meta: EventMeta, e: ZoneDeactivated_V1) -> list[Write]:
    return [Write(DEACTIVATE, (e.reason, meta.occurred_at, e.warehouse_id, e.zone_no))]


def _capacity_changed(meta: EventMeta, e: ZoneCapacityChanged_V1) -> list[Write]:
    params = (e.capacity, meta.occurred_at, e.warehouse_id, e.zone_no)
    return [Write(CHANGE_CAPACITY, params)]


HANDLERS: dict[type[Any], MasterHandler] = {
    ZoneCreated_V1: _created,
    ZoneUpdated_V1: _updated,
    ZoneDeactivated_V1: _deactivated,
    ZoneCapacityChanged_V1: _capacity_changed,
}
