"""Cache key layout: one hash per master aggregate, one hash of zones per product's inventory."""

from __future__ import annotations

PREFIX = "zaiko"
STATE_FIELD = "state"  # the single field of a master entry's hash
COMPLETE_FIELD = "_complete"  # set by a cache-aside fill that wrote every zone of a product


def product_key(product_id: str, prefix: str = PREFIX) -> str:
    return f"{prefix}:product:{product_id}"


def warehouse_key(warehouse_id: str, prefix: str = PREFIX) -> str:
    return f"{prefix}:warehouse:{warehouse_id}"


def zone_key(zone_id: str, prefix: str = PREFIX) -> str:
    return f"{prefix}:zone:{zone_id}"


def inventory_key(product_id: str, prefix: str = PREFIX) -> str:
    """Hash of zone id -> that inventory's figures (one product, every zone it sits in)."""
    return f"{prefix}:inventory:product:{product_id}"
