from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from domain.inventory.commands import ReceiveStock
from domain.inventory.events import StockReceived_V1
from schemas.catalog import message_specs
from schemas.codec import (
    decode_alert,
    decode_command,
    decode_event,
    decode_outcome,
    encode,
    message_type_of,
)
from schemas.envelope import CommandEnvelope, EventEnvelope
from schemas.errors import EncodingError, UnexpectedMessageTypeError
from schemas.framing import HEADER_SIZE
from tests.unit.schemas.samples import command_meta, event_meta, sample_for, sample_message

ROOT = Path(__file__).parents[3]


def _spec(name: str):
    return next(spec for spec in message_specs() if spec.name == name)


def test_importing_the_package_loads_no_schema_file() -> None:
    code = (
        "import schemas, schemas.codec; from schemas.registry import default_registry; "
        "print(default_registry.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "0", out.stderr


def test_message_type_is_read_from_the_header_without_decoding_the_body() -> None:
    data = encode(sample_for(_spec("ReserveStock")))
    assert message_type_of(data[:HEADER_SIZE] + b"garbage") == (
        "zaiko.commands.inventory.ReserveStock"
    )


def test_a_bare_command_without_its_envelope_cannot_be_encoded() -> None:
    with pytest.raises(EncodingError):
        encode(sample_message(ReceiveStock))  # type: ignore[arg-type]


def test_an_event_in_a_command_envelope_cannot_be_encoded() -> None:
    with pytest.raises(EncodingError):
        encode(CommandEnvelope(command_meta(), sample_message(StockReceived_V1)))


def test_a_value_of_the_wrong_type_is_an_encoding_error() -> None:
    bad = EventEnvelope(event_meta(), sample_message(StockReceived_V1))
    object.__setattr__(bad.event, "quantity", "three")
    with pytest.raises(EncodingError, match="StockReceived_V1"):
        encode(bad)


def test_typed_decoders_accept_their_kind_and_refuse_others() -> None:
    command = encode(sample_for(_spec("ReceiveStock")))
    event = encode(sample_for(_spec("StockReceived_V1")))
    outcome = encode(sample_for(_spec("CommandOutcome")))
    alert = encode(sample_for(_spec("LowStockAlert")))

    assert decode_command(command).command.quantity == 3
    assert decode_event(event).meta.sequence_nr == 8
    assert decode_outcome(outcome).command_id
    assert decode_alert(alert).alert_id
    for decoder, wrong in [
        (decode_command, event),
        (decode_event, command),
        (decode_outcome, alert),
        (decode_alert, outcome),
    ]:
        with pytest.raises(UnexpectedMessageTypeError):
            decoder(wrong)
