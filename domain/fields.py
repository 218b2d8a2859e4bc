"""The checks of command fields, one per kind of field, all built from `domain.limits`.

Commands use them as `quantity: Annotated[int, QUANTITY]`.
"""

from __future__ import annotations

from domain import limits
from domain.checks import Check, decimal, identifier, text, whole
from domain.ids import (
    CompanyId,
    CustomerId,
    InventoryId,
    PatternStr,
    ProductId,
    ReservationId,
    Sku,
    TransferId,
    WarehouseId,
    ZoneId,
)
from domain.quantities import PositiveQuantity


def _id(id_type: type[PatternStr]) -> Check:
    return identifier(id_type, id_type.describe())


COMPANY_ID = _id(CompanyId)
PRODUCT_ID = _id(ProductId)
CUSTOMER_ID = _id(CustomerId)
WAREHOUSE_ID = _id(WarehouseId)
ZONE_ID = _id(ZoneId)
INVENTORY_ID = _id(InventoryId)
RESERVATION_ID = _id(ReservationId)
TRANSFER_ID = _id(TransferId)
SKU = _id(Sku)

QUANTITY = Check(
    PositiveQuantity,
    f"whole units 1…{limits.MAX_QUANTITY:,}; on hand plus units in transit stay within "
    f"{limits.MAX_ON_HAND:,} per inventory (else STOCK_LIMIT_EXCEEDED)",
)
OUT_SEQUENCE_NR = Check(
    whole(1, limits.MAX_SEQUENCE_NR, label="out_sequence_nr").validate,
    f"sequence number of the transfer's OUT leg on its source, 1…{limits.MAX_SEQUENCE_NR:,}: "
    "with the source and transfer id it names one transfer forever; null for a transfer "
    "opened before transfers were named",
)
DELTA = whole(-limits.MAX_ADJUSTMENT, limits.MAX_ADJUSTMENT, label="delta", nonzero=True)
CAPACITY = whole(0, limits.MAX_CAPACITY, label="capacity")
REFERENCE_PRICE = whole(0, limits.MAX_REFERENCE_PRICE, label="reference_price")
FLOOR_AREA = decimal(
    limits.MIN_FLOOR_AREA_M2,
    limits.MAX_FLOOR_AREA_M2,
    limits.FLOOR_AREA_DECIMALS,
    label="floor_area_m2",
)
TEMPERATURE = decimal(
    limits.MIN_TEMPERATURE_C,
    limits.MAX_TEMPERATURE_C,
    limits.TEMPERATURE_DECIMALS,
    label="temperature",
)

NAME = text(limits.NAME_LENGTH)
NOTE = text(limits.NOTE_LENGTH, blank_ok=True, multiline=True)
OPERATOR = text(limits.OPERATOR_LENGTH)
UNIT = text(limits.UNIT_LENGTH)
DESCRIPTION = text(limits.DESCRIPTION_LENGTH, blank_ok=True, multiline=True)
ADDRESS = text(limits.ADDRESS_LENGTH)
LOCATION = text(limits.LOCATION_LENGTH)
CONTACT = text(limits.CONTACT_LENGTH)
REPRESENTATIVE = text(limits.REPRESENTATIVE_LENGTH)
CAPITAL_YEN = whole(0, limits.MAX_CAPITAL_YEN, label="capital_yen")
EMPLOYEES = whole(0, limits.MAX_EMPLOYEES, label="employees")

LEVEL = whole(0, limits.MAX_ON_HAND, label="level")
"""An inventory's figure after a movement (on hand, reserved, available)."""
EVENT_ONLY_FIELDS = {
    "on_hand_after": LEVEL,
    "reserved_after": LEVEL,
    "available_after": LEVEL,
    "counterpart_inventory_id": INVENTORY_ID,
    "counterpart_warehouse_id": WAREHOUSE_ID,
    "counterpart_zone_id": ZONE_ID,
}
"""Event fields no command carries; the others take the doc of the command field's check."""
