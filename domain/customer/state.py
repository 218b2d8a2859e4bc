"""Customer (取引先) state and how events evolve it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from domain.aggregate import Absent, fold_with
from domain.customer.events import (
    CustomerCreated_V1,
    CustomerDeactivated_V1,
    CustomerTypeChanged_V1,
    CustomerUpdated_V1,
)
from domain.enums import CustomerType
from domain.message import Event


@dataclass(frozen=True)
class Customer:
    customer_id: str
    company_id: str
    name: str
    customer_type: CustomerType
    address: str
    contact: str
    active: bool
    version: int


CustomerState = Customer | Absent


def evolve(state: CustomerState, event: Event) -> CustomerState:
    """Apply one recorded event to the state."""
    version = state.version + 1
    if isinstance(event, CustomerCreated_V1):
        return Customer(
            customer_id=event.customer_id,
            company_id=event.company_id,
            name=event.name,
            customer_type=event.customer_type,
            address=event.address,
            contact=event.contact,
            active=event.active,
            version=version,
        )
    if isinstance(state, Absent):
        raise TypeError(f"{type(event).__name__} before CustomerCreated_V1")
    if isinstance(event, CustomerUpdated_V1):
        return replace(
            state, name=event.name, address=event.address, contact=event.contact, version=version
        )
    if isinstance(event, CustomerDeactivated_V1):
        return replace(state, active=False, version=version)
    if isinstance(event, CustomerTypeChanged_V1):
        return replace(state, customer_type=event.customer_type, version=version)
    raise TypeError(f"not a customer event: {type(event).__name__}")


def fold(events: Iterable[Event]) -> CustomerState:
    """Rebuild the state from its whole event history."""
    return fold_with(evolve, events)
