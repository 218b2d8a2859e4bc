"""Command agents, one module per aggregate type."""

from __future__ import annotations

from streams.agents import customer, inventory, product, warehouse, zone

MODULES = (product, customer, warehouse, zone, inventory)

__all__ = ["MODULES"]
