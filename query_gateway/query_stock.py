"""Root fields of stock: inventories, movements, summaries, low stock and alert state."""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeAlias

import graphene

from query_gateway import enums, sql
from query_gateway import rows as r
from query_gateway.connections import (
    InventoryConnection,
    LowStockConnection,
    StockMovementConnection,
)
from query_gateway.movements import CategorySummary, LowStockAlertState, WarehouseSummary
from query_gateway.pagination import Keyset
from query_gateway.root import (
    Filters,
    connection,
    consistent,
    english_list,
    one,
    page_args,
    root_field,
    zone_key,
)
from query_gateway.types import Inventory, ZoneUsage

Info: TypeAlias = graphene.ResolveInfo
LOW_STOCK = (
    f'SELECT {sql.INVENTORY_COLUMNS}, coalesce(t.閾値, %s) AS "閾値",'
    ' coalesce(t.閾値, %s) - i.有効在庫数 AS "不足数" FROM 在庫 i'
    " LEFT JOIN 区画別在庫閾値 t USING (倉庫コード, 区画番号)"
)
ALERTS = (
    f"SELECT {sql.ALERT_COLUMNS} FROM 低在庫アラート状態 a WHERE a.発報シーケンス番号 IS NOT NULL"
    " ORDER BY a.更新日時 DESC, a.在庫ID LIMIT %s"
)


def _list(type_: Any) -> graphene.List:
    return graphene.List(graphene.NonNull(type_), required=True)


def _place(filters: Filters, alias: str, warehouse_code: str | None, zone_id: str | None) -> None:
    filters.equal(f"{alias}.倉庫コード", warehouse_code)
    if zone_id is not None:
        filters.add(f"({alias}.倉庫コード, {alias}.区画番号) = (%s, %s)", *zone_key(zone_id))


class StockQuery(graphene.ObjectType):  # type: ignore[misc]
    inventory = root_field(
        Inventory, "One inventory by id (<商品ID>@<区画ID>).", id=graphene.ID(required=True)
    )
    inventories = root_field(
        InventoryConnection,
        "Inventories by id, by product/warehouse/zone.",
        **page_args(
            product_id=graphene.String(),
            warehouse_code=graphene.String(),
            zone_id=graphene.String(),
        ),
    )
    stock_movements = root_field(
        StockMovementConnection,
        "受払履歴, newest first.",
        **page_args(
            product_id=graphene.String(),
            warehouse_code=graphene.String(),
            zone_id=graphene.String(),
            kind=enums.MovementKind(),
            since=graphene.DateTime(description="inclusive"),
            until=graphene.DateTime(description="exclusive"),
        ),
    )
    category_summaries = root_field(_list(CategorySummary), "Totals by カテゴリ x 保管条件.")
    warehouse_summaries = root_field(_list(WarehouseSummary), "Totals by warehouse.")
    zone_summaries = root_field(
        _list(ZoneUsage), "Totals and utilisation by zone.", warehouse_code=graphene.String()
    )
    low_stock = root_field(
        LowStockConnection,
        "Inventories whose available stock is below their zone's threshold"
        " (区画別在庫閾値, else the default), by id.",
        **page_args(warehouse_code=graphene.String(), zone_id=graphene.String()),
    )
    low_stock_alerts = root_field(
        _list(LowStockAlertState),
        "The latest alert of each inventory that ever fired, most"
        " recently evaluated first. Postgres keeps only the alert"
        " state; the full history is the inventory.alerts topic.",
        first=graphene.Int(),
    )

    @staticmethod
    async def resolve_inventory(
        _: Any, info: Info, id: str, consistency_token: str | None = None
    ) -> Any:
        return await one(info, consistency_token, "inventory", id)

    @staticmethod
    async def resolve_inventories(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        filters = Filters()
        filters.equal("i.商品ID", f.get("product_id"))
        _place(filters, "i", f.get("warehouse_code"), f.get("zone_id"))
        select = f"SELECT {sql.INVENTORY_COLUMNS} FROM 在庫 i"
        keyset = Keyset(("在庫ID",))
        return await connection(
            info, consistency_token, "inventory", select, filters, keyset, r.INVENTORY, first, after
        )

    @staticmethod
    async def resolve_stock_movements(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        filters = Filters()
        filters.equal("m.商品ID", f.get("product_id"))
        _place(filters, "m", f.get("warehouse_code"), f.get("zone_id"))
        filters.equal("m.受払区分", f.get("kind"))
        since, until = f.get("since"), f.get("until")
        filters.add("m.受払日時 >= %s", since, when=isinstance(since, dt.datetime))
        filters.add("m.受払日時 < %s", until, when=isinstance(until, dt.datetime))
        select = f"SELECT {sql.MOVEMENT_COLUMNS} FROM 受払履歴 m"
        keyset = Keyset(("受払日時", "受払履歴No"), descending=True)
        return await connection(
            info, consistency_token, "movement", select, filters, keyset, r.MOVEMENT, first, after
        )

    @staticmethod
    async def resolve_category_summaries(
        _: Any, info: Info, consistency_token: str | None = None
    ) -> Any:
        await consistent(info, consistency_token)
        statement = f"SELECT {sql.CATEGORY_COLUMNS} FROM カテゴリ保管条件別在庫集計 s ORDER BY 1, 2"
        return await english_list(info, statement, r.TOTALS)

    @staticmethod
    async def resolve_warehouse_summaries(
        _: Any, info: Info, consistency_token: str | None = None
    ) -> Any:
        await consistent(info, consistency_token)
        columns = sql.select_list("t", "倉庫コード " + sql.TOTALS_COLUMNS)
        statement = f"SELECT {columns} FROM 倉庫別在庫集計 t ORDER BY 1"
        return await english_list(info, statement, r.TOTALS)

    @staticmethod
    async def resolve_zone_summaries(
        _: Any, info: Info, consistency_token: str | None = None, warehouse_code: str | None = None
    ) -> Any:
        await consistent(info, consistency_token)
        filters = Filters()
        filters.equal("u.倉庫コード", warehouse_code)
        statement = f"SELECT {sql.USAGE_COLUMNS} FROM 区画使用率 u{filters.where()} ORDER BY 1, 2"
        return await english_list(info, statement, r.TOTALS, filters.params)

    @staticmethod
    async def resolve_low_stock(
        _: Any,
        info: Info,
        consistency_token: str | None = None,
        first: int | None = None,
        after: str | None = None,
        **f: Any,
    ) -> Any:
        default = info.context.settings.low_stock_default_threshold
        filters = Filters()
        filters.add("i.有効在庫数 < coalesce(t.閾値, %s)", default)
        _place(filters, "i", f.get("warehouse_code"), f.get("zone_id"))
        keyset = Keyset(("在庫ID",))
        return await connection(
            info, consistency_token, "inventory", LOW_STOCK, filters, keyset, r.INVENTORY, first,
            after, (default, default),
        )  # fmt: skip

    @staticmethod
    async def resolve_low_stock_alerts(
        _: Any, info: Info, consistency_token: str | None = None, first: int | None = None
    ) -> Any:
        ctx = await consistent(info, consistency_token)
        return await english_list(info, ALERTS, r.ALERT, (ctx.page_size(first),))
