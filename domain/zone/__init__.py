"""WarehouseZone aggregate (倉庫別区画)."""

from __future__ import annotations

from domain.aggregate import INITIAL
from domain.zone.rules import decide
from domain.zone.state import WarehouseZone, ZoneState, evolve, fold

__all__ = ["INITIAL", "WarehouseZone", "ZoneState", "decide", "evolve", "fold"]
