"""What reaches a command topic is a command, a refused command, or dead letter."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any

import pytest
from fastavro import schemaless_writer

from domain import ReceiveStock, limits
from schemas import CommandEnvelope, encode, framing
from schemas.registry import default_registry
from streams.handling import Command, DeadLetter, Invalid, classify
from streams.handling.outcomes import rejected, to_record
from tests.unit.streams.builders import create_product, envelope

INV = "PRD-000004@TKY-01"


def raw_command(full_name: str, datum: dict[str, Any]) -> bytes:
    """Encode a datum the domain would refuse, the way a careless producer might."""
    entry = default_registry().by_name(full_name)
    body = io.BytesIO()
    schemaless_writer(body, entry.writer, datum)
    return framing.frame(entry.fingerprint, body.getvalue())


def test_a_valid_command_on_its_own_topic_is_a_command() -> None:
    sent = envelope(create_product("PRD-000004"))
    assert classify(encode(sent), "product") == Command(sent)


def test_garbage_bytes_and_empty_values_are_dead_letters() -> None:
    assert isinstance(classify(b"not avro at all", "product"), DeadLetter)
    assert isinstance(classify(b"", "product"), DeadLetter)
    assert isinstance(classify(None, "product"), DeadLetter)


def test_an_unknown_fingerprint_is_a_dead_letter_naming_the_schema() -> None:
    intake = classify(framing.MAGIC + b"\x00" * 8 + b"\x02", "product")
    assert isinstance(intake, DeadLetter) and intake.reason.startswith("unknown-schema")


def test_a_message_that_is_not_a_command_is_a_dead_letter() -> None:
    outcome = to_record(rejected(envelope(create_product("PRD-000004")).meta, "product", "X", "x"))
    intake = classify(encode(outcome), "product")
    assert isinstance(intake, DeadLetter) and intake.reason.startswith("not-a-command")


def test_a_negative_quantity_is_a_refused_command_with_its_id() -> None:
    sent = envelope(ReceiveStock(INV, 5))
    meta = {**vars(sent.meta), "issued_at": sent.meta.issued_at}
    datum = {"meta": meta, "inventory_id": INV, "quantity": -5, "operator": None, "note": None}
    intake = classify(raw_command("zaiko.commands.inventory.ReceiveStock", datum), "inventory")
    assert isinstance(intake, Invalid)
    assert intake.meta.command_id == sent.meta.command_id
    assert intake.error.code == "VALIDATION"


def test_a_command_on_another_aggregates_topic_is_refused() -> None:
    intake = classify(encode(envelope(create_product("PRD-000004"))), "inventory")
    assert isinstance(intake, Invalid) and intake.error.code == "VALIDATION"


def _with_meta(**changes: str) -> bytes:
    sent = envelope(ReceiveStock(INV, 5))
    return encode(CommandEnvelope(replace(sent.meta, **changes), sent.command))


def test_an_empty_command_id_is_a_dead_letter_it_cannot_key_an_outcome() -> None:
    intake = classify(_with_meta(command_id=""), "inventory")
    assert isinstance(intake, DeadLetter) and intake.reason.startswith("invalid-meta")


@pytest.mark.parametrize(
    "command_id", ["k" * (limits.COMMAND_ID_LENGTH + 1), "x" * 3000, "a\x00b", "   "]
)
def test_a_command_id_no_key_can_be_is_refused_and_never_recorded(command_id: str) -> None:
    intake = classify(_with_meta(command_id=command_id), "inventory")
    assert isinstance(intake, Invalid) and intake.reserved
    assert intake.error.code == "VALIDATION" and intake.error.ids["field"] == "meta.command_id"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("correlation_id", "c" * (limits.CORRELATION_ID_LENGTH + 1)),
        ("correlation_id", "c" * 500_000),
        ("channel", "x" * (limits.CHANNEL_LENGTH + 1)),
        ("channel", "pos\n"),
    ],
)
def test_meta_that_events_cannot_carry_is_a_recorded_validation(name: str, value: str) -> None:
    intake = classify(_with_meta(**{name: value}), "inventory")
    assert isinstance(intake, Invalid) and not intake.reserved
    assert intake.error.ids["field"] == f"meta.{name}" and intake.fingerprint is not None


def test_meta_at_its_bounds_is_a_command() -> None:
    data = _with_meta(command_id="k" * limits.COMMAND_ID_LENGTH, channel="",
                      correlation_id="c" * limits.CORRELATION_ID_LENGTH)  # fmt: skip
    assert isinstance(classify(data, "inventory"), Command)
