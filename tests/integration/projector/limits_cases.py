"""Values at the bounds of `domain.limits`, as commands and as the rows they must become."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from fastavro import schemaless_writer
from hypothesis import strategies as st

from domain import (
    AdjustStock,
    Category,
    CreateCustomer,
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    CustomerType,
    ReceiveStock,
    ReserveStock,
    StorageCondition,
    TransferStockOut,
    ZoneType,
    aggregate_id_of,
    aggregate_type_of,
    limits,
)
from domain.message import Command
from domain.messages import AGGREGATE_ID_FIELD
from schemas import CommandMeta, framing, now_millis
from schemas.catalog import meta_node, spec_by_class
from schemas.registry import default_registry
from tests.unit.codes import unique_warehouse


def digits(count: int) -> str:
    """Return `count` random ASCII digits, the first not 0."""
    return str(uuid.uuid4().int % 9 + 1) + str(uuid.uuid4().int)[: count - 1].rjust(count - 1, "7")


def caller_id(prefix: str) -> str:
    """Return a reservation or transfer id of the maximum length."""
    return (prefix + uuid.uuid4().hex).ljust(limits.CALLER_ID_LENGTH, ".")


def long_text(char: str, length: int, lines: bool = False) -> str:
    """Return `length` characters of `char`, with line breaks and a tab when `lines`."""
    if not lines or length < 4:
        return char * length
    return (char * (length - 3)) + "\n\t\r"


@dataclass
class Case:
    """One draw: which end of each bound the commands take (ids are fresh per case)."""

    product_digits: int
    customer_digits: int
    text_length: int
    char: str
    sku_length: int
    reference_price: int | None
    floor_area: float
    capacity: int
    temperatures: tuple[float | None, float | None]
    received: int
    product: str = field(init=False)
    warehouse: str = field(init=False, default_factory=unique_warehouse)
    customer: str = field(init=False)
    company: str = field(init=False, default_factory=lambda: f"CMP-{digits(12)}")
    reservation: str = field(init=False, default_factory=lambda: caller_id("R-"))
    transfer: str = field(init=False, default_factory=lambda: caller_id("T-"))

    def __post_init__(self) -> None:
        self.product = f"PRD-{digits(self.product_digits)}"
        self.customer = f"CUS-{digits(self.customer_digits)}"

    @property
    def source(self) -> str:
        return f"{self.product}@{self.warehouse}-01"

    @property
    def destination(self) -> str:
        return f"{self.product}@{self.warehouse}-02"

    @property
    def reserved(self) -> int:
        return self.received // 3

    @property
    def transferred(self) -> int:
        return max(1, self.received // 3)

    def text(self, limit: int, lines: bool = False) -> str:
        return long_text(self.char, min(limit, self.text_length), lines)


BOUNDS: dict[str, tuple[Any, ...]] = {  # (lower end, upper end, anything else worth a draw)
    "product_digits": limits.PRODUCT_DIGITS,
    "customer_digits": limits.CUSTOMER_DIGITS,
    "text_length": (1, 100_000),  # clipped to each field's own limit
    "char": ("a", "🍙", "在"),  # 1, 4 and 3 bytes in UTF-8
    "sku_length": limits.SKU_LENGTH,
    "reference_price": (0, limits.MAX_REFERENCE_PRICE, None),
    "floor_area": (limits.MIN_FLOOR_AREA_M2, limits.MAX_FLOOR_AREA_M2, 1234567.89),
    "capacity": (0, limits.MAX_CAPACITY),
    "temperatures": (
        (limits.MIN_TEMPERATURE_C, limits.MIN_TEMPERATURE_C),
        (limits.MIN_TEMPERATURE_C, limits.MAX_TEMPERATURE_C),
        (None, None),
        (-25.5, -18.0),
    ),
    "received": (3, limits.MAX_ON_HAND),
}


def cases() -> Any:
    """Draw a case: each bound at one of its ends (or another value worth a draw)."""
    return st.builds(Case, **{name: st.sampled_from(ends) for name, ends in BOUNDS.items()})


def extreme(upper: bool) -> Case:
    """Return the case with every bound at its upper (or lower) end."""
    return Case(**{name: ends[1 if upper else 0] for name, ends in BOUNDS.items()})


def masters(c: Case) -> list[Command]:
    sku = ("S" + c.product[4:]).ljust(c.sku_length, "K")[: c.sku_length]
    return [
        CreateProduct(c.product, c.text(limits.NAME_LENGTH), sku, Category.FOOD,
                      StorageCondition.AMBIENT, c.text(limits.UNIT_LENGTH),
                      c.text(limits.DESCRIPTION_LENGTH, lines=True), c.reference_price),
        CreateWarehouse(c.warehouse, c.text(limits.NAME_LENGTH), c.text(limits.LOCATION_LENGTH),
                        c.floor_area, c.capacity),
        CreateCustomer(c.customer, c.company,
                       c.text(limits.NAME_LENGTH), CustomerType.RETAILER,
                       c.text(limits.ADDRESS_LENGTH), c.text(limits.CONTACT_LENGTH)),
    ]  # fmt: skip


def zones(c: Case) -> list[Command]:
    low, high = c.temperatures
    return [CreateZone(f"{c.warehouse}-{n}", c.text(limits.NAME_LENGTH), ZoneType.AMBIENT,
                       c.capacity, low, high) for n in ("01", "02")]  # fmt: skip


def movements(c: Case) -> tuple[list[Command], Command, list[Command]]:
    """Return the source's movements, split around a receipt one unit beyond the limit."""
    who, note = c.text(limits.OPERATOR_LENGTH), c.text(limits.NOTE_LENGTH, lines=True)
    src, r = c.source, c.received
    before: list[Command] = [
        CreateInventory(src),
        ReceiveStock(src, r, who, note),
        AdjustStock(src, -r, "棚卸差異", who, note),
        ReceiveStock(src, r, who, note),
    ]
    after: list[Command] = [
        ReserveStock(src, c.reservation, c.reserved or 1, c.customer, who, note),
        TransferStockOut(src, c.transfer, c.destination, c.transferred, who, note),
    ]
    return before, ReceiveStock(src, limits.MAX_ON_HAND - r + 1), after


def expected_stock(c: Case) -> dict[str, tuple[int, int, int, int]]:
    """在庫 (現在庫数, 引当済数, 有効在庫数, 移動中数) once the transfer has completed."""
    r, held, t = c.received, c.reserved or 1, c.transferred
    return {c.source: (r - t, held, r - t - held, 0), c.destination: (t, 0, t, 0)}


def as_decimal(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(repr(value))


def raw_command(valid: Command, command_id: str, **override: Any) -> bytes:
    """Encode `valid` with some fields replaced by values no command object would accept."""
    spec = spec_by_class()[type(valid)]
    entry = default_registry().by_name(spec.full_name)
    meta = CommandMeta(
        command_id=command_id,
        aggregate_id=aggregate_of(valid, override),
        issued_at=now_millis(),
        channel="limits-test",
        correlation_id=command_id,
    )
    datum = {**spec.node.to_avro(valid), **override, "meta": meta_node("command").to_avro(meta)}
    body = io.BytesIO()
    schemaless_writer(body, entry.writer, datum, strict=True)
    return framing.frame(entry.fingerprint, body.getvalue())


def aggregate_of(valid: Command, override: dict[str, Any]) -> str:
    """Return the aggregate id a command with `override` names (the envelope's and the key)."""
    field_name = AGGREGATE_ID_FIELD[aggregate_type_of(valid)]
    return str(override.get(field_name, aggregate_id_of(valid)))
