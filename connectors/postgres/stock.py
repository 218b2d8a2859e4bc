"""The 在庫 rows touched by a batch: their figures before and after, and summary deltas.

Movement events carry after-values, so a batch needs one upsert per 在庫 row (its last
figures), and the summaries need only after - before per row, summed per key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from connectors.postgres.rows import StockChange


class Figures(NamedTuple):
    """The quantities of one 在庫 row; ``exists`` is False before InventoryCreated."""

    on_hand: int = 0
    reserved: int = 0
    in_transit: int = 0
    exists: bool = False


ABSENT = Figures()
SummaryKey = tuple[str, ...]


class StockBook:
    """Follows each touched 在庫 row through a batch, starting from its stored figures."""

    def __init__(self, before: Mapping[str, Figures]) -> None:
        self._before = dict(before)
        self._after: dict[str, list[int]] = {}  # on hand, reserved, in transit (mutable: hot)
        self._last: dict[str, StockChange] = {}

    def apply(self, change: StockChange) -> None:
        """Record the figures ``change`` leaves its 在庫 row with."""
        key = change.inventory_id
        after = self._after.get(key)
        if after is None:
            before = self._before.get(key, ABSENT)
            after = self._after[key] = [before.on_hand, before.reserved, before.in_transit]
        if change.on_hand is not None:
            after[0] = change.on_hand
        if change.reserved is not None:
            after[1] = change.reserved
        after[2] += change.in_transit_delta
        self._last[key] = change

    def upserts(self) -> list[tuple[Any, ...]]:
        """Return one 在庫 row per touched inventory, in key order (stable lock order)."""
        rows = []
        for key in sorted(self._after):
            (on_hand, reserved, in_transit), c = self._after[key], self._last[key]
            rows.append((key, c.product_id, c.warehouse_id, c.zone_no, on_hand, reserved,
                         in_transit, c.at))  # fmt: skip
        return rows

    def deltas(self) -> dict[str, list[tuple[Any, ...]]]:
        """Return per summary table its non-zero delta rows (key…, Δs, time)."""
        product: dict[SummaryKey, list[int]] = {}
        warehouse: dict[SummaryKey, list[int]] = {}
        zone: dict[SummaryKey, list[int]] = {}
        latest: dt.datetime | None = None
        before_of = self._before.get
        for key, after in self._after.items():  # plain loops: a replay batch has thousands
            before, change = before_of(key, ABSENT), self._last[key]
            delta = (
                after[0] - before.on_hand,
                after[1] - before.reserved,
                after[2] - before.in_transit,
                0 if before.exists else 1,  # every touched row exists after the batch
            )
            for sums, summary_key in (
                (product, (change.product_id,)),
                (warehouse, (change.warehouse_id,)),
                (zone, (change.warehouse_id, change.zone_no)),
            ):
                total = sums.get(summary_key)
                if total is None:
                    sums[summary_key] = list(delta)
                else:
                    total[0] += delta[0]
                    total[1] += delta[1]
                    total[2] += delta[2]
                    total[3] += delta[3]
            if latest is None or change.at > latest:
                latest = change.at
        return {
            table: [(*k, *v, latest) for k, v in sorted(by_key.items()) if any(v)]
            for table, by_key in (("product", product), ("warehouse", warehouse), ("zone", zone))
        }
