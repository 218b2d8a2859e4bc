"""Which cache write each event causes, with values named like the read model's columns.

Full-state events (``*Created_V1`` and every stock movement, which states its after-figures)
SET the entry. Partial events (updates, status, capacity and storage changes) PATCH it: the
merge is only exact on top of the previous version, so the script falls back to
invalidating when the cache does not hold that version. Nothing here needs prior state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from connectors.redis import keys
from connectors.redis.versioned import CacheWrite, Mode
from domain.inventory import events as inv
from domain.product import events as prd
from domain.warehouse import events as wh
from domain.zone import events as zn
from schemas import EventMeta

Handler = Callable[[EventMeta, Any, str], CacheWrite]


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _at(meta: EventMeta) -> str:
    return meta.occurred_at.isoformat()


def _write(meta: EventMeta, key: str, field: str, mode: Mode, value: dict[str, Any]) -> CacheWrite:
    return CacheWrite(key, field, mode, meta.sequence_nr, _json(value))


def _product(meta: EventMeta, e: Any, prefix: str) -> CacheWrite:
    key = keys.product_key(e.product_id, prefix)
    stamp = {"更新日時": _at(meta)}
    if isinstance(e, prd.ProductCreated_V1):
        value = {"商品ID": e.product_id, "商品名": e.name, "SKU": e.sku,
                 "カテゴリ": str(e.category), "保管条件": str(e.storage_condition),
                 "説明": e.description, "単位": e.unit,
                 "参考価格": e.reference_price, "JANコード": None, "ステータス": str(e.status),
                 "廃止理由": None, "作成日時": _at(meta)}  # fmt: skip
        return _write(meta, key, keys.STATE_FIELD, Mode.SET, value | stamp)
    if isinstance(e, prd.ProductUpdated_V1 | prd.ProductUpdated_V2):
        patch = {"商品名": e.name, "SKU": e.sku, "カテゴリ": str(e.category), "説明": e.description,
                 "単位": e.unit, "参考価格": e.reference_price,
                 "JANコード": getattr(e, "jan_code", None)}  # fmt: skip
    elif isinstance(e, prd.ProductDiscontinued_V1):
        patch = {"ステータス": str(e.status), "廃止理由": e.reason}
    else:  # StorageConditionChanged_V1
        patch = {"保管条件": str(e.storage_condition)}
    return _write(meta, key, keys.STATE_FIELD, Mode.PATCH, patch | stamp)


def _warehouse(meta: EventMeta, e: Any, prefix: str) -> CacheWrite:
    key = keys.warehouse_key(e.warehouse_id, prefix)
    stamp = {"更新日時": _at(meta)}
    if isinstance(e, wh.WarehouseCreated_V1):
        value = {"倉庫コード": e.warehouse_id, "倉庫名": e.name, "所在地": e.location,
                 "延べ床面積": e.floor_area_m2, "容量": e.capacity, "有効フラグ": e.active,
                 "停止理由": None, "作成日時": _at(meta)}  # fmt: skip
        return _write(meta, key, keys.STATE_FIELD, Mode.SET, value | stamp)
    if isinstance(e, wh.WarehouseUpdated_V1):
        patch = {"倉庫名": e.name, "所在地": e.location, "延べ床面積": e.floor_area_m2}
    elif isinstance(e, wh.WarehouseActivated_V1):
        patch = {"有効フラグ": True, "停止理由": None}
    elif isinstance(e, wh.WarehouseDeactivated_V1):
        patch = {"有効フラグ": False, "停止理由": e.reason}
    else:  # CapacityChanged_V1
        patch = {"容量": e.capacity}
    return _write(meta, key, keys.STATE_FIELD, Mode.PATCH, patch | stamp)


def _zone(meta: EventMeta, e: Any, prefix: str) -> CacheWrite:
    key = keys.zone_key(e.zone_id, prefix)
    stamp = {"更新日時": _at(meta)}
    if isinstance(e, zn.ZoneCreated_V1):
        value = {"区画ID": e.zone_id, "倉庫コード": e.warehouse_id, "区画番号": e.zone_no,
                 "区画名": e.name, "区画タイプ": str(e.zone_type), "区画容量": e.capacity,
                 "最低温度": e.min_temperature_c, "最高温度": e.max_temperature_c,
                 "有効フラグ": e.active, "停止理由": None, "作成日時": _at(meta)}  # fmt: skip
        return _write(meta, key, keys.STATE_FIELD, Mode.SET, value | stamp)
    if isinstance(e, zn.ZoneUpdated_V1):
        patch = {"区画名": e.name, "最低温度": e.min_temperature_c,
                 "最高温度": e.max_temperature_c}  # fmt: skip
    elif isinstance(e, zn.ZoneDeactivated_V1):
        patch = {"有効フラグ": False, "停止理由": e.reason}
    else:  # ZoneCapacityChanged_V1
        patch = {"区画容量": e.capacity}
    return _write(meta, key, keys.STATE_FIELD, Mode.PATCH, patch | stamp)


def _inventory(meta: EventMeta, e: Any, prefix: str) -> CacheWrite:
    key = keys.inventory_key(e.product_id, prefix)
    ids = {"在庫ID": e.inventory_id, "商品ID": e.product_id, "倉庫コード": e.warehouse_id,
           "区画番号": e.zone_id.rpartition("-")[2]}  # fmt: skip
    if isinstance(e, inv.InventoryCreated_V1):
        figures = {"現在庫数": 0, "引当済数": 0, "有効在庫数": 0}
    elif hasattr(e, "on_hand_after"):
        figures = {"現在庫数": e.on_hand_after, "引当済数": e.reserved_after,
                   "有効在庫数": e.available_after}  # fmt: skip
    else:  # TransferCompleted_V1 / StorageConditionViolated_V1: figures unchanged
        return _write(meta, key, e.zone_id, Mode.PATCH, {})
    value = ids | figures | {"最終更新日時": _at(meta)}
    return _write(meta, key, e.zone_id, Mode.SET, value)


def _each(events: tuple[type[Any], ...], handler: Handler) -> dict[type[Any], Handler]:
    return dict.fromkeys(events, handler)


HANDLERS: dict[type[Any], Handler] = {
    **_each((prd.ProductCreated_V1, prd.ProductUpdated_V1, prd.ProductUpdated_V2,
             prd.ProductDiscontinued_V1, prd.StorageConditionChanged_V1), _product),
    **_each((wh.WarehouseCreated_V1, wh.WarehouseUpdated_V1, wh.WarehouseActivated_V1,
             wh.WarehouseDeactivated_V1, wh.CapacityChanged_V1), _warehouse),
    **_each((zn.ZoneCreated_V1, zn.ZoneUpdated_V1, zn.ZoneDeactivated_V1,
             zn.ZoneCapacityChanged_V1), _zone),
    **_each(tuple(c for c in vars(inv).values()
                  if isinstance(c, type) and issubclass(c, inv.InventoryEvent)
                  and c is not inv.InventoryEvent), _inventory),
}  # fmt: skip


def cache_write_for(meta: EventMeta, event: Any, prefix: str = keys.PREFIX) -> CacheWrite | None:
    """Return the conditional write an event causes, or None for an uncached aggregate."""
    handler = HANDLERS.get(type(event))
    return None if handler is None else handler(meta, event, prefix)
