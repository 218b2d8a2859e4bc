"""Commands of the Customer (取引先) aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import CustomerType
from domain.ids import CompanyId, CustomerId
from domain.message import NAME, NOTE, Command, optional, require, text

__all__ = [
    "ChangeCustomerType",
    "CreateCustomer",
    "DeactivateCustomer",
    "UpdateCustomer",
]


ADDRESS = text(300)
CONTACT = text(200)


@dataclass(frozen=True)
class CreateCustomer(Command):
    customer_id: str
    company_id: str
    name: str
    customer_type: CustomerType
    address: str
    contact: str

    def validate(self) -> None:
        require(
            self,
            customer_id=CustomerId,
            company_id=CompanyId,
            name=NAME,
            address=ADDRESS,
            contact=CONTACT,
        )


@dataclass(frozen=True)
class UpdateCustomer(Command):
    """Change contact details; a field left as None keeps its current value."""

    customer_id: str
    name: str | None = None
    address: str | None = None
    contact: str | None = None

    def validate(self) -> None:
        require(self, customer_id=CustomerId)
        optional(self, name=NAME, address=ADDRESS, contact=CONTACT)


@dataclass(frozen=True)
class DeactivateCustomer(Command):
    customer_id: str
    reason: str | None = None

    def validate(self) -> None:
        require(self, customer_id=CustomerId)
        optional(self, reason=NOTE)


@dataclass(frozen=True)
class ChangeCustomerType(Command):
    customer_id: str
    customer_type: CustomerType

    def validate(self) -> None:
        require(self, customer_id=CustomerId)
