"""The documented producer example speaks the same bytes as our codec (no broker needed)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from domain.inventory.commands import ReceiveStock
from schemas.codec import decode_command, encode
from schemas.records import CommandOutcome, OutcomeStatus
from tests.unit.schemas.samples import AT

EXAMPLE = Path(__file__).parents[3] / "docs/examples/sales_channel_producer.py"


def _load_example():
    spec = importlib.util.spec_from_file_location("sales_channel_producer", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


example = _load_example()


def test_the_examples_receive_stock_bytes_decode_with_our_codec() -> None:
    schema = example.load_schema(example.RECEIVE_STOCK_AVSC)
    datum = example.build_receive_stock("PRD-000001@TKY-01", 24, note="朝便", command_id="c-1")

    envelope = decode_command(example.encode_single_object(schema, datum))

    assert envelope.command == ReceiveStock("PRD-000001@TKY-01", 24, None, "朝便")
    assert envelope.meta.command_id == envelope.meta.correlation_id == "c-1"
    assert envelope.meta.aggregate_id == "PRD-000001@TKY-01"
    assert envelope.meta.channel == "ec-site"


def test_the_example_reads_outcomes_our_codec_writes() -> None:
    schema = example.load_schema(example.COMMAND_OUTCOME_AVSC)
    outcome = CommandOutcome(
        command_id="c-1",
        aggregate_id="PRD-000001@TKY-01",
        aggregate_type="inventory",
        status=OutcomeStatus.ACCEPTED,
        version=3,
        event_types=("StockReceived_V1",),
        completed_at=AT,
    )

    record = example.decode_single_object(schema, encode(outcome))

    assert record is not None
    assert (record["command_id"], record["status"], record["version"]) == ("c-1", "ACCEPTED", 3)
    assert record["event_types"] == ["StockReceived_V1"]


def test_the_example_ignores_bytes_written_with_another_schema() -> None:
    schema = example.load_schema(example.COMMAND_OUTCOME_AVSC)
    other = example.encode_single_object(
        example.load_schema(example.RECEIVE_STOCK_AVSC),
        example.build_receive_stock("PRD-000001@TKY-01", 1),
    )
    assert example.decode_single_object(schema, other) is None
