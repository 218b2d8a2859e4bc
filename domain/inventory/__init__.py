"""Inventory aggregate (在庫): one product in one zone."""

from __future__ import annotations

from domain.aggregate import INITIAL
from domain.inventory.refs import (
    EMPTY_REFS,
    ProductFacts,
    StockRefs,
    WarehouseFacts,
    ZoneFacts,
    product_facts,
    stock_refs,
    warehouse_facts,
    zone_facts,
)
from domain.inventory.rules import REFS_COMMANDS, decide, needs_refs
from domain.inventory.state import Inventory, InventoryState, PendingTransfer, evolve, fold

__all__ = [
    "EMPTY_REFS",
    "INITIAL",
    "REFS_COMMANDS",
    "Inventory",
    "InventoryState",
    "PendingTransfer",
    "ProductFacts",
    "StockRefs",
    "WarehouseFacts",
    "ZoneFacts",
    "decide",
    "evolve",
    "fold",
    "needs_refs",
    "product_facts",
    "stock_refs",
    "warehouse_facts",
    "zone_facts",
]
