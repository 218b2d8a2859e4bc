"""Root fields of the master data: products, warehouses and zones."""

from __future__ import annotations

from typing import Any, TypeAlias

import graphene

from query_gateway import enums, sql
from query_gateway import rows as r
from query_gateway.connections import ProductConnection
from query_gateway.errors import Code, GatewayError
from query_gateway.pagination import Keyset
from query_gateway.root import (
    Filters,
    connection,
    consistent,
    english_list,
    found,
    like_pattern,
    one,
    page_args,
    root_field,
    with_relations,
    zone_key,
)
from query_gateway.types import Product, Warehouse, Zone

Info: TypeAlias = graphene.ResolveInfo
PRODUCT_BY_SKU = (
    f"SELECT {sql.PRODUCT_COLUMNS} FROM 商品 p WHERE p.SKU = %s"
    " ORDER BY p.ステータス = '有効' DESC, p.更新日時 DESC LIMIT 1"
)


class CatalogQuery(graphene.ObjectType):  # type: ignore[misc]
    product = root_field(
        Product,
        "One product by id or by SKU (the active one first).",
        id=graphene.ID(),
        sku=graphene.String(),
    )
    products = root_field(
        ProductConnection,
        "Products, filtered, sorted and paginated.",
        **page_args(
            category=enums.Category(),
            storage_condition=enums.StorageCondition(),
            status=enums.ProductStatus(),
            search=graphene.String(description="in name or SKU"),
            sort_by=enums.ProductSortField(default_value="商品ID"),
            direction=enums.SortDirection(default_value="ASC"),
        ),
    )
    warehouse = root_field(
        Warehouse, "One warehouse by 倉庫コード.", code=graphene.ID(required=True)
    )
    warehouses = root_field(
        graphene.List(graphene.NonNull(Warehouse), required=True),
        "Every warehouse by code.",
        active_only=graphene.Boolean(),
    )
    zone = root_field(Zone, "One zone by id (TKY-01).", id=graphene.ID(required=True))
    zones = root_field(
        graphene.List(graphene.NonNull(Zone), required=True),
        "Zones by id.",
        warehouse_code=graphene.String(),
        zone_type=enums.ZoneType(),
        active_only=graphene.Boolean(),
    )

    @staticmethod
    async def resolve_product(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        id: str | None = None,
        sku: str | None = None,
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        if (id is None) == (sku is None):
            raise GatewayError(Code.VALIDATION_ERROR, "give exactly one of id and sku")
        if id is not None:
            return await one(info, None, "product", id)
        rows = await ctx.db.fetch(PRODUCT_BY_SKU, (sku,))
        product = found(r.english(rows[0], r.PRODUCT) if rows else None, "product SKU", str(sku))
        return await with_relations(info, "product", product)

    @staticmethod
    async def resolve_products(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        ctx = info.context
        filters = Filters()
        filters.equal("p.カテゴリ", f.get("category"))
        filters.equal("p.保管条件", f.get("storage_condition"))
        filters.equal("p.ステータス", f.get("status"))
        if f.get("search"):
            pattern = like_pattern(f["search"])
            filters.add("(p.商品名 ILIKE %s OR p.SKU ILIKE %s)", pattern, pattern)
        # An explicit null is not the default to graphene: it arrives as None.
        sort_by = ctx.value(f.get("sort_by") or "商品ID")
        descending = ctx.value(f.get("direction") or "ASC") == "DESC"
        keyset = Keyset(("商品ID",) if sort_by == "商品ID" else (sort_by, "商品ID"), descending)
        select = f"SELECT {sql.PRODUCT_COLUMNS} FROM 商品 p"
        return await connection(
            info, consistency_token, "product", select, filters, keyset, r.PRODUCT, first, after
        )

    @staticmethod
    async def resolve_warehouse(
        _: Any, info: Info, code: str, consistency_token: str | None = None
    ) -> Any:
        return await one(info, consistency_token, "warehouse", code)

    @staticmethod
    async def resolve_warehouses(
        _: Any, info: Info, consistency_token: str | None = None, active_only: bool | None = None
    ) -> Any:
        await consistent(info, consistency_token)
        where = " WHERE w.有効フラグ" if active_only else ""
        statement = f"SELECT {sql.WAREHOUSE_COLUMNS} FROM 倉庫 w{where} ORDER BY 1"
        return await with_relations(
            info, "warehouse", await english_list(info, statement, r.WAREHOUSE)
        )

    @staticmethod
    async def resolve_zone(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        await consistent(info, consistency_token)
        zone_key(id)
        return await one(info, None, "zone", id)

    @staticmethod
    async def resolve_zones(
        _: Any, info: Info, consistency_token: str | None = None, **f: Any
    ) -> Any:
        await consistent(info, consistency_token)
        filters = Filters()
        filters.equal("z.倉庫コード", f.get("warehouse_code"))
        filters.equal("z.区画タイプ", f.get("zone_type"))
        filters.add("z.有効フラグ", when=bool(f.get("active_only")))
        statement = f"SELECT {sql.ZONE_COLUMNS} FROM 倉庫別区画 z{filters.where()} ORDER BY 1"
        zones = await english_list(info, statement, r.ZONE, filters.params)
        return await with_relations(info, "zone", zones)
