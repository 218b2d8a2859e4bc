"""The worker counts what it dead-letters, by reason, once the broker took it."""

from __future__ import annotations

import asyncio

import faust
from prometheus_client import REGISTRY

from connectors.kafka.metrics import reason_label
from schemas import encode
from streams.runtime import CommandRuntime
from tests.unit.streams.builders import create_product, envelope
from tests.unit.streams.conftest import Stores
from tests.unit.streams.test_runtime_publish import FlakyTopic, Message


def dead_letters(reason: str) -> float:
    labels = {"service": "worker", "reason": reason}
    return REGISTRY.get_sample_value("zaiko_dead_letters_total", labels) or 0.0


def test_an_empty_message_is_counted_as_a_dead_letter_and_an_accepted_command_is_not(
    stores: Stores,
) -> None:
    app = faust.App("dead-letter-metrics", broker="kafka://127.0.0.1:1", autodiscover=False)
    commands = CommandRuntime(app, stores.handler(), threads=2, parallelism=2)
    results, letters = FlakyTopic(failures=0), FlakyTopic(failures=0)
    commands.results, commands.dead_letters = results, letters  # type: ignore[assignment]
    empty, malformed = dead_letters("empty"), dead_letters("malformed")
    good = Message(encode(envelope(create_product("PRD-000077"))), key=b"PRD-000077")
    try:
        asyncio.run(commands.process_batch("product", [Message(b""), good]))
    finally:
        commands.shutdown()

    assert len(letters.published) == 1 and len(results.published) == 1
    assert dead_letters("empty") - empty == 1
    assert dead_letters("malformed") == malformed


def test_a_reason_label_is_the_identifier_before_the_colon_and_nothing_free_form() -> None:
    assert reason_label("ProjectionParked: 在庫 check violated for INV-1") == "ProjectionParked"
    assert reason_label("unknown-schema: no such schema x.y") == "unknown-schema"
    assert reason_label("unanswered") == "unanswered"
    assert reason_label("the record has no value: at all") == "other"
    assert reason_label("") == "other"
