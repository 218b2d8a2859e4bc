"""Gather the facts Inventory needs from its product, warehouse and zone.

Refs come from this worker's cache, caught up from the journal when older than
``max_age_s``: another worker may own the product's partition, so a ref can lag the
journal by up to that age (a discontinuation seconds old may not be seen yet).
"""

from __future__ import annotations

import math

from domain.aggregate import Absent
from domain.ids import InventoryId
from domain.inventory import StockRefs, stock_refs
from domain.message import Command
from streams.handling.cache import Loaded
from streams.handling.loader import StateLoader


def ref_keys(command: Command) -> list[tuple[str, str]]:
    """Return the (aggregate type, id) of the product, warehouse and zone ``command`` needs."""
    inventory_id = InventoryId(getattr(command, "inventory_id", ""))
    return [
        ("product", str(inventory_id.product_id)),
        ("warehouse", str(inventory_id.warehouse_id)),
        ("warehouse-zone", str(inventory_id.zone_id)),
    ]


def load_refs(loader: StateLoader, command: Command, max_age_s: float) -> StockRefs:
    """Return the StockRefs of the inventory ``command`` targets."""
    product, warehouse, zone = (_load(loader, *key, max_age_s) for key in ref_keys(command))
    return stock_refs(product.state, warehouse.state, zone.state)


def current_refs(loader: StateLoader, command: Command) -> StockRefs:
    """Return the StockRefs as the journal holds them now: ``load_refs`` at age 0.

    One ``moved_since`` round trip checks the cached refs instead of one read each.
    """
    loader.revalidate(ref_keys(command), 0.0, catch_up=True)
    return load_refs(loader, command, math.inf)  # cached ones are current; the rest load cold


def _load(loader: StateLoader, aggregate_type: str, aggregate_id: str, max_age_s: float) -> Loaded:
    loaded = loader.load(aggregate_type, aggregate_id, max_age_s)
    if isinstance(loaded.state, Absent):  # an absence is never trusted from the cache
        loaded = loader.refresh(loaded)
    return loaded
