"""The event that parks an aggregate goes to dead-letter as delivered: key, value, headers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from types import SimpleNamespace
from typing import Any

from connectors.postgres.claims import Hold
from connectors.postgres.isolation import Applied, Parking
from connectors.postgres.parking import Parked
from schemas import DEAD_LETTER_TOPIC, INVENTORY_NOTIFICATIONS_TOPIC, EventEnvelope, encode
from streams.projection import ProjectionHandler, Record
from streams.projector.output import messages_of
from streams.runtime import CommandRuntime, dead_letter_headers
from tests.unit.alerts.events import fresh_inventory, stock_at

NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
ORIGINAL = (("zaiko-event-type", b"StockReceived_V1"), ("zaiko-correlation-id", b"corr-7"))


class FakeIsolator:
    def __init__(self, applied: Applied) -> None:
        self.applied = applied

    def apply(self, envelopes: Sequence[EventEnvelope[Any]], force: Collection[str] = ()) -> Any:
        return self.applied


def handler_applying(applied: Applied) -> ProjectionHandler:
    handler = ProjectionHandler(SimpleNamespace(), "inventory")
    handler.isolator = FakeIsolator(applied)
    return handler


def delivered(envelope: EventEnvelope[Any], offset: int) -> Record:
    key = envelope.meta.aggregate_id.encode()
    return Record("inventory.events", 3, offset, key, encode(envelope), ORIGINAL)


def parked_at(envelope: EventEnvelope[Any]) -> Parked:
    meta = envelope.meta
    reason = "NumericValueOutOfRange [22003]: integer out of range"
    return Parked(meta.aggregate_id, "inventory", meta.sequence_nr, meta.event_id, reason, 3,
                  NOW, NOW)  # fmt: skip


def test_the_parking_event_is_dead_lettered_with_its_original_key_value_and_headers() -> None:
    inventory = fresh_inventory()
    events = [stock_at(inventory, seq, 5) for seq in (1, 2, 3)]
    records = [delivered(e, 40 + i) for i, e in enumerate(events)]
    applied = Applied(parked=[Parking(parked_at(events[1]), events[1])])

    result = handler_applying(applied).project(records)

    message, notice = messages_of(result)
    assert message.topic == DEAD_LETTER_TOPIC
    assert notice.topic == INVENTORY_NOTIFICATIONS_TOPIC and notice.key == inventory.encode()
    assert (message.key, message.value) == (records[1].key, records[1].value)
    assert message.headers["zaiko-event-type"] == b"StockReceived_V1"
    assert message.headers["zaiko-correlation-id"] == b"corr-7"
    assert message.headers["zaiko-dlq-source-offset"] == b"41"
    assert message.headers["zaiko-dlq-source-partition"] == b"3"
    assert message.headers["zaiko-dlq-reason"].startswith(b"ProjectionParked: NumericValue")


def test_a_redelivered_parking_event_is_dead_lettered_again_and_later_ones_are_not() -> None:
    inventory = fresh_inventory()
    events = [stock_at(inventory, seq, 5) for seq in (2, 3, 4)]
    records = [delivered(e, 7 + i) for i, e in enumerate(events)]
    applied = Applied(held={inventory: Hold(events[0].meta.event_id, "DataError: x")})

    result = handler_applying(applied).project(records)

    assert [d.record.offset for d in result.dead_letters] == [7]
    [again] = result.notifications  # raised again, under the id of the first time
    first = handler_applying(Applied(parked=[Parking(parked_at(events[0]), events[0])]))
    assert [n.notification_id for n in first.project(records[:1]).notifications] == [
        again.notification_id
    ]
    assert (again.kind, again.state, again.subject) == ("AGGREGATE_PARKED", "RAISED", inventory)


def test_an_event_fetched_from_the_event_store_is_dead_lettered_under_its_aggregate_key() -> None:
    inventory = fresh_inventory()
    fetched = stock_at(inventory, 1, 5)
    applied = Applied(parked=[Parking(parked_at(fetched), fetched)])

    [letter] = handler_applying(applied).project([]).dead_letters

    assert letter.record.key == inventory.encode() and letter.record.value == encode(fetched)
    assert (letter.record.topic, letter.record.partition) == ("inventory.events", -1)


def test_dead_letter_headers_keep_the_original_ones_and_replace_stale_reasons() -> None:
    original = [("trace", b"t-1"), ("zaiko-dlq-reason", b"old"), ("empty", None)]
    headers = dead_letter_headers("Why: now", "product.commands", 2, 9, original)
    assert headers["trace"] == b"t-1" and headers["empty"] == b""
    assert headers["zaiko-dlq-reason"] == b"Why: now"
    assert dead_letter_headers("r", "t", 0, 0, {"k": b"v"})["k"] == b"v"


def test_a_dead_lettered_command_keeps_its_headers() -> None:
    runtime = SimpleNamespace(dead_letters="dead-letter-topic")
    headers = [("zaiko-command-id", b"cmd-1")]
    message = SimpleNamespace(topic="product.commands", partition=1, offset=5, key=b"PRD-1",
                              value=b"\x00junk", headers=headers)  # fmt: skip
    answer = SimpleNamespace(outcome=None, dead_letter="UnknownSchemaError: no such schema")

    topic, key, value, sent = CommandRuntime._outgoing(runtime, message, answer)

    assert (topic, key, value) == ("dead-letter-topic", b"PRD-1", b"\x00junk")
    assert sent["zaiko-command-id"] == b"cmd-1"
    assert sent["zaiko-dlq-reason"].startswith(b"UnknownSchemaError")
