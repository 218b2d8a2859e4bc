"""The day author's conservative view of stock, so normal movements are never refused.

Outflows (reservations, issues, transfers out, write-offs) are only planned against the
opening stock minus every earlier planned outflow; receipts and positive counts are not
relied on. Channels are separate producers, so Zaiko may see their commands in another
order than planned; with every outflow covered by opening stock alone, any order works.
A reservation stays counted even when released or issued, for the same reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulation.model import Placement


class StockBook:
    """Opening stock per inventory, the part not yet promised, and the most it can hold."""

    def __init__(self, placements: Iterable[Placement]) -> None:
        self.opening = {p.inventory_id: p.quantity for p in placements}
        self.free = dict(self.opening)
        self.ceiling = dict(self.opening)

    def take(self, inventory_id: str, quantity: int) -> bool:
        """Promise ``quantity`` units of opening stock; False when not enough is left."""
        if quantity < 1 or self.free.get(inventory_id, 0) < quantity:
            return False
        self.free[inventory_id] -= quantity
        return True

    def add(self, inventory_id: str, quantity: int) -> None:
        """Note units that may arrive (a receipt, a positive count)."""
        self.ceiling[inventory_id] = self.ceiling.get(inventory_id, 0) + quantity

    def beyond_reach(self, inventory_id: str) -> int:
        """Return a quantity no inventory can hold today, however the day goes."""
        return 10 * self.ceiling.get(inventory_id, 0) + 1000
