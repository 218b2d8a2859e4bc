"""Commands of the Customer (取引先) aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from domain.enums import CustomerType
from domain.fields import ADDRESS, COMPANY_ID, CONTACT, CUSTOMER_ID, NAME, NOTE
from domain.message import Command

__all__ = [
    "ChangeCustomerType",
    "CreateCustomer",
    "DeactivateCustomer",
    "UpdateCustomer",
]


@dataclass(frozen=True)
class CreateCustomer(Command):
    customer_id: Annotated[str, CUSTOMER_ID]
    company_id: Annotated[str, COMPANY_ID]
    name: Annotated[str, NAME]
    customer_type: CustomerType
    address: Annotated[str, ADDRESS]
    contact: Annotated[str, CONTACT]


@dataclass(frozen=True)
class UpdateCustomer(Command):
    """Change contact details; a field left as None keeps its current value."""

    customer_id: Annotated[str, CUSTOMER_ID]
    name: Annotated[str | None, NAME] = None
    address: Annotated[str | None, ADDRESS] = None
    contact: Annotated[str | None, CONTACT] = None


@dataclass(frozen=True)
class DeactivateCustomer(Command):
    customer_id: Annotated[str, CUSTOMER_ID]
    reason: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ChangeCustomerType(Command):
    customer_id: Annotated[str, CUSTOMER_ID]
    customer_type: CustomerType
