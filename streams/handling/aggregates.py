"""The behaviour of each aggregate type, looked up by its name."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from domain import customer, inventory, product, warehouse, zone
from domain.message import Command, Event

Decide = Callable[..., list[Event]]
Evolve = Callable[[Any, Event], Any]


@dataclass(frozen=True)
class AggregateKind:
    """What the handler needs of one aggregate type: its decide and evolve functions."""

    name: str
    decide: Decide
    evolve: Evolve
    needs_refs: Callable[[Command], bool]


def _never(_: Command) -> bool:
    return False


KINDS: Mapping[str, AggregateKind] = {
    "product": AggregateKind("product", product.decide, product.evolve, _never),
    "customer": AggregateKind("customer", customer.decide, customer.evolve, _never),
    "warehouse": AggregateKind("warehouse", warehouse.decide, warehouse.evolve, _never),
    "warehouse-zone": AggregateKind("warehouse-zone", zone.decide, zone.evolve, _never),
    "inventory": AggregateKind(
        "inventory", inventory.decide, inventory.evolve, inventory.needs_refs
    ),
}
