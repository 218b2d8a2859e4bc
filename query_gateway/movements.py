"""Stock movements (受払履歴), summaries, the low-stock list and the alert state."""

from __future__ import annotations

from typing import Any

import graphene

from query_gateway import enums
from query_gateway.types import Inventory, Product, StockTotals, Warehouse, Zone, related

Row = dict[str, Any]


def _zone_id(code: str | None, number: str | None) -> str | None:
    return None if code is None or number is None else f"{code}-{number}"


class StockMovement(graphene.ObjectType):  # type: ignore[misc]
    """受払履歴: one movement; quantity is signed (+ into this inventory, - out of it)."""

    id = graphene.ID(required=True, description="受払履歴No (the event id)")
    occurred_at = graphene.DateTime(required=True)
    inventory_id = graphene.String(required=True)
    sequence_nr = graphene.Int(required=True)
    product_id = graphene.String(required=True)
    zone_id = graphene.String(required=True)
    kind = graphene.Field(enums.MovementKind, required=True, description="受払区分")
    quantity = graphene.Int(required=True)
    stock_after = graphene.Int(required=True, description="受払後在庫数")
    operator = graphene.String()
    note = graphene.String()
    adjustment_reason = graphene.Field(enums.AdjustmentReason)
    transfer_id = graphene.String()
    transfer_direction = graphene.Field(enums.TransferDirection)
    from_zone_id = graphene.String()
    to_zone_id = graphene.String()
    product = graphene.Field(Product)
    zone = graphene.Field(Zone)

    @staticmethod
    def resolve_zone_id(root: Row, info: graphene.ResolveInfo) -> str | None:
        return _zone_id(root["warehouse_code"], root["zone_no"])

    @staticmethod
    def resolve_from_zone_id(root: Row, info: graphene.ResolveInfo) -> str | None:
        return _zone_id(root["from_warehouse_code"], root["from_zone_no"])

    @staticmethod
    def resolve_to_zone_id(root: Row, info: graphene.ResolveInfo) -> str | None:
        return _zone_id(root["to_warehouse_code"], root["to_zone_no"])

    @staticmethod
    def resolve_product(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "product", info, "product", root["product_id"])

    @staticmethod
    def resolve_zone(root: Row, info: graphene.ResolveInfo) -> Any:
        zone = _zone_id(root["warehouse_code"], root["zone_no"])
        return related(root, "zone", info, "zone", zone)


class LowStockItem(Inventory):
    """An inventory whose available stock is below its zone's threshold."""

    threshold = graphene.Int(required=True, description="区画閾値 (or the default)")
    shortfall = graphene.Int(required=True, description="threshold - available")


class LowStockAlertState(graphene.ObjectType):  # type: ignore[misc]
    """低在庫アラート状態: the alert memory of one inventory.

    Postgres keeps the last alert per inventory, not a history: every alert ever sent
    is on the inventory.alerts topic.
    """

    inventory_id = graphene.String(required=True)
    armed = graphene.Boolean(required=True, description="警告可能: the next drop fires")
    last_evaluated_sequence_nr = graphene.Int(required=True)
    last_available = graphene.Int()
    alert_id = graphene.String(description="<在庫ID>:<発報シーケンス番号> of the last alert")
    fired_sequence_nr = graphene.Int()
    fired_threshold = graphene.Int()
    updated_at = graphene.DateTime(required=True, description="last evaluation")
    inventory = graphene.Field(Inventory)

    @staticmethod
    def resolve_alert_id(root: Row, info: graphene.ResolveInfo) -> str | None:
        fired = root["fired_sequence_nr"]
        return None if fired is None else f"{root['inventory_id']}:{fired}"

    @staticmethod
    def resolve_inventory(root: Row, info: graphene.ResolveInfo) -> Any:
        return info.context.loaders.inventory.load(root["inventory_id"])


class CategorySummary(graphene.ObjectType):  # type: ignore[misc]
    """カテゴリ x 保管条件 (未登録 for products not projected yet)."""

    category = graphene.String(required=True)
    storage_condition = graphene.String(required=True)
    products = graphene.Int(required=True, description="商品数")
    on_hand = graphene.BigInt(required=True)
    reserved = graphene.BigInt(required=True)
    available = graphene.BigInt(required=True)
    in_transit = graphene.BigInt(required=True)


class WarehouseSummary(StockTotals):
    """倉庫別在庫集計."""

    warehouse_code = graphene.String(required=True)
    warehouse = graphene.Field(Warehouse)

    @staticmethod
    def resolve_warehouse(root: Row, info: graphene.ResolveInfo) -> Any:
        return info.context.loaders.warehouse.load(root["warehouse_code"])
