"""Warehouse aggregate (倉庫)."""

from __future__ import annotations

from domain.aggregate import INITIAL
from domain.warehouse.rules import decide
from domain.warehouse.state import Warehouse, WarehouseState, evolve, fold

__all__ = ["INITIAL", "Warehouse", "WarehouseState", "decide", "evolve", "fold"]
