"""Root fields of the master data: products, warehouses, zones, customers, companies."""

from __future__ import annotations

from typing import Any, TypeAlias

import graphene

from query_gateway import enums, sql
from query_gateway import rows as r
from query_gateway.connections import CompanyConnection, CustomerConnection, ProductConnection
from query_gateway.errors import Code, GatewayError
from query_gateway.pagination import Keyset, fetch_page
from query_gateway.parties import Company, Customer
from query_gateway.root import (
    Filters,
    consistent,
    english_rows,
    found,
    like_pattern,
    page_args,
    page_with_relations,
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
    customer = root_field(Customer, "One customer by id.", id=graphene.ID(required=True))
    customers = root_field(
        CustomerConnection,
        "Customers by id, filtered.",
        **page_args(
            customer_type=enums.CustomerType(),
            status=enums.CustomerStatus(),
            company_id=graphene.String(),
        ),
    )
    company = root_field(Company, "One company by id.", id=graphene.ID(required=True))
    companies = root_field(
        CompanyConnection,
        "Companies by id, filtered by 企業種別.",
        **page_args(kind=enums.CompanyKind()),
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
            product = found(await ctx.loaders.product.load(id), "product", id)
            return await with_relations(info, "product", product)
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
        ctx = await consistent(info, consistency_token)
        size = ctx.page_size(first)
        filters = Filters()
        for arg, column in (
            ("category", "カテゴリ"),
            ("storage_condition", "保管条件"),
            ("status", "ステータス"),
        ):
            filters.add(f"p.{column} = %s", ctx.value(f.get(arg)), when=f.get(arg) is not None)
        if f.get("search"):
            pattern = like_pattern(f["search"])
            filters.add("(p.商品名 ILIKE %s OR p.SKU ILIKE %s)", pattern, pattern)
        keyset = Keyset((ctx.value(f["sort_by"]), "商品ID"), ctx.value(f["direction"]) == "DESC")
        if keyset.columns[0] == "商品ID":
            keyset = Keyset(("商品ID",), keyset.descending)
        statement = f"SELECT {sql.PRODUCT_COLUMNS} FROM 商品 p{filters.where()}"
        page = await fetch_page(
            ctx.db, statement, filters.params, keyset, size, after, english_rows(r.PRODUCT)
        )
        return await page_with_relations(info, "product", page)

    @staticmethod
    async def resolve_warehouse(
        _: Any, info: Info, code: str, consistency_token: str | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        warehouse = found(await ctx.loaders.warehouse.load(code), "warehouse", code)
        return await with_relations(info, "warehouse", warehouse)

    @staticmethod
    async def resolve_warehouses(
        _: Any, info: Info, consistency_token: str | None = None, active_only: bool | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        where = " WHERE w.有効フラグ" if active_only else ""
        rows = await ctx.db.fetch(f"SELECT {sql.WAREHOUSE_COLUMNS} FROM 倉庫 w{where} ORDER BY 1")
        return await with_relations(
            info, "warehouse", [r.english(row, r.WAREHOUSE) for row in rows]
        )

    @staticmethod
    async def resolve_zone(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        zone_key(id)
        return await with_relations(
            info, "zone", found(await ctx.loaders.zone.load(id), "zone", id)
        )

    @staticmethod
    async def resolve_zones(
        _: Any, info: Info, consistency_token: str | None = None, **f: Any
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        filters = Filters()
        code, kind = f.get("warehouse_code"), f.get("zone_type")
        filters.add("z.倉庫コード = %s", code, when=code is not None)
        filters.add("z.区画タイプ = %s", ctx.value(kind), when=kind is not None)
        filters.add("z.有効フラグ", when=bool(f.get("active_only")))
        statement = f"SELECT {sql.ZONE_COLUMNS} FROM 倉庫別区画 z{filters.where()} ORDER BY 1"
        zones = [r.english(row, r.ZONE) for row in await ctx.db.fetch(statement, filters.params)]
        return await with_relations(info, "zone", zones)

    @staticmethod
    async def resolve_customer(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        customer = found(await ctx.loaders.customer.load(id), "customer", id)
        return await with_relations(info, "customer", customer)

    @staticmethod
    async def resolve_customers(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        size = ctx.page_size(first)
        filters = Filters()
        for arg, column in (
            ("customer_type", "取引先タイプ"),
            ("status", "取引ステータス"),
            ("company_id", "企業ID"),
        ):
            filters.add(f"c.{column} = %s", ctx.value(f.get(arg)), when=f.get(arg) is not None)
        statement = f"SELECT {sql.CUSTOMER_COLUMNS} FROM 取引先 c{filters.where()}"
        page = await fetch_page(
            ctx.db,
            statement,
            filters.params,
            Keyset(("取引先ID",)),
            size,
            after,
            english_rows(r.CUSTOMER),
        )
        return await page_with_relations(info, "customer", page)

    @staticmethod
    async def resolve_company(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        return found(await ctx.loaders.company.load(id), "company", id)

    @staticmethod
    async def resolve_companies(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        kind: Any = None,
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        size = ctx.page_size(first)
        filters = Filters()
        filters.add("k.企業種別 = %s", ctx.value(kind), when=kind is not None)
        statement = f"SELECT {sql.COMPANY_COLUMNS} FROM 企業 k{filters.where()}"
        return await fetch_page(
            ctx.db,
            statement,
            filters.params,
            Keyset(("企業ID",)),
            size,
            after,
            english_rows(r.COMPANY),
        )
