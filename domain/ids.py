"""Identifiers and codes: str subclasses that accept exactly one format.

Digits are ASCII `[0-9]`, never `\\d` (which also matches `１` and `٣`), and every
format has a maximum length that fits its read-model column (`domain.limits`).
"""

from __future__ import annotations

import re
from typing import ClassVar, Self

from domain.errors import ValidationError
from domain.limits import (
    CALLER_ID_LENGTH,
    COMPANY_DIGITS,
    CUSTOMER_DIGITS,
    PRODUCT_DIGITS,
    SKU_LENGTH,
    ZONE_DIGITS,
)

_PRODUCT = f"PRD-[0-9]{{{PRODUCT_DIGITS[0]},{PRODUCT_DIGITS[1]}}}"
_ZONE = f"[A-Z]{{3}}-[0-9]{{{ZONE_DIGITS}}}"
_CALLER = f"[A-Za-z0-9_.:-]{{1,{CALLER_ID_LENGTH}}}"


class PatternStr(str):
    """A string that validates itself against `pattern` on construction."""

    pattern: ClassVar[re.Pattern[str]] = re.compile(r"^.+$")
    label: ClassVar[str] = "value"
    max_length: ClassVar[int] = 0

    def __new__(cls, value: object) -> Self:
        if not isinstance(value, str) or not cls.pattern.fullmatch(value):
            raise ValidationError(f"invalid {cls.label}: {value!r}", field=cls.label)
        return super().__new__(cls, value)

    @classmethod
    def describe(cls) -> str:
        """Return the format as a field doc: the pattern and the longest id it admits."""
        return f"pattern {cls.pattern.pattern}, at most {cls.max_length} characters"


class CompanyId(PatternStr):
    pattern = re.compile(f"^CMP-[0-9]{{{COMPANY_DIGITS[0]},{COMPANY_DIGITS[1]}}}$")
    label = "company_id"
    max_length = 4 + COMPANY_DIGITS[1]


class ProductId(PatternStr):
    pattern = re.compile(f"^{_PRODUCT}$")
    label = "product_id"
    max_length = 4 + PRODUCT_DIGITS[1]


class CustomerId(PatternStr):
    pattern = re.compile(f"^CUS-[0-9]{{{CUSTOMER_DIGITS[0]},{CUSTOMER_DIGITS[1]}}}$")
    label = "customer_id"
    max_length = 4 + CUSTOMER_DIGITS[1]


class WarehouseId(PatternStr):
    """倉庫コード, e.g. TKY, OSK, FUK."""

    pattern = re.compile(r"^[A-Z]{3}$")
    label = "warehouse_id"
    max_length = 3


class ZoneId(PatternStr):
    """`<倉庫コード>-<区画番号>`, e.g. TKY-01; the zone implies its warehouse."""

    pattern = re.compile(f"^{_ZONE}$")
    label = "zone_id"
    max_length = 4 + ZONE_DIGITS

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

    pattern = re.compile(f"^{_PRODUCT}@{_ZONE}$")
    label = "inventory_id"
    max_length = ProductId.max_length + 1 + ZoneId.max_length

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
    pattern = re.compile(f"^{_CALLER}$")
    label = "reservation_id"
    max_length = CALLER_ID_LENGTH


class TransferId(PatternStr):
    pattern = re.compile(f"^{_CALLER}$")
    label = "transfer_id"
    max_length = CALLER_ID_LENGTH


class Sku(PatternStr):
    pattern = re.compile(f"^[A-Z0-9][A-Z0-9-]{{{SKU_LENGTH[0] - 1},{SKU_LENGTH[1] - 1}}}$")
    label = "sku"
    max_length = SKU_LENGTH[1]
