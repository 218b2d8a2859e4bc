"""Closed vocabularies of the business; values are the Japanese terms stored in the read model."""

from __future__ import annotations

from enum import StrEnum


class StorageCondition(StrEnum):
    AMBIENT = "常温"
    CHILLED = "冷蔵"
    FROZEN = "冷凍"

    @property
    def zone_type(self) -> ZoneType:
        """Return the only zone type this condition may be stored in."""
        return ZoneType(self.value)


class ZoneType(StrEnum):
    AMBIENT = "常温"
    CHILLED = "冷蔵"
    FROZEN = "冷凍"

    def accepts(self, condition: StorageCondition) -> bool:
        """Tell whether a product with `condition` may sit in a zone of this type."""
        return self.value == condition.value


class Category(StrEnum):
    FOOD = "食品類"
    DAILY_GOODS = "日用品"


class CustomerType(StrEnum):
    SUPERMARKET = "スーパー"
    CONVENIENCE_STORE = "コンビニ"
    RESTAURANT = "飲食店"
    RETAILER = "小売店"


class CompanyType(StrEnum):
    OWN = "自社"
    PARTNER = "取引先企業"


class ProductStatus(StrEnum):
    ACTIVE = "有効"
    DISCONTINUED = "廃止"


class AdjustmentReason(StrEnum):
    STOCKTAKE_DIFFERENCE = "棚卸差異"
    DAMAGE = "破損"
    EXPIRED = "期限切れ"
    LOSS = "紛失"
    OTHER = "その他"


class TransferDirection(StrEnum):
    OUT = "OUT"
    IN = "IN"
    RETURN = "RETURN"
