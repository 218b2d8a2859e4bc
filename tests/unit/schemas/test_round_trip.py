from __future__ import annotations

import dataclasses

import pytest

from domain import messages
from schemas.catalog import message_specs
from schemas.codec import decode, encode, message_type_of, schema_name_of
from schemas.registry import default_registry
from tests.unit.schemas.samples import sample_for

SPECS = message_specs()


def test_every_domain_command_and_event_has_a_schema() -> None:
    names = {spec.cls.__name__ for spec in SPECS}
    assert set(messages.COMMANDS) <= names
    assert set(messages.EVENTS) <= names
    assert {spec.full_name for spec in SPECS} == set(default_registry().names())


@pytest.mark.parametrize("fill_optional", [True, False], ids=["optionals-set", "optionals-none"])
@pytest.mark.parametrize("spec", SPECS, ids=[spec.full_name for spec in SPECS])
def test_every_message_survives_an_encode_decode_round_trip(spec, fill_optional) -> None:
    message = sample_for(spec, fill_optional)

    data = encode(message)

    assert decode(data) == message
    assert message_type_of(data) == spec.full_name == schema_name_of(message)


@pytest.mark.parametrize("spec", SPECS, ids=[spec.full_name for spec in SPECS])
def test_decoded_enums_and_tuples_have_their_python_types(spec) -> None:
    message = sample_for(spec)
    decoded = decode(encode(message))
    original = getattr(message, "command", getattr(message, "event", message))
    restored = getattr(decoded, "command", getattr(decoded, "event", decoded))
    for field in dataclasses.fields(original):
        before, after = getattr(original, field.name), getattr(restored, field.name)
        assert type(after) is type(before), field.name


def test_timestamps_are_carried_at_millisecond_precision_in_utc() -> None:
    spec = next(s for s in SPECS if s.name == "ReceiveStock")
    message = sample_for(spec)
    decoded = decode(encode(message))
    assert decoded.meta.issued_at == message.meta.issued_at
    assert decoded.meta.issued_at.microsecond % 1000 == 0
    assert decoded.meta.issued_at.utcoffset().total_seconds() == 0
