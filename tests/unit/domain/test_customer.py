from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    AlreadyExistsError,
    AlreadyInactiveError,
    ChangeCustomerType,
    CreateCustomer,
    CustomerCreated_V1,
    CustomerDeactivated_V1,
    CustomerInactiveError,
    CustomerType,
    CustomerTypeChanged_V1,
    CustomerUpdated_V1,
    DeactivateCustomer,
    NotFoundError,
    UpdateCustomer,
    ValidationError,
)
from domain.customer import Customer, decide, evolve, fold

CID = "CUS-0001"
CREATE = CreateCustomer(
    CID, "CMP-0002", "さくらマート", CustomerType.SUPERMARKET, "大阪市", "06-1111-2222"
)


def created() -> Customer:
    state = fold(decide(INITIAL, CREATE))
    assert isinstance(state, Customer)
    return state


def test_creating_a_customer_makes_an_active_customer() -> None:
    [event] = decide(INITIAL, CREATE)
    assert isinstance(event, CustomerCreated_V1) and event.active
    assert created().version == 1


def test_creating_a_customer_twice_is_rejected() -> None:
    with pytest.raises(AlreadyExistsError):
        decide(created(), CREATE)


def test_a_customer_needs_a_well_formed_company_id() -> None:
    with pytest.raises(ValidationError):
        CreateCustomer(CID, "COMPANY-2", "x", CustomerType.RETAILER, "a", "b")


@pytest.mark.parametrize(
    "command",
    [
        UpdateCustomer(CID, name="x"),
        DeactivateCustomer(CID),
        ChangeCustomerType(CID, CustomerType.RETAILER),
    ],
)
def test_a_command_on_a_missing_customer_is_rejected(command: object) -> None:
    with pytest.raises(NotFoundError):
        decide(INITIAL, command)  # type: ignore[arg-type]


def test_updating_a_customer_emits_the_contact_fields_after_the_change() -> None:
    [event] = decide(created(), UpdateCustomer(CID, contact="06-9999-0000"))
    assert event == CustomerUpdated_V1(CID, "さくらマート", "大阪市", "06-9999-0000")
    state = evolve(created(), event)
    assert isinstance(state, Customer) and state.contact == "06-9999-0000"


def test_an_update_that_changes_nothing_emits_nothing() -> None:
    assert decide(created(), UpdateCustomer(CID, name="さくらマート")) == []


def test_changing_the_customer_type_records_old_and_new() -> None:
    [event] = decide(created(), ChangeCustomerType(CID, CustomerType.RESTAURANT))
    assert event == CustomerTypeChanged_V1(CID, CustomerType.SUPERMARKET, CustomerType.RESTAURANT)
    assert decide(created(), ChangeCustomerType(CID, CustomerType.SUPERMARKET)) == []


def test_a_deactivated_customer_refuses_changes_and_a_second_deactivation() -> None:
    [event] = decide(created(), DeactivateCustomer(CID, "取引終了"))
    assert isinstance(event, CustomerDeactivated_V1)
    state = evolve(created(), event)
    with pytest.raises(CustomerInactiveError):
        decide(state, UpdateCustomer(CID, name="x"))
    with pytest.raises(CustomerInactiveError):
        decide(state, ChangeCustomerType(CID, CustomerType.RETAILER))
    with pytest.raises(AlreadyInactiveError):
        decide(state, DeactivateCustomer(CID))
