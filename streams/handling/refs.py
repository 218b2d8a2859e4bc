"""Gather the facts Inventory needs from its product, warehouse and zone.

Refs come from this worker's cache, caught up from the journal when older than
``max_age_s``: another worker may own the product's partition, so a ref can lag the
journal by up to that age (a discontinuation seconds old may not be seen yet).
"""

from __future__ import annotations

import math
from typing import Any

from domain.aggregate import Absent
from domain.errors import DomainError
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


def decide_with_refs(
    loader: StateLoader, max_age_s: float, kind: Any, loaded: Loaded, command: Command
) -> list[Any]:
    """Decide; a refusal is never based on cached refs: re-read them and decide again.

    Cached refs may lag the journal by ``max_age_s``; accepting on a slightly old fact
    is the documented trade-off, refusing on one (a warehouse activated a moment ago)
    is not.
    """
    if not kind.needs_refs(command):
        return list(kind.decide(loaded.state, command))
    try:
        return list(kind.decide(loaded.state, command, load_refs(loader, command, max_age_s)))
    except DomainError:
        return list(kind.decide(loaded.state, command, current_refs(loader, command)))
