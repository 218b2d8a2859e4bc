"""Realistic event histories for ``zaiko bench replay``, generated straight into memory.

Masters (3 warehouses x 3 zones, products, customers), one inventory per product and
warehouse in the zone matching the product's storage condition, then stock movements
with consistent after-figures: receipts, reservations, releases, issues, adjustments and
transfers between warehouses (OUT leg, IN leg, completion). Events are built directly
(no domain decide) so a million take seconds, not minutes.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from domain.customer.events import CustomerCreated_V1
from domain.enums import (
    AdjustmentReason,
    Category,
    CustomerType,
    ProductStatus,
    StorageCondition,
    TransferDirection,
    ZoneType,
)
from domain.inventory import events as ev
from domain.messages import aggregate_id_of
from domain.product.events import ProductCreated_V1
from domain.warehouse.events import WarehouseCreated_V1
from domain.zone.events import ZoneCreated_V1
from schemas import EventEnvelope, EventMeta

START = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
WAREHOUSES = (("TKY", "東京"), ("OSA", "大阪"), ("FUK", "福岡"))
ZONES = (("01", ZoneType.AMBIENT), ("02", ZoneType.CHILLED), ("03", ZoneType.FROZEN))
CONDITIONS = (
    (StorageCondition.AMBIENT,) * 6 + (StorageCondition.CHILLED,) * 3 + (StorageCondition.FROZEN,)
)


class History:
    """Numbers events per aggregate and wraps them in envelopes (one second apart)."""

    def __init__(self) -> None:
        self.envelopes: list[EventEnvelope[Any]] = []
        self._seq: dict[str, int] = {}
        self._run = uuid.uuid4().hex[:12]

    def add(self, event: Any) -> None:
        aggregate_id = aggregate_id_of(event)
        seq = self._seq.get(aggregate_id, 0) + 1
        self._seq[aggregate_id] = seq
        n = len(self.envelopes)
        meta = EventMeta(event_id=f"{self._run}{n:020d}", aggregate_id=aggregate_id,
                         sequence_nr=seq, occurred_at=START + dt.timedelta(seconds=n),
                         causation_id=f"cmd-{n}", correlation_id="bench")  # fmt: skip
        self.envelopes.append(EventEnvelope(meta, event))


def _masters(h: History, products: int, customers: int) -> list[tuple[str, str, str]]:
    for code, name in WAREHOUSES:
        h.add(WarehouseCreated_V1(code, f"{name}倉庫", name, 5000.0, 500_000, True))
        for no, kind in ZONES:
            h.add(ZoneCreated_V1(f"{code}-{no}", code, no, f"{kind}区画", kind, 200_000,
                                 None, None, True))  # fmt: skip
    for i in range(customers):
        customer_type = list(CustomerType)[i % 4]
        h.add(CustomerCreated_V1(f"CUS-{i + 1:04d}", f"CMP-{i % 300 + 1:04d}", f"取引先{i}",
                                 customer_type, "東京都", "03-0000-0000", True))  # fmt: skip
    inventories = []
    for i in range(products):
        product = f"PRD-{i + 1:06d}"
        condition = CONDITIONS[i % len(CONDITIONS)]
        category = Category.FOOD if condition != StorageCondition.AMBIENT or i % 3 else (
            Category.DAILY_GOODS)  # fmt: skip
        h.add(ProductCreated_V1(product, f"商品{i}", f"SKU-{i}", category, condition, "個",
                                "", 100 + i % 900, ProductStatus.ACTIVE))  # fmt: skip
        zone_no = next(no for no, kind in ZONES if kind.value == condition.value)
        for code, _ in WAREHOUSES:
            inventory = f"{product}@{code}-{zone_no}"
            h.add(ev.InventoryCreated_V1(inventory, product, code, f"{code}-{zone_no}"))
            inventories.append((inventory, product, code))
    return inventories


def generate(events: int, inventories: int = 3000, seed: int = 7) -> list[EventEnvelope[Any]]:
    """Return at least ``events`` envelopes (masters first, then movements)."""
    rng = random.Random(seed)
    h = History()
    stock = _masters(h, max(1, inventories // len(WAREHOUSES)), 430)
    figures = {inv: [0, 0] for inv, _, _ in stock}  # on hand, reserved
    by_product: dict[str, list[tuple[str, str, str]]] = {}
    for row in stock:
        by_product.setdefault(row[1], []).append(row)
    n_transfer = 0
    while len(h.envelopes) < events:
        inv, product, wh = rng.choice(stock)
        zone = f"{wh}-{inv[-2:]}"
        ids = (inv, product, wh, zone)
        f = figures[inv]
        roll = rng.random()
        if roll < 0.30 or f[0] - f[1] < 10:
            q = rng.randint(10, 200)
            f[0] += q
            h.add(ev.StockReceived_V1(*ids, q, f[0], f[1], f[0] - f[1], "入荷係", None))
        elif roll < 0.50:
            q = rng.randint(1, (f[0] - f[1]) // 2)
            f[1] += q
            h.add(ev.StockReserved_V1(*ids, f"RSV-{len(h.envelopes)}", q, "CUS-0001",
                                      f[0], f[1], f[0] - f[1], None, None))  # fmt: skip
        elif roll < 0.58 and f[1]:
            q = rng.randint(1, f[1])
            f[1] -= q
            h.add(ev.StockReleased_V1(*ids, "RSV-0", q, f[0], f[1], f[0] - f[1], None, None))
        elif roll < 0.80:
            q = rng.randint(1, f[0] - f[1])
            f[0] -= q
            h.add(ev.StockIssued_V1(*ids, q, None, f[0], f[1], f[0] - f[1], "出荷係", None))
        elif roll < 0.88:
            q = rng.randint(1, 3)
            f[0] -= q
            h.add(ev.StockAdjusted_V1(*ids, AdjustmentReason.DAMAGE, -q, f[0], f[1],
                                      f[0] - f[1], "棚卸係", "破損"))  # fmt: skip
        else:
            other = rng.choice([r for r in by_product[product] if r[0] != inv])
            o_inv, _, o_wh = other
            o_zone, o = f"{o_wh}-{o_inv[-2:]}", figures[other[0]]
            q = rng.randint(1, (f[0] - f[1]) // 2)
            n_transfer += 1
            tid = f"TRF-{n_transfer}"
            f[0] -= q
            h.add(ev.StockTransferred_V1(*ids, tid, TransferDirection.OUT, o_inv, o_wh, o_zone,
                                         q, f[0], f[1], f[0] - f[1], None, None))  # fmt: skip
            o[0] += q
            o_ids = (o_inv, product, o_wh, o_zone)
            h.add(ev.StockTransferred_V1(*o_ids, tid, TransferDirection.IN, inv, wh, zone,
                                         q, o[0], o[1], o[0] - o[1], None, None))  # fmt: skip
            h.add(ev.TransferCompleted_V1(*ids, tid, o_inv, q))
    return h.envelopes
