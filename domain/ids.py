"""Identifiers and codes: str subclasses that accept exactly one format."""

from __future__ import annotations

import re
from typing import ClassVar, Self

from domain.errors import ValidationError


class PatternStr(str):
    """A string that validates itself against `pattern` on construction."""

    pattern: ClassVar[re.Pattern[str]] = re.compile(r"^.+$")
    label: ClassVar[str] = "value"

    def __new__(cls, value: object) -> Self:
        if not isinstance(value, str) or not cls.pattern.fullmatch(value):
            raise ValidationError(f"invalid {cls.label}: {value!r}", field=cls.label)
        return super().__new__(cls, value)


class CompanyId(PatternStr):
    pattern = re.compile(r"^CMP-\d{4,}$")
    label = "company_id"


class ProductId(PatternStr):
    pattern = re.compile(r"^PRD-\d{6,}$")
    label = "product_id"


class CustomerId(PatternStr):
    pattern = re.compile(r"^CUS-\d{4,}$")
    label = "customer_id"


class WarehouseId(PatternStr):
    """倉庫コード, e.g. TKY, OSK, FUK."""

    pattern = re.compile(r"^[A-Z]{3}$")
    label = "warehouse_id"


class ZoneId(PatternStr):
    """`<倉庫コード>-<区画番号>`, e.g. TKY-01; the zone implies its warehouse."""

    pattern = re.compile(r"^[A-Z]{3}-\d{2}$")
    label = "zone_id"

    @classmethod
    def of(cls, warehouse_id: str, zone_no: str) -> ZoneId:
        """Build the id of zone `zone_no` in `warehouse_id`."""
        return cls(f"{warehouse_id}-{zone_no}")

    @property
    def warehouse_id(self) -> WarehouseId:
        return WarehouseId(self[:3])

    @property
    def zone_no(self) -> str:
        """区画番号, the two digits after the warehouse code."""
        return self[4:]


class InventoryId(PatternStr):
    """`<product id>@<zone id>`: one product in one zone, e.g. PRD-000001@TKY-01."""

    pattern = re.compile(r"^PRD-\d{6,}@[A-Z]{3}-\d{2}$")
    label = "inventory_id"

    @classmethod
    def of(cls, product_id: str, zone_id: str) -> InventoryId:
        """Build the id of `product_id` stocked in `zone_id`."""
        return cls(f"{ProductId(product_id)}@{ZoneId(zone_id)}")

    @property
    def product_id(self) -> ProductId:
        return ProductId(self.split("@", 1)[0])

    @property
    def zone_id(self) -> ZoneId:
        return ZoneId(self.split("@", 1)[1])

    @property
    def warehouse_id(self) -> WarehouseId:
        return self.zone_id.warehouse_id


class ReservationId(PatternStr):
    pattern = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
    label = "reservation_id"


class TransferId(PatternStr):
    pattern = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
    label = "transfer_id"


class Sku(PatternStr):
    pattern = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,31}$")
    label = "sku"
