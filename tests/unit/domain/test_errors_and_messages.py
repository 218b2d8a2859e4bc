from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum

import pytest

from domain import (
    AGGREGATE_OF_COMMAND,
    AGGREGATE_OF_EVENT,
    COMMANDS,
    ERROR_CLASSES,
    ERROR_CODES,
    EVENTS,
    CreateProduct,
    DomainError,
    NotFoundError,
    ReceiveStock,
    StockReceived_V1,
    StorageCondition,
    UnknownProductError,
    ValidationError,
    aggregate_id_of,
    aggregate_type_of,
)
from domain.messages import AGGREGATE_ID_FIELD, AGGREGATE_TYPES

SIMPLE = (str, int, bool, float, type(None))


def test_every_error_has_a_unique_code_and_a_name_ending_in_error() -> None:
    assert len(set(ERROR_CODES)) == len(ERROR_CODES)
    assert all(cls.__name__.endswith("Error") for cls in ERROR_CLASSES)
    assert all(issubclass(cls, DomainError) for cls in ERROR_CLASSES)
    for code in ("VALIDATION", "NOT_FOUND", "INSUFFICIENT_STOCK", "CONCURRENCY", "UNKNOWN_ZONE"):
        assert code in ERROR_CODES


def test_an_error_carries_the_ids_involved() -> None:
    error = UnknownProductError("unknown product", product_id="PRD-000001")
    assert isinstance(error, NotFoundError)
    assert error.ids == {"product_id": "PRD-000001"}
    assert error.code == "UNKNOWN_PRODUCT"
    assert "PRD-000001" in str(error)


def test_command_and_event_registries_are_complete_and_named_by_class() -> None:
    assert len(COMMANDS) == 27
    assert len(EVENTS) == 28  # 27 _V1 events + ProductUpdated_V2 (schema evolution)
    assert all(name.endswith(("_V1", "_V2")) for name in EVENTS)
    assert set(AGGREGATE_OF_COMMAND) == set(COMMANDS)
    assert set(AGGREGATE_OF_EVENT) == set(EVENTS)
    assert set(AGGREGATE_OF_COMMAND.values()) == set(AGGREGATE_TYPES)
    assert AGGREGATE_OF_COMMAND["CreateZone"] == "warehouse-zone"
    assert AGGREGATE_OF_EVENT["StockIssued_V1"] == "inventory"


@pytest.mark.parametrize("cls", [*COMMANDS.values(), *EVENTS.values()], ids=lambda c: c.__name__)
def test_messages_are_frozen_dataclasses_of_simple_field_types(cls: type) -> None:
    assert dataclasses.is_dataclass(cls)
    assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert (
        AGGREGATE_ID_FIELD[
            AGGREGATE_OF_COMMAND.get(cls.__name__) or AGGREGATE_OF_EVENT[cls.__name__]
        ]
        in names
    )
    for name in names:
        hint = hints[name]
        parts = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        for part in parts:
            assert part in SIMPLE or (issubclass(part, Enum) and issubclass(part, str)), (
                name,
                hint,
            )


def test_a_message_knows_its_aggregate_and_key() -> None:
    command = ReceiveStock("PRD-000001@TKY-01", 3)
    assert aggregate_type_of(command) == "inventory"
    assert aggregate_id_of(command) == "PRD-000001@TKY-01"


def test_enum_fields_given_as_raw_values_are_coerced() -> None:
    command = CreateProduct("PRD-000001", "牛乳", "MILK-1", "食品類", "冷蔵", "本")  # type: ignore[arg-type]
    assert command.storage_condition is StorageCondition.CHILLED


def test_an_unknown_enum_value_is_a_validation_error() -> None:
    with pytest.raises(ValidationError):
        CreateProduct("PRD-000001", "牛乳", "MILK-1", "食品類", "ぬるい", "本")  # type: ignore[arg-type]


def test_events_accept_recorded_values_without_revalidating() -> None:
    event = StockReceived_V1(
        "PRD-000001@TKY-01", "PRD-000001", "TKY", "TKY-01", 5, 5, 0, 5, None, None
    )
    assert event.on_hand_after == 5
