"""The normal business flows of a day; each returns the movements it makes (maybe none)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from domain.enums import AdjustmentReason, Category, CustomerType
from domain.ids import InventoryId
from simulation.channels import ORDER_CHANNELS, PURCHASING, STOCK_CONTROL, TRANSFERS, Channel
from simulation.model import CustomerSpec, MasterData, Placement
from simulation.movement import Movement, clock, later
from simulation.stockbook import StockBook

ORDER_SIZE: dict[CustomerType, tuple[int, int]] = {
    CustomerType.SUPERMARKET: (6, 24), CustomerType.CONVENIENCE_STORE: (2, 8),
    CustomerType.RESTAURANT: (1, 6), CustomerType.RETAILER: (1, 10),
}  # fmt: skip
ORDERS_PER_CUSTOMER: dict[CustomerType, float] = {  # how often a customer of a type orders
    CustomerType.SUPERMARKET: 6, CustomerType.CONVENIENCE_STORE: 4,
    CustomerType.RESTAURANT: 1, CustomerType.RETAILER: 1,
}  # fmt: skip
TRANSFER_SOURCES = (0.6, 0.25, 0.15)  # replenishment flows mostly out of Tokyo
CANCEL_SHARE = 0.1


class Flows:
    """Plan normal movements against the stock book; ``tag`` makes reference ids unique."""

    def __init__(
        self,
        rng: random.Random,
        data: MasterData,
        book: StockBook,
        by_warehouse: dict[str, list[Placement]],
        tag: str,
    ) -> None:
        self.rng, self.data, self.book, self.tag = rng, data, book, tag
        self.by_warehouse = by_warehouse
        self.codes = [w.warehouse_id for w in data.warehouses]
        self.customers = list(data.customers)
        self.customer_weights = [ORDERS_PER_CUSTOMER[c.customer_type] for c in self.customers]
        self.serial = 0

    def order(self) -> list[Movement]:
        """A customer order line: 引当, then 出庫 of it later, or 引当解除 when cancelled."""
        customer = self.rng.choices(self.customers, self.customer_weights)[0]
        channel = ORDER_CHANNELS[customer.customer_type]
        placement = self._pick(customer.warehouse_id, food_only=_food_only(customer))
        quantity = self.rng.randint(*ORDER_SIZE[customer.customer_type])
        if placement is None or not self.book.take(placement.inventory_id, quantity):
            return []
        reservation = f"R-{self.tag}-{self._next()}"
        at = clock(self.rng, 9, 17, peak_h=self.rng.choice((10.5, 14.0)))
        common = {"inventory_id": placement.inventory_id, "operator": channel.operator}
        reserve = self._move(at, channel, "ReserveStock", placement, {
            **common, "reservation_id": reservation, "quantity": quantity,
            "customer_id": customer.customer_id, "note": f"{customer.name} 注文",
        })  # fmt: skip
        if self.rng.random() < CANCEL_SHARE:
            release = {**common, "reservation_id": reservation, "note": "注文取消"}
            return [reserve, self._move(later(self.rng, at, 10, 120), channel, "ReleaseStock",
                                        placement, release)]  # fmt: skip
        shipped = quantity if self.rng.random() < 0.9 else max(1, quantity - self.rng.randint(1, 2))
        issue = {**common, "quantity": shipped, "reservation_id": reservation, "note": "出荷"}
        return [reserve, self._move(later(self.rng, at, 30, 180), channel, "IssueStock",
                                    placement, issue)]  # fmt: skip

    def direct_issue(self) -> list[Movement]:
        """A same-day pick-up (店頭引取) without a reservation."""
        customer = self.rng.choice(self.customers)
        channel = ORDER_CHANNELS[customer.customer_type]
        placement = self._pick(customer.warehouse_id, food_only=_food_only(customer))
        quantity = self.rng.randint(1, 6)
        if placement is None or not self.book.take(placement.inventory_id, quantity):
            return []
        fields = {"inventory_id": placement.inventory_id, "quantity": quantity,
                  "operator": channel.operator, "note": f"{customer.name} 店頭引取"}  # fmt: skip
        return [self._move(clock(self.rng, 9, 19), channel, "IssueStock", placement, fields)]

    def receipt(self) -> list[Movement]:
        """A supplier delivery (仕入入庫), mostly in the morning, in case packs."""
        placement = self._pick(self.rng.choices(self.codes, (0.5, 0.3, 0.2))[0])
        if placement is None:
            return []
        quantity = self.rng.choice((6, 12, 24)) * self.rng.randint(1, 6)
        self.book.add(placement.inventory_id, quantity)
        at = clock(self.rng, 8, 16, peak_h=9.0)
        fields = {"inventory_id": placement.inventory_id, "quantity": quantity,
                  "operator": PURCHASING.operator,
                  "note": f"仕入 PO-{self.tag}-{self._next()}"}  # fmt: skip
        return [self._move(at, PURCHASING, "ReceiveStock", placement, fields)]

    def transfer(self) -> list[Movement]:
        """A replenishment 倉庫間移動 to the matching zone of another warehouse."""
        source = self.rng.choices(self.codes, TRANSFER_SOURCES)[0]
        placement = self._pick(source)
        if placement is None:
            return []
        quantity = min(self.book.free[placement.inventory_id] // 4, self.rng.randint(6, 48))
        if not self.book.take(placement.inventory_id, quantity):
            return []
        target = self.rng.choice([c for c in self.codes if c != source])
        zone = self.data.zone_for(target, self.data.zone_by_id[placement.zone_id].zone_type)
        fields = {"inventory_id": placement.inventory_id,
                  "transfer_id": f"T-{self.tag}-{self._next()}",
                  "to_inventory_id": InventoryId.of(placement.product_id, zone.zone_id),
                  "quantity": quantity, "operator": TRANSFERS.operator,
                  "note": f"{source}→{target} 補充"}  # fmt: skip
        return [self._move(clock(self.rng, 10, 16), TRANSFERS, "TransferStockOut", placement,
                           fields)]  # fmt: skip

    def adjustment(self) -> list[Movement]:
        """調整: breakage, expiry of fresh goods, losses, and the evening stock count."""
        reason = self.rng.choices(list(AdjustmentReason)[:4], (0.35, 0.35, 0.2, 0.1))[0]
        placement = self._pick(self.rng.choice(self.codes))
        if placement is None:
            return []
        delta = -self.rng.randint(1, 3)
        at = clock(self.rng, 9, 18)
        if reason is AdjustmentReason.STOCKTAKE_DIFFERENCE:
            at = clock(self.rng, 17, 19.5)
            delta = delta if self.rng.random() < 0.6 else -delta
        elif reason is AdjustmentReason.EXPIRED:
            at = clock(self.rng, 8, 9)
        if delta > 0:
            self.book.add(placement.inventory_id, delta)
        elif not self.book.take(placement.inventory_id, -delta):
            return []
        fields = {"inventory_id": placement.inventory_id, "delta": delta, "reason": str(reason),
                  "operator": STOCK_CONTROL.operator, "note": None}  # fmt: skip
        return [self._move(at, STOCK_CONTROL, "AdjustStock", placement, fields)]

    def _pick(self, warehouse_id: str, food_only: bool = False) -> Placement | None:
        candidates: Sequence[Placement] = self.by_warehouse.get(warehouse_id, [])
        for _ in range(8):
            if not candidates:
                return None
            placement = self.rng.choice(candidates)
            category = self.data.product_by_id[placement.product_id].category
            if not food_only or category is Category.FOOD:
                return placement
        return None

    def _move(
        self, at: float, channel: Channel, command: str, placement: Placement, fields: Any
    ) -> Movement:
        product = self.data.product_by_id[placement.product_id]
        return Movement(at, channel.label, command, fields,
                        warehouse_id=placement.warehouse_id,
                        zone_type=str(product.storage_condition),
                        category=str(product.category))  # fmt: skip

    def _next(self) -> int:
        self.serial += 1
        return self.serial


def _food_only(customer: CustomerSpec) -> bool:
    return customer.customer_type is CustomerType.RESTAURANT  # restaurants buy food only
