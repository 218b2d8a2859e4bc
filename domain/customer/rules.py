"""Customer (取引先) business rules: which events a command produces."""

from __future__ import annotations

from domain.aggregate import Absent, keep_or, missing
from domain.customer.commands import (
    ChangeCustomerType,
    CreateCustomer,
    DeactivateCustomer,
    UpdateCustomer,
)
from domain.customer.events import (
    CustomerCreated_V1,
    CustomerDeactivated_V1,
    CustomerTypeChanged_V1,
    CustomerUpdated_V1,
)
from domain.customer.state import CustomerState
from domain.errors import AlreadyExistsError, AlreadyInactiveError, CustomerInactiveError
from domain.message import Command, Event


def decide(state: CustomerState, command: Command) -> list[Event]:
    """Decide which events `command` produces against `state`, or raise a DomainError."""
    if isinstance(command, CreateCustomer):
        if not isinstance(state, Absent):
            raise AlreadyExistsError("customer already exists", customer_id=command.customer_id)
        return [
            CustomerCreated_V1(
                customer_id=command.customer_id,
                company_id=command.company_id,
                name=command.name,
                customer_type=command.customer_type,
                address=command.address,
                contact=command.contact,
                active=True,
            )
        ]
    if isinstance(state, Absent):
        raise missing("customer", customer_id=getattr(command, "customer_id", ""))
    if not state.active:
        if isinstance(command, DeactivateCustomer):
            raise AlreadyInactiveError("customer already inactive", customer_id=state.customer_id)
        raise CustomerInactiveError("customer is inactive", customer_id=state.customer_id)
    if isinstance(command, DeactivateCustomer):
        return [CustomerDeactivated_V1(state.customer_id, command.reason)]
    if isinstance(command, UpdateCustomer):
        after = CustomerUpdated_V1(
            customer_id=state.customer_id,
            name=keep_or(command.name, state.name),
            address=keep_or(command.address, state.address),
            contact=keep_or(command.contact, state.contact),
        )
        before = CustomerUpdated_V1(state.customer_id, state.name, state.address, state.contact)
        return [] if after == before else [after]
    if isinstance(command, ChangeCustomerType):
        if command.customer_type is state.customer_type:
            return []
        return [
            CustomerTypeChanged_V1(state.customer_id, state.customer_type, command.customer_type)
        ]
    raise TypeError(f"not a customer command: {type(command).__name__}")
