"""Per-request batch loaders: every relation of a page costs one statement, not one per row.

Resolvers ask a loader for one key; the loader gathers the keys asked for in the same
event-loop tick and runs one statement for all of them (graphene's asyncio DataLoader).
Master rows (商品, 倉庫, 倉庫別区画) come from the Redis cache first (see cache.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from graphene.utils.dataloader import DataLoader

from query_gateway import rows as r
from query_gateway import sql
from query_gateway.cache import MasterCache
from query_gateway.db import Database

Row = dict[str, Any]


def _loader(fn: Callable[[list[Any]], Any]) -> DataLoader:
    async def batch(keys: list[Any]) -> list[Any]:
        values: list[Any] = await fn(keys)
        return values

    return DataLoader(batch)


class Loaders:
    """The loaders of one request (their memo must not outlive it)."""

    def __init__(self, db: Database, cache: MasterCache, min_versions: Mapping[str, int]) -> None:
        self.db = db
        self.cache = cache
        self.min_versions = min_versions
        self.product = _loader(
            lambda ids: self._masters("product", sql.PRODUCTS_BY_ID, "商品ID", r.PRODUCT, ids)
        )
        self.warehouse = _loader(
            lambda ids: self._masters(
                "warehouse", sql.WAREHOUSES_BY_CODE, "倉庫コード", r.WAREHOUSE, ids
            )
        )
        self.zone = _loader(
            lambda ids: self._masters("zone", sql.ZONES_BY_ID, "区画ID", r.ZONE, ids)
        )
        self.inventory = _loader(
            lambda ids: self._one(sql.INVENTORIES_BY_ID, "在庫ID", r.INVENTORY, ids)
        )
        self.company = _loader(lambda ids: self._one(sql.COMPANIES_BY_ID, "企業ID", r.COMPANY, ids))
        self.customer = _loader(
            lambda ids: self._one(sql.CUSTOMERS_BY_ID, "取引先ID", r.CUSTOMER, ids)
        )
        self.inventories_of_product = _loader(
            lambda ids: self._many(sql.INVENTORIES_BY_PRODUCT, (ids,), "商品ID", r.INVENTORY, ids)
        )
        self.zones_of_warehouse = _loader(
            lambda ids: self._many(sql.ZONES_BY_WAREHOUSE, (ids,), "倉庫コード", r.ZONE, ids)
        )
        self.zone_usage = _loader(
            lambda ids: self._one(sql.ZONE_USAGE_BY_ID, "_zone", r.TOTALS, ids)
        )
        self.product_totals = _loader(
            lambda ids: self._one(sql.PRODUCT_TOTALS, "商品ID", r.TOTALS, ids)
        )
        self.warehouse_totals = _loader(
            lambda ids: self._one(sql.WAREHOUSE_TOTALS, "倉庫コード", r.TOTALS, ids)
        )
        # Keys (parent id, limit): the first ``limit`` children of each parent.
        self.inventories_of_zone = _loader(
            lambda keys: self._limited(sql.INVENTORIES_BY_ZONE, "_zone", r.INVENTORY, keys)
        )
        self.customers_of_company = _loader(
            lambda keys: self._limited(sql.CUSTOMERS_BY_COMPANY, "企業ID", r.CUSTOMER, keys)
        )

    async def _masters(
        self, kind: str, statement: str, id_column: str, columns: dict[str, str], ids: list[str]
    ) -> list[Row | None]:
        found = await self.cache.get_many(kind, ids, self.min_versions)
        missing = [i for i in ids if i not in found]
        if missing:
            fills: dict[str, tuple[int, Row]] = {}
            for row in await self.db.fetch(statement, (missing,)):
                version = row.pop("_version")
                found[row[id_column]] = row
                if version is not None:  # a placeholder row has no position: never cached
                    fills[row[id_column]] = (version, row)
            await self.cache.fill_many(kind, fills)
        return [None if (hit := found.get(i)) is None else r.english(hit, columns) for i in ids]

    async def _one(
        self, statement: str, key_column: str, columns: dict[str, str], ids: Sequence[str]
    ) -> list[Row | None]:
        by_key = {
            _key(row, key_column): row for row in await self.db.fetch(statement, (list(ids),))
        }
        return [None if (row := by_key.get(i)) is None else r.english(row, columns) for i in ids]

    async def _many(
        self,
        statement: str,
        params: tuple[Any, ...],
        key_column: str,
        columns: dict[str, str],
        ids: Sequence[str],
    ) -> list[list[Row]]:
        grouped: dict[str, list[Row]] = defaultdict(list)
        for row in await self.db.fetch(statement, (list(ids), *params[1:])):
            grouped[_key(row, key_column)].append(r.english(row, columns))
        return [grouped.get(i, []) for i in ids]

    async def _limited(
        self, statement: str, key_column: str, columns: dict[str, str], keys: list[tuple[str, int]]
    ) -> list[list[Row]]:
        # One statement for the batch, at the largest limit asked; each key is cut to its own.
        parents = sorted({parent for parent, _ in keys})
        largest = max(limit for _, limit in keys)
        grouped = await self._many(statement, (parents, largest), key_column, columns, parents)
        by_parent = dict(zip(parents, grouped, strict=True))
        return [by_parent[parent][:limit] for parent, limit in keys]


def _key(row: Row, column: str) -> str:
    if column == "_zone":
        return r.zone_id(row["倉庫コード"], row["区画番号"])
    return str(row[column])
