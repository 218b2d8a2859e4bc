"""The seed's anomalies: shortages, competing reservations, storage-condition violations.

Each is built so its outcome is certain whatever else happens that day:
* shortage: an issue or reservation of more than the inventory could ever hold today;
* competing reservations: several channels reserve ``opening // 2 + 1`` of a *contested*
  inventory at the same moment; no normal movement touches it, so exactly one wins;
* violation: putting a product into a zone of another type (CreateInventory there), and
  a zone transfer (区画移動) to such a zone, whose OUT leg is accepted and whose IN leg
  the transfer manager sees refused and recorded (StorageConditionViolated_V1).
"""

from __future__ import annotations

import random

from domain.enums import ZoneType
from domain.ids import InventoryId
from simulation.channels import ORDER_CHANNELS, PURCHASING, TRANSFERS
from simulation.model import MasterData, Placement
from simulation.movement import ACCEPTED, Movement, clock
from simulation.stockbook import StockBook

SHORTAGE = "shortage"
COMPETING = "competing"
VIOLATION = "violation"
MISPLACED_TRANSFER = "misplaced-transfer"


def plan_anomalies(
    rng: random.Random, data: MasterData, book: StockBook, movements: int, tag: str
) -> tuple[list[Movement], set[str]]:
    """Return the anomalous movements and the contested inventories normal flows must avoid."""
    per_200 = max(1, movements // 200)
    placements = sorted(data.placements, key=lambda p: p.inventory_id)
    contested = rng.sample(placements, min(len(placements) // 4, max(1, movements // 400)))
    contested_ids = {p.inventory_id for p in contested}
    others = [p for p in placements if p.inventory_id not in contested_ids]
    out: list[Movement] = []
    for n, placement in enumerate(contested):
        out += _contest(rng, data, placement, book.opening[placement.inventory_id], f"{tag}-{n}")
    for n in range(per_200):
        out.append(_shortage(rng, data, rng.choice(others), book, "IssueStock", f"{tag}-{n}"))
        out.append(_shortage(rng, data, rng.choice(others), book, "ReserveStock", f"{tag}-{n}"))
        out.append(_violation(rng, data, rng.choice(others)))
    for n in range(max(1, movements // 400)):
        placement = rng.choice(others)
        quantity = min(6, book.free[placement.inventory_id] // 4)
        if book.take(placement.inventory_id, quantity):
            out.append(_misplaced_transfer(rng, data, placement, quantity, f"{tag}-{n}"))
    return out, contested_ids


def _tags(data: MasterData, placement: Placement) -> dict[str, str]:
    product = data.product_by_id[placement.product_id]
    return {"warehouse_id": placement.warehouse_id, "zone_type": str(product.storage_condition),
            "category": str(product.category)}  # fmt: skip


def _contest(
    rng: random.Random, data: MasterData, placement: Placement, opening: int, name: str
) -> list[Movement]:
    at = clock(rng, 10, 15)
    quantity = opening // 2 + 1  # two can never both fit; one always does
    channels = rng.sample(list(ORDER_CHANNELS.items()), rng.randint(3, 4))
    movements = []
    for i, (customer_type, channel) in enumerate(channels):
        customer = rng.choice([c for c in data.customers if c.customer_type is customer_type])
        fields = {"inventory_id": placement.inventory_id, "reservation_id": f"C-{name}-{i}",
                  "quantity": quantity, "customer_id": customer.customer_id,
                  "operator": channel.operator, "note": "特売品 同時引当"}  # fmt: skip
        movements.append(Movement(at, channel.label, "ReserveStock", fields, kind=COMPETING,
                                  expect="RESERVATION_EXCEEDS_ON_HAND", contest=name,
                                  **_tags(data, placement)))  # fmt: skip
    return movements


def _shortage(
    rng: random.Random,
    data: MasterData,
    placement: Placement,
    book: StockBook,
    command: str,
    name: str,
) -> Movement:
    channel = rng.choice(list(ORDER_CHANNELS.values()))
    fields: dict[str, object] = {
        "inventory_id": placement.inventory_id,
        "quantity": book.beyond_reach(placement.inventory_id),
        "operator": channel.operator,
        "note": "大口注文（在庫不足）",
    }
    if command == "ReserveStock":
        customer = rng.choice(data.customers)
        fields.update(reservation_id=f"S-{name}", customer_id=customer.customer_id)
        code = "RESERVATION_EXCEEDS_ON_HAND"
    else:
        fields.update(reservation_id=None)
        code = "INSUFFICIENT_STOCK"
    return Movement(clock(rng, 9, 17), channel.label, command, fields, kind=SHORTAGE,
                    expect=code, **_tags(data, placement))  # fmt: skip


def _wrong_zone(rng: random.Random, data: MasterData, placement: Placement) -> str:
    right = data.zone_by_id[placement.zone_id].zone_type
    wrong = rng.choice([t for t in ZoneType if t is not right])
    return data.zone_for(placement.warehouse_id, wrong).zone_id


def _violation(rng: random.Random, data: MasterData, placement: Placement) -> Movement:
    target = InventoryId.of(placement.product_id, _wrong_zone(rng, data, placement))
    return Movement(clock(rng, 8, 12, peak_h=9.0), PURCHASING.label, "CreateInventory",
                    {"inventory_id": target}, kind=VIOLATION,
                    expect="STORAGE_CONDITION_VIOLATION", **_tags(data, placement))  # fmt: skip


def _misplaced_transfer(
    rng: random.Random, data: MasterData, placement: Placement, quantity: int, name: str
) -> Movement:
    target = InventoryId.of(placement.product_id, _wrong_zone(rng, data, placement))
    fields = {"inventory_id": placement.inventory_id, "transfer_id": f"Z-{name}",
              "to_inventory_id": target, "quantity": quantity,
              "operator": TRANSFERS.operator, "note": "区画移動（誤り）"}  # fmt: skip
    return Movement(clock(rng, 11, 16), TRANSFERS.label, "TransferStockOut", fields,
                    kind=MISPLACED_TRANSFER, expect=ACCEPTED, **_tags(data, placement))  # fmt: skip
