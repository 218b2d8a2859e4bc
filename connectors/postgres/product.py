"""商品 rows from Product events."""

from __future__ import annotations

from typing import Any

from connectors.postgres.writes import MasterHandler, Write
from domain.product.events import (
    ProductCreated_V1,
    ProductDiscontinued_V1,
    ProductUpdated_V1,
    ProductUpdated_V2,
    StorageConditionChanged_V1,
)
from schemas import EventMeta

CREATE = """
INSERT INTO 商品 (商品ID, 商品名, SKU, カテゴリ, 保管条件, 説明, 単位, 参考価格, ステータス,
                  作成日時, 更新日時)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (商品ID) DO UPDATE SET
    商品名 = EXCLUDED.商品名, SKU = EXCLUDED.SKU, カテゴリ = EXCLUDED.カテゴリ,
    保管条件 = EXCLUDED.保管条件, 説明 = EXCLUDED.説明, 単位 = EXCLUDED.単位,
    参考価格 = EXCLUDED.参考価格, ステータス = EXCLUDED.ステータス,
    作成日時 = EXCLUDED.作成日時, 更新日時 = EXCLUDED.更新日時
"""
UPDATE = """
UPDATE 商品 SET 商品名 = %s, SKU = %s, カテゴリ = %s, 説明 = %s, 単位 = %s, 参考価格 = %s,
                JANコード = %s, 更新日時 = %s
WHERE 商品ID = %s
"""
DISCONTINUE = "UPDATE 商品 SET ステータス = %s, 廃止理由 = %s, 更新日時 = %s WHERE 商品ID = %s"
CHANGE_STORAGE = "UPDATE 商品 SET 保管条件 = %s, 更新日時 = %s WHERE 商品ID = %s"


def _created(meta: EventMeta, e: ProductCreated_V1) -> list[Write]:
    at = meta.occurred_at
    params = (e.product_id, e.name, e.sku, str(e.category), str(e.storage_condition))
    rest = (e.description, e.unit, e.reference_price, str(e.status), at, at)
    return [Write(CREATE, params + rest)]


def _updated(meta: EventMeta, e: ProductUpdated_V1 | ProductUpdated_V2) -> list[Write]:
    jan_code = getattr(e, "jan_code", None)
    params = (e.name, e.sku, str(e.category), e.description, e.unit, e.reference_price, jan_code)
    return [Write(UPDATE, (*params, meta.occurred_at, e.product_id))]


def _discontinued(meta: EventMeta, e: ProductDiscontinued_V1) -> list[Write]:
    return [Write(DISCONTINUE, (str(e.status), e.reason, meta.occurred_at, e.product_id))]


def _storage_changed(meta: EventMeta, e: StorageConditionChanged_V1) -> list[Write]:
    params = (str(e.storage_condition), meta.occurred_at, e.product_id)
    return [Write(CHANGE_STORAGE, params)]


HANDLERS: dict[type[Any], MasterHandler] = {
    ProductCreated_V1: _created,
    ProductUpdated_V1: _updated,
    ProductUpdated_V2: _updated,
    ProductDiscontinued_V1: _discontinued,
    StorageConditionChanged_V1: _storage_changed,
}
