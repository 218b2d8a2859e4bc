"""Registries of every command and event class, by class name, and their aggregate types."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import ModuleType
from typing import TypeVar

from domain.customer import commands as customer_commands
from domain.customer import events as customer_events
from domain.inventory import commands as inventory_commands
from domain.inventory import events as inventory_events
from domain.message import Command, Event, Message
from domain.product import commands as product_commands
from domain.product import events as product_events
from domain.warehouse import commands as warehouse_commands
from domain.warehouse import events as warehouse_events
from domain.zone import commands as zone_commands
from domain.zone import events as zone_events

AGGREGATE_TYPES: tuple[str, ...] = (
    "product",
    "customer",
    "warehouse",
    "warehouse-zone",
    "inventory",
)

# Command ids that start with this are Zaiko's own (process-manager steps such as
# ``~transfer/<source inventory>/<transfer id>/<out seq>/in``); a command from outside that uses
# one is refused, so a client's idempotency key can never collide with them.
RESERVED_COMMAND_ID_PREFIX = "~"

AGGREGATE_ID_FIELD: Mapping[str, str] = {
    "product": "product_id",
    "customer": "customer_id",
    "warehouse": "warehouse_id",
    "warehouse-zone": "zone_id",
    "inventory": "inventory_id",
}

_MODULES = {
    "product": (product_commands, product_events),
    "customer": (customer_commands, customer_events),
    "warehouse": (warehouse_commands, warehouse_events),
    "warehouse-zone": (zone_commands, zone_events),
    "inventory": (inventory_commands, inventory_events),
}


M = TypeVar("M", bound=Message)


def _classes_in(module: ModuleType, base: type[M]) -> Iterable[type[M]]:
    for name in module.__all__:
        value = getattr(module, name)
        if isinstance(value, type) and issubclass(value, base):
            yield value


COMMANDS: Mapping[str, type[Command]] = {
    cls.__name__: cls for commands, _ in _MODULES.values() for cls in _classes_in(commands, Command)
}
EVENTS: Mapping[str, type[Event]] = {
    cls.__name__: cls for _, events in _MODULES.values() for cls in _classes_in(events, Event)
}
AGGREGATE_OF_COMMAND: Mapping[str, str] = {
    cls.__name__: aggregate
    for aggregate, (commands, _) in _MODULES.items()
    for cls in _classes_in(commands, Command)
}
AGGREGATE_OF_EVENT: Mapping[str, str] = {
    cls.__name__: aggregate
    for aggregate, (_, events) in _MODULES.items()
    for cls in _classes_in(events, Event)
}


def aggregate_type_of(message: Message) -> str:
    """Return the aggregate type ("product", ..., "inventory") a message belongs to."""
    name = type(message).__name__
    return AGGREGATE_OF_COMMAND.get(name) or AGGREGATE_OF_EVENT[name]


def aggregate_id_of(message: Message) -> str:
    """Return the aggregate id a message is keyed by (its topic key and stream id)."""
    value: str = getattr(message, AGGREGATE_ID_FIELD[aggregate_type_of(message)])
    return value


# The commands that create their aggregate: decided on the not-yet-created state, so a
# worker may presume that state without reading the journal (the conditional append
# at version 0 settles it). A guess only: a wrong one costs a read, never an answer.
CREATIONS: frozenset[type[Command]] = frozenset(
    {
        product_commands.CreateProduct,
        customer_commands.CreateCustomer,
        warehouse_commands.CreateWarehouse,
        zone_commands.CreateZone,
        inventory_commands.CreateInventory,
    }
)


def creates(command: Command) -> bool:
    """Tell whether ``command`` creates its aggregate (see ``CREATIONS``)."""
    return type(command) in CREATIONS
