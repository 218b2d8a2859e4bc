"""Which handler projects which event class, and to which aggregate type it belongs."""

from __future__ import annotations

from typing import Any

from connectors.postgres import customer, inventory, product, warehouse, zone
from connectors.postgres.inventory import InventoryHandler
from connectors.postgres.writes import MasterHandler
from domain.messages import AGGREGATE_OF_EVENT

MASTER_HANDLERS: dict[type[Any], MasterHandler] = {
    **product.HANDLERS,
    **customer.HANDLERS,
    **warehouse.HANDLERS,
    **zone.HANDLERS,
}
INVENTORY_HANDLERS: dict[type[Any], InventoryHandler] = inventory.HANDLERS


class UnprojectableEventError(Exception):
    """An event class no handler knows; projecting past it would lose it silently."""


def aggregate_type_of(event: object) -> str:
    """Return the aggregate type (``product`` … ``inventory``) an event belongs to."""
    try:
        return AGGREGATE_OF_EVENT[type(event).__name__]
    except KeyError:
        raise UnprojectableEventError(type(event).__name__) from None
