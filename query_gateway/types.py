"""Products, warehouses, zones and inventories, with their relations in both directions."""

from __future__ import annotations

from typing import Any

import graphene

from query_gateway import enums

Row = dict[str, Any]


def _loaders(info: graphene.ResolveInfo) -> Any:
    return info.context.loaders


def related(root: Row, field: str, info: graphene.ResolveInfo, loader: str, key: Any) -> Any:
    """Return the relation prefetched into ``root`` (see prefetch.py), else load it."""
    if field in root:
        return root[field]
    return getattr(info.context.loaders, loader).load(key)


class StockTotals(graphene.ObjectType):  # type: ignore[misc]
    """Summed figures of a product, warehouse or zone (商品別/倉庫別/区画別在庫集計)."""

    on_hand = graphene.BigInt(required=True, description="現在庫数")
    reserved = graphene.BigInt(required=True, description="引当済数")
    available = graphene.BigInt(required=True, description="有効在庫数")
    in_transit = graphene.BigInt(required=True, description="移動中数")
    inventory_rows = graphene.Int(required=True, description="在庫行数")


class Product(graphene.ObjectType):  # type: ignore[misc]
    """商品."""

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    sku = graphene.String(required=True)
    category = graphene.Field(enums.Category, required=True)
    storage_condition = graphene.Field(enums.StorageCondition, required=True)
    description = graphene.String(required=True)
    unit = graphene.String(required=True)
    reference_price = graphene.Int()
    jan_code = graphene.String()
    status = graphene.Field(enums.ProductStatus, required=True)
    discontinued_reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    inventories = graphene.List(
        graphene.NonNull(lambda: Inventory),
        required=True,
        description="The product's stock in each zone it sits in.",
    )
    stock = graphene.Field(StockTotals, description="Totals over every warehouse.")

    @staticmethod
    def resolve_inventories(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "inventories", info, "inventories_of_product", root["id"])

    @staticmethod
    def resolve_stock(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "stock", info, "product_totals", root["id"])


class Warehouse(graphene.ObjectType):  # type: ignore[misc]
    """倉庫 (a placeholder row, projected before its WarehouseCreated, has no name yet)."""

    code = graphene.ID(required=True, description="倉庫コード")
    name = graphene.String()
    location = graphene.String()
    floor_area = graphene.Float(description="延べ床面積 (㎡)")
    capacity = graphene.Int()
    active = graphene.Boolean(required=True)
    deactivation_reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    zones = graphene.List(graphene.NonNull(lambda: Zone), required=True)
    stock = graphene.Field(StockTotals)

    @staticmethod
    def resolve_zones(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "zones", info, "zones_of_warehouse", root["code"])

    @staticmethod
    def resolve_stock(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "stock", info, "warehouse_totals", root["code"])


class ZoneUsage(StockTotals):
    """A zone's totals and utilisation (区画使用率)."""

    zone_id = graphene.ID(required=True)
    capacity = graphene.Int()
    utilisation = graphene.Float(description="現在庫数 / 区画容量; null when capacity is 0")
    zone = graphene.Field(lambda: Zone)

    @staticmethod
    def resolve_zone_id(root: Row, info: graphene.ResolveInfo) -> str:
        return f"{root['warehouse_code']}-{root['zone_no']}"

    @staticmethod
    def resolve_zone(root: Row, info: graphene.ResolveInfo) -> Any:
        zone = f"{root['warehouse_code']}-{root['zone_no']}"
        return related(root, "zone", info, "zone", zone)


class Zone(graphene.ObjectType):  # type: ignore[misc]
    """倉庫別区画; its id is ``<倉庫コード>-<区画番号>``."""

    id = graphene.ID(required=True)
    warehouse_code = graphene.String(required=True)
    zone_no = graphene.String(required=True, description="区画番号")
    name = graphene.String(required=True)
    zone_type = graphene.Field(enums.ZoneType, required=True)
    capacity = graphene.Int(required=True)
    min_temperature = graphene.Float()
    max_temperature = graphene.Float()
    active = graphene.Boolean(required=True)
    deactivation_reason = graphene.String()
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    warehouse = graphene.Field(Warehouse)
    usage = graphene.Field(ZoneUsage, description="Totals and utilisation.")
    inventories = graphene.List(
        graphene.NonNull(lambda: Inventory),
        required=True,
        first=graphene.Int(default_value=20),
        description="The zone's first inventories by product id.",
    )

    @staticmethod
    def resolve_warehouse(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "warehouse", info, "warehouse", root["warehouse_code"])

    @staticmethod
    def resolve_usage(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "usage", info, "zone_usage", root["id"])

    @staticmethod
    def resolve_inventories(root: Row, info: graphene.ResolveInfo, first: int) -> Any:
        size = info.context.page_size(first)
        return _loaders(info).inventories_of_zone.load((root["id"], size))


class Inventory(graphene.ObjectType):  # type: ignore[misc]
    """在庫: one product in one zone; its id is ``<商品ID>@<区画ID>``."""

    id = graphene.ID(required=True)
    product_id = graphene.String(required=True)
    warehouse_code = graphene.String(required=True)
    zone_no = graphene.String(required=True)
    zone_id = graphene.String(required=True)
    on_hand = graphene.Int(required=True, description="現在庫数")
    reserved = graphene.Int(required=True, description="引当済数")
    available = graphene.Int(required=True, description="有効在庫数")
    in_transit = graphene.Int(required=True, description="移動中数")
    updated_at = graphene.DateTime(required=True)
    product = graphene.Field(Product, description="Null while the product is not projected.")
    zone = graphene.Field(Zone, description="Null while the zone is not projected.")
    warehouse = graphene.Field(Warehouse)

    @staticmethod
    def resolve_zone_id(root: Row, info: graphene.ResolveInfo) -> str:
        return f"{root['warehouse_code']}-{root['zone_no']}"

    @staticmethod
    def resolve_product(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "product", info, "product", root["product_id"])

    @staticmethod
    def resolve_zone(root: Row, info: graphene.ResolveInfo) -> Any:
        zone = f"{root['warehouse_code']}-{root['zone_no']}"
        return related(root, "zone", info, "zone", zone)

    @staticmethod
    def resolve_warehouse(root: Row, info: graphene.ResolveInfo) -> Any:
        return related(root, "warehouse", info, "warehouse", root["warehouse_code"])
