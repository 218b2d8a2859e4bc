"""The commands that load master data and initial stock, phase by phase, with stable ids.

A command id is derived from the data set (seed and sizes), the command and the
aggregate id only, so a second ``zaiko load`` of the same data set sends the very same
ids and the worker answers each from its idempotency record: nothing is applied twice.
(Another size draws other attributes for the same ids, hence the sizes in the id: such
a load is refused with ALREADY_EXISTS rather than silently taken for a replay.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from domain.customer.commands import CreateCustomer
from domain.inventory.commands import CreateInventory, ReceiveStock
from domain.message import Command
from domain.messages import aggregate_id_of
from domain.product.commands import CreateProduct
from domain.warehouse.commands import CreateWarehouse
from domain.zone.commands import CreateZone
from schemas.envelope import CommandEnvelope, CommandMeta
from simulation.model import MasterData, MasterDataSpec

CHANNEL = "d-shoji-master-load"
OPERATOR = "マスタ投入"
ZONES_PHASE = "区画"  # thresholds are seeded right after it (simulation/load.py)


@dataclass(frozen=True)
class Phase:
    """Commands that may run concurrently; a phase starts when the previous one answered."""

    name: str
    envelopes: tuple[CommandEnvelope[Any], ...]


def data_set(spec: MasterDataSpec) -> str:
    """Name the generated data set: seed and sizes."""
    return f"{spec.seed}.{spec.products}x{spec.customers}"


def command_id(data_set: str, command: Command) -> str:
    """Return the deterministic id of a load command."""
    return f"load-{data_set}-{type(command).__name__}-{aggregate_id_of(command)}"


def envelope(data_set: str, command: Command, issued_at: dt.datetime) -> CommandEnvelope[Any]:
    """Wrap ``command`` with its deterministic id."""
    meta = CommandMeta(
        command_id=command_id(data_set, command),
        aggregate_id=aggregate_id_of(command),
        issued_at=issued_at,
        channel=CHANNEL,
        correlation_id=f"load-{data_set}",
    )
    return CommandEnvelope(meta, command)


def plan(data: MasterData, issued_at: dt.datetime) -> list[Phase]:
    """Return the load in dependency order: sites, zones, masters, inventories, receipts."""
    name = data_set(data.spec)
    phases: list[tuple[str, list[Command]]] = [
        ("倉庫", [CreateWarehouse(w.warehouse_id, w.name, w.location, w.floor_area_m2, w.capacity)
                  for w in data.warehouses]),
        (ZONES_PHASE, [CreateZone(z.zone_id, z.name, z.zone_type, z.capacity, z.min_temperature_c,
                             z.max_temperature_c) for z in data.zones]),
        ("商品・取引先", [
            *(CreateProduct(p.product_id, p.name, p.sku, p.category, p.storage_condition, p.unit,
                            p.description, p.reference_price) for p in data.products),
            *(CreateCustomer(c.customer_id, c.company_id, c.name, c.customer_type, c.address,
                             c.contact) for c in data.customers),
        ]),
        ("在庫", [CreateInventory(p.inventory_id) for p in data.placements]),
        ("初期在庫入庫", [ReceiveStock(p.inventory_id, p.quantity, OPERATOR, "初期在庫")
                          for p in data.placements]),
    ]  # fmt: skip
    return [
        Phase(label, tuple(envelope(name, c, issued_at) for c in commands))
        for label, commands in phases
    ]
