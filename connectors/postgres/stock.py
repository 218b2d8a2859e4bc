"""The 在庫 rows touched by a batch: their figures before and after, and summary deltas.

Movement events carry after-values, so a batch needs one upsert per 在庫 row (its last
figures), and the summaries need only after - before per row, summed per key.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from connectors.postgres.rows import StockChange


@dataclass(frozen=True)
class Figures:
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
        self._after: dict[str, Figures] = {}
        self._last: dict[str, StockChange] = {}

    def apply(self, change: StockChange) -> None:
        """Record the figures ``change`` leaves its 在庫 row with."""
        key = change.inventory_id
        current = self._after.get(key) or self._before.get(key, ABSENT)
        self._after[key] = replace(
            current,
            on_hand=current.on_hand if change.on_hand is None else change.on_hand,
            reserved=current.reserved if change.reserved is None else change.reserved,
            in_transit=current.in_transit + change.in_transit_delta,
            exists=True,
        )
        self._last[key] = change

    def upserts(self) -> list[tuple[Any, ...]]:
        """Return one 在庫 row per touched inventory, in key order (stable lock order)."""
        rows = []
        for key in sorted(self._after):
            f, c = self._after[key], self._last[key]
            ids = (key, c.product_id, c.warehouse_id, c.zone_no)
            rows.append((*ids, f.on_hand, f.reserved, f.in_transit, c.at))
        return rows

    def deltas(self) -> dict[str, list[tuple[Any, ...]]]:
        """Return per summary table its non-zero delta rows (key…, Δs, time)."""
        sums: dict[str, dict[SummaryKey, list[int]]] = {
            "product": defaultdict(lambda: [0, 0, 0, 0]),
            "warehouse": defaultdict(lambda: [0, 0, 0, 0]),
            "zone": defaultdict(lambda: [0, 0, 0, 0]),
        }
        latest: dt.datetime | None = None
        for key, after in self._after.items():
            before, change = self._before.get(key, ABSENT), self._last[key]
            delta = (
                after.on_hand - before.on_hand,
                after.reserved - before.reserved,
                after.in_transit - before.in_transit,
                int(after.exists and not before.exists),
            )
            keys = {
                "product": (change.product_id,),
                "warehouse": (change.warehouse_id,),
                "zone": (change.warehouse_id, change.zone_no),
            }
            for table, summary_key in keys.items():
                total = sums[table][summary_key]
                for i, d in enumerate(delta):
                    total[i] += d
            latest = change.at if latest is None else max(latest, change.at)
        return {
            table: [(*k, *v, latest) for k, v in sorted(by_key.items()) if any(v)]
            for table, by_key in sums.items()
        }
