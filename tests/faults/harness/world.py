"""A scenario's own aggregates: warehouses, zones, products and stocked inventories.

Each scenario draws warehouse codes and product ids no other scenario of the run has, so
its counts, its audit (``--match``) and its read-model checks see only its own data on a
stack the scenarios share.
"""

from __future__ import annotations

import itertools
import random
import re
from dataclasses import dataclass, field

from domain import (
    AdjustmentReason,
    AdjustStock,
    CreateInventory,
    CreateProduct,
    CreateWarehouse,
    CreateZone,
    IssueStock,
    ReceiveStock,
    ReleaseStock,
    ReserveStock,
    TransferStockOut,
)
from domain.enums import Category, StorageCondition, ZoneType
from domain.message import Command
from tests.faults.harness.flood import Flood
from tests.unit.codes import unique_warehouse

CAPACITY = 1_000_000
_PRODUCT_NUMBERS = itertools.count(900_001)  # D商事's products are PRD-000001..; never these


@dataclass
class World:
    """Two warehouses with one ambient zone each; every product stocked in both zones."""

    warehouses: list[str]
    products: list[str]
    reservations: dict[str, list[str]] = field(default_factory=dict)  # open, per inventory
    _numbers: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def zones(self) -> list[str]:
        return [f"{w}-01" for w in self.warehouses]

    @property
    def inventories(self) -> list[str]:
        return [f"{p}@{z}" for z in self.zones for p in self.products]

    @property
    def aggregates(self) -> list[str]:
        return [*self.warehouses, *self.zones, *self.products, *self.inventories]

    @property
    def audit_match(self) -> str:
        """A regex for ``zaiko audit --match`` that selects exactly this world's aggregates."""
        codes = "|".join(self.warehouses)
        products = "|".join(re.escape(p) for p in self.products)
        return rf"^(?:{codes})(?:-\d+)?$|@(?:{codes})-|^(?:{products})$"

    @property
    def summary_scope(self) -> dict[str, list[str]]:
        return {"商品別在庫集計": self.products, "倉庫別在庫集計": self.warehouses,
                "区画別在庫集計": self.zones}  # fmt: skip

    def twin(self, inventory_id: str) -> str:
        """Return the same product's inventory in the other warehouse."""
        product, zone = inventory_id.split("@")
        other = self.zones[1 - self.zones.index(zone)]
        return f"{product}@{other}"

    def movement(self, rng: random.Random, exclude: frozenset[str] = frozenset()) -> Command:
        """Return a random stock movement on one of the inventories (some may be refused)."""
        choices = [i for i in self.inventories if i not in exclude]
        inv, roll, n = rng.choice(choices), rng.random(), next(self._numbers)
        if roll < 0.5 or (roll >= 0.95 and self.twin(inv) in exclude):
            return ReceiveStock(inv, rng.randint(1, 5))
        if roll < 0.7:
            return IssueStock(inv, rng.randint(1, 8))
        if roll < 0.82:
            reservation = f"R-{n}"
            self.reservations.setdefault(inv, []).append(reservation)
            return ReserveStock(inv, reservation, rng.randint(1, 3))
        if roll < 0.9 and self.reservations.get(inv):
            return ReleaseStock(inv, self.reservations[inv].pop(0))
        if roll < 0.95:
            delta = rng.choice([-2, -1, 1, 3])
            return AdjustStock(inv, delta, AdjustmentReason.STOCKTAKE_DIFFERENCE)
        # transfer ids unique to the world: a reuse across sources is test_01's business
        return TransferStockOut(inv, f"T-{self.warehouses[0]}-{n}", self.twin(inv),
                                rng.randint(1, 4))  # fmt: skip

    def movements(
        self, count: int, seed: int, exclude: frozenset[str] = frozenset()
    ) -> list[Command]:
        """Return ``count`` random movements, none touching an inventory in ``exclude``."""
        rng = random.Random(seed)
        return [self.movement(rng, exclude) for _ in range(count)]


def new_world(products: int) -> World:
    """Return a world of fresh ids (two warehouses, ``products`` products)."""
    ids = [f"PRD-{next(_PRODUCT_NUMBERS)}" for _ in range(products)]
    return World([unique_warehouse(), unique_warehouse()], ids)


def build(flood: Flood, world: World, stock: int = 500, timeout_s: float = 120.0) -> None:
    """Create the world through the pipeline and stock every inventory; every step ACCEPTED."""
    steps: list[list[Command]] = [
        [*(CreateWarehouse(w, "障害試験倉庫", "東京都", 1000.0, CAPACITY)
           for w in world.warehouses),
         *(CreateProduct(p, "障害試験商品", f"SKU-{p[4:]}", Category.FOOD,
                         StorageCondition.AMBIENT, "個") for p in world.products)],
        [CreateZone(z, "常温", ZoneType.AMBIENT, CAPACITY) for z in world.zones],
        [CreateInventory(i) for i in world.inventories],
        [ReceiveStock(i, stock) for i in world.inventories],
    ]  # fmt: skip
    for step in steps:
        ids = flood.send_and_wait(step, timeout_s)
        refused = [flood.outcomes.first(c) for c in ids]
        refused = [s.outcome for s in refused if s is not None and s.outcome.status != "ACCEPTED"]
        assert not refused, f"setting up the world was refused: {refused[:3]}"
