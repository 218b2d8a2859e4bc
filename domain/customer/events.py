"""Events of the Customer (取引先) aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import CustomerType
from domain.message import Event

__all__ = [
    "CustomerCreated_V1",
    "CustomerDeactivated_V1",
    "CustomerTypeChanged_V1",
    "CustomerUpdated_V1",
]


@dataclass(frozen=True)
class CustomerCreated_V1(Event):
    customer_id: str
    company_id: str
    name: str
    customer_type: CustomerType
    address: str
    contact: str
    active: bool


@dataclass(frozen=True)
class CustomerUpdated_V1(Event):
    """Carries every contact field after the update, changed or not."""

    customer_id: str
    name: str
    address: str
    contact: str


@dataclass(frozen=True)
class CustomerDeactivated_V1(Event):
    customer_id: str
    reason: str | None


@dataclass(frozen=True)
class CustomerTypeChanged_V1(Event):
    customer_id: str
    previous_customer_type: CustomerType
    customer_type: CustomerType
