"""Snapshots: every aggregate state survives a JSON round trip unchanged."""

from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    ChangeCustomerType,
    CustomerType,
    IssueStock,
    ReserveStock,
    TransferStockOut,
    UpdateZone,
)
from domain.message import Command
from streams.handling.state_codec import StateCodecError, decode_state, encode_state
from tests.unit.streams.builders import (
    create_customer,
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    stocked_inventory,
)
from tests.unit.streams.conftest import Stores

INV = "PRD-000005@TKY-01"


def final_state(
    stores: Stores, aggregate_type: str, aggregate_id: str, *commands: Command
) -> object:
    handler = stores.handler()
    for command in commands:
        outcome = handler.handle(envelope(command))
        assert outcome.status == "ACCEPTED", outcome
    return handler.loader.load(aggregate_type, aggregate_id).state


def test_an_inventory_with_reservations_and_transfers_round_trips(stores: Stores) -> None:
    state = final_state(
        stores, "inventory", INV,
        *stocked_inventory("PRD-000005", "TKY-01"),
        ReserveStock(INV, "R-1", 10), ReserveStock(INV, "R-2", 5), IssueStock(INV, 5, "R-2"),
        TransferStockOut(INV, "T-1", "PRD-000005@OSK-01", 20),
    )  # fmt: skip
    assert decode_state(encode_state(state)) == state


@pytest.mark.parametrize(
    ("aggregate_type", "aggregate_id", "commands"),
    [
        ("product", "PRD-000006", [create_product("PRD-000006")]),
        ("warehouse", "OSK", [create_warehouse("OSK")]),
        ("warehouse-zone", "OSK-02", [create_zone("OSK-02"), UpdateZone("OSK-02", None, 1.0, 5.0)]),
        ("customer", "CUS-0006", [create_customer("CUS-0006"),
                                  ChangeCustomerType("CUS-0006", CustomerType.RETAILER)]),
    ],
)  # fmt: skip
def test_every_aggregate_state_round_trips(
    stores: Stores, aggregate_type: str, aggregate_id: str, commands: list[Command]
) -> None:
    state = final_state(stores, aggregate_type, aggregate_id, *commands)
    assert decode_state(encode_state(state)) == state


def test_the_absent_state_round_trips() -> None:
    assert decode_state(encode_state(INITIAL)) == INITIAL


def test_unknown_or_corrupt_snapshots_are_refused() -> None:
    for data in (b"", b"{}", b'{"format": 1, "state": {"$type": "Os", "fields": {}}}'):
        with pytest.raises(StateCodecError):
            decode_state(data)
    with pytest.raises(StateCodecError):
        encode_state(object())
