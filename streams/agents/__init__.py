"""Command agents, one module per aggregate type."""

from __future__ import annotations

from streams.agents import customer, inventory, product, transfers, warehouse, zone

MODULES = (product, customer, warehouse, zone, inventory)  # register(app, runtime)

__all__ = ["MODULES", "transfers"]
