"""Rebuild the Redis cache from the (new) live read model after a swap.

The old entries are removed first: an entry holding a wrong value at the current version
would otherwise survive, since a fill only replaces older versions. Each entry is then
filled at the version 投影位置 records for its aggregate, through the same compare-and-set
as every cache write, so a live projector writing a newer version meanwhile wins.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import psycopg
import redis
from psycopg.rows import dict_row

from connectors.redis import CacheReader, Versioned, VersionedStore
from connectors.redis.keys import PREFIX

# The DDL leaves names unquoted, so their ASCII letters are folded (商品ID is 商品id); the
# cache entries use the spelling of the events' projection (connectors/redis/entries.py).
PRODUCT = """
SELECT t.商品ID AS "商品ID", t.商品名, t.SKU AS "SKU", t.カテゴリ, t.保管条件, t.説明, t.単位,
       t.参考価格, t.JANコード AS "JANコード", t.ステータス, t.廃止理由, t.作成日時, t.更新日時,
       p.適用済シーケンス番号 AS _v
FROM 商品 t JOIN 投影位置 p ON p.集約ID = t.商品ID
"""
WAREHOUSE = """
SELECT t.*, p.適用済シーケンス番号 AS _v FROM 倉庫 t JOIN 投影位置 p ON p.集約ID = t.倉庫コード
"""
ZONE = """
SELECT t.倉庫コード || '-' || t.区画番号 AS "区画ID", t.*, p.適用済シーケンス番号 AS _v
FROM 倉庫別区画 t JOIN 投影位置 p ON p.集約ID = t.倉庫コード || '-' || t.区画番号
"""
INVENTORY = """
SELECT t.在庫ID AS "在庫ID", t.商品ID AS "商品ID", t.倉庫コード, t.区画番号, t.現在庫数, t.引当済数,
       t.有効在庫数, t.最終更新日時, p.適用済シーケンス番号 AS _v
FROM 在庫 t JOIN 投影位置 p ON p.集約ID = t.在庫ID ORDER BY t.商品ID
"""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _versioned(row: dict[str, Any]) -> Versioned:
    version = int(row.pop("_v"))
    return Versioned({k: _plain(v) for k, v in row.items()}, version)


def clear(client: redis.Redis, prefix: str) -> int:
    """Remove every cache key under ``prefix``; return how many."""
    removed = 0
    keys: list[Any] = []
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        keys.append(key)
        if len(keys) >= 1000:
            removed += int(client.unlink(*keys))
            keys = []
    if keys:
        removed += int(client.unlink(*keys))
    return removed


def rebuild_cache(conn: psycopg.Connection[Any], client: redis.Redis, prefix: str = PREFIX) -> int:
    """Refill product, warehouse, zone and per-product inventory entries; return entries set."""
    clear(client, prefix)
    reader = CacheReader(VersionedStore(client), prefix)
    filled = 0
    with conn.cursor(row_factory=dict_row) as cursor:
        masters = ((PRODUCT, reader.fill_product, "商品ID"),
                   (WAREHOUSE, reader.fill_warehouse, "倉庫コード"),
                   (ZONE, reader.fill_zone, "区画ID"))  # fmt: skip
        for query, fill, key in masters:
            for row in cursor.execute(query).fetchall():
                fill(row[key], _versioned(row))
                filled += 1
        per_product: dict[str, dict[str, Versioned]] = defaultdict(dict)
        for row in cursor.execute(INVENTORY).fetchall():
            zone_id = f"{row['倉庫コード']}-{row['区画番号']}"
            per_product[row["商品ID"]][zone_id] = _versioned(row)
    for product_id, rows in per_product.items():
        reader.fill_inventory(product_id, rows)
        filled += len(rows)
    return filled
