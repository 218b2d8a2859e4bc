"""GraphQL enums; each value is the Japanese text stored in the read model."""

from __future__ import annotations

import graphene


class Category(graphene.Enum):  # type: ignore[misc]
    FOOD = "食品類"
    DAILY_GOODS = "日用品"


class StorageCondition(graphene.Enum):  # type: ignore[misc]
    AMBIENT = "常温"
    CHILLED = "冷蔵"
    FROZEN = "冷凍"


class ZoneType(graphene.Enum):  # type: ignore[misc]
    AMBIENT = "常温"
    CHILLED = "冷蔵"
    FROZEN = "冷凍"


class ProductStatus(graphene.Enum):  # type: ignore[misc]
    ACTIVE = "有効"
    DISCONTINUED = "廃止"


class CustomerType(graphene.Enum):  # type: ignore[misc]
    SUPERMARKET = "スーパー"
    CONVENIENCE_STORE = "コンビニ"
    RESTAURANT = "飲食店"
    RETAILER = "小売店"


class CustomerStatus(graphene.Enum):  # type: ignore[misc]
    ACTIVE = "取引中"
    SUSPENDED = "取引停止"


class CompanyKind(graphene.Enum):  # type: ignore[misc]
    OWN = "自社"
    BUSINESS_PARTNER = "取引先企業"


class MovementKind(graphene.Enum):  # type: ignore[misc]
    RECEIPT = "入庫"
    ISSUE = "出庫"
    TRANSFER = "移動"
    ADJUSTMENT = "調整"


class AdjustmentReason(graphene.Enum):  # type: ignore[misc]
    STOCKTAKE_DIFFERENCE = "棚卸差異"
    DAMAGE = "破損"
    EXPIRED = "期限切れ"
    LOSS = "紛失"
    OTHER = "その他"


class TransferDirection(graphene.Enum):  # type: ignore[misc]
    OUT = "OUT"
    IN = "IN"
    RETURN = "RETURN"


class ProductSortField(graphene.Enum):  # type: ignore[misc]
    ID = "商品ID"
    NAME = "商品名"
    SKU = "SKU"
    CREATED_AT = "作成日時"
    UPDATED_AT = "更新日時"


class SortDirection(graphene.Enum):  # type: ignore[misc]
    ASC = "ASC"
    DESC = "DESC"
