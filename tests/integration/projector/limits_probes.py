"""Commands one step beyond a bound, encoded by hand: no command object would accept them."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from typing import Any

from domain import (
    AdjustStock,
    CreateZone,
    ReceiveStock,
    ReserveStock,
    aggregate_type_of,
    limits,
)
from domain.message import Command
from schemas import command_topic_for
from tests.integration.projector.limits_cases import aggregate_of, digits, raw_command
from tests.unit.codes import unique_warehouse
from tests.unit.streams.builders import create_customer, create_product, create_warehouse


@dataclass(frozen=True)
class Probe:
    """A command whose field `label` is one step beyond its bound."""

    label: str
    valid: Command
    override: dict[str, Any]
    command_id: str = ""

    @property
    def aggregate_id(self) -> str:
        return aggregate_of(self.valid, self.override)

    @property
    def topic(self) -> str:
        return command_topic_for(aggregate_type_of(self.valid))

    @property
    def data(self) -> bytes:
        return raw_command(self.valid, self.command_id, **self.override)


def beyond_bounds() -> list[Probe]:
    """Return one probe per bound, each on an aggregate nobody else uses."""
    product = create_product(f"PRD-{digits(limits.PRODUCT_DIGITS[1])}")
    warehouse = create_warehouse(unique_warehouse())
    zone = CreateZone(f"{unique_warehouse()}-01", "区画", "常温", 1)
    customer = create_customer(f"CUS-{digits(limits.CUSTOMER_DIGITS[1])}")
    inventory = f"PRD-{digits(6)}@{unique_warehouse()}-01"
    receive, adjust = ReceiveStock(inventory, 1), AdjustStock(inventory, 1, "棚卸差異")
    reserve = ReserveStock(inventory, "R-1", 1)
    probes = [
        Probe("product id: 13 digits", product, {"product_id": f"PRD-{digits(13)}"}),
        Probe("product id: full-width digits", product, {"product_id": "PRD-１２３４５６"}),
        Probe("customer id: 13 digits", customer, {"customer_id": f"CUS-{digits(13)}"}),
        Probe("company id: 13 digits", customer, {"company_id": f"CMP-{digits(13)}"}),
        Probe("name: one character too many", product, {"name": "名" * (limits.NAME_LENGTH + 1)}),
        Probe("name: NUL", product, {"name": "醤油\x00"}),
        Probe("name: blank", customer, {"name": "\u3000 "}),
        Probe("note: escape", receive, {"note": "\x1b[2J"}),
        Probe("reference price", product, {"reference_price": limits.MAX_REFERENCE_PRICE + 1}),
        Probe("floor area", warehouse, {"floor_area_m2": limits.MAX_FLOOR_AREA_M2 + 0.01}),
        Probe("floor area: 3 decimals", warehouse, {"floor_area_m2": 10.005}),
        Probe("floor area: NaN", warehouse, {"floor_area_m2": math.nan}),
        Probe("floor area: infinite", warehouse, {"floor_area_m2": math.inf}),
        Probe("warehouse capacity", warehouse, {"capacity": limits.MAX_CAPACITY + 1}),
        Probe("zone capacity", zone, {"capacity": limits.MAX_CAPACITY + 1}),
        Probe("temperature", zone, {"max_temperature_c": limits.MAX_TEMPERATURE_C + 0.1}),
        Probe("temperature: 2 decimals", zone, {"min_temperature_c": -18.25}),
        Probe("quantity", receive, {"quantity": limits.MAX_QUANTITY + 1}),
        Probe("delta", adjust, {"delta": -(limits.MAX_ADJUSTMENT + 1)}),
        Probe("reservation id", reserve, {"reservation_id": "R" * (limits.CALLER_ID_LENGTH + 1)}),
    ]
    return [Probe(p.label, p.valid, p.override, f"limits-probe-{uuid.uuid4().hex}") for p in probes]
