"""Journal entries become event messages: topic, key, unchanged payload, headers."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from connectors.bridge import messages_for_entry, messages_from_records
from connectors.eventstore import UnreadableItemError, entry_from_item
from schemas import framing
from schemas.registry import default_registry
from tests.unit.bridge.fakes import entry, record


def test_each_event_is_keyed_by_aggregate_id_with_its_payload_unchanged() -> None:
    e = entry("PRD-000001@TKY-01", first_seq=7, n_events=2)

    messages = messages_for_entry(e)

    assert [m.topic for m in messages] == ["inventory.events", "inventory.events"]
    assert {m.key for m in messages} == {b"PRD-000001@TKY-01"}
    assert [m.value for m in messages] == [b"payload-7", b"payload-8"]


def test_every_header_names_the_event_and_its_command() -> None:
    (message,) = messages_for_entry(entry("PRD-000001@TKY-01", first_seq=3))

    assert dict(message.headers) == {
        "zaiko-event-type": b"StockReceived_V1",
        "zaiko-sequence-nr": b"3",
        "zaiko-event-id": b"evt-PRD-000001@TKY-01-3",
        "zaiko-command-id": b"cmd-3",
        "zaiko-correlation-id": b"corr-3",
        "zaiko-aggregate-type": b"inventory",
        "zaiko-message-type": b"StockReceived_V1",
    }


def test_the_message_type_is_the_schema_name_the_payload_carries() -> None:
    schema = default_registry().by_name("zaiko.events.inventory.StockReceived_V1")
    e = entry("PRD-000001@TKY-01", first_seq=1)
    e = replace(e, events=(replace(e.events[0], payload=framing.frame(schema.fingerprint, b"")),))

    (message,) = messages_for_entry(e)

    assert message.header("zaiko-message-type") == "zaiko.events.inventory.StockReceived_V1"


def test_aggregate_type_spellings_map_to_the_contract_topic() -> None:
    for kind in ("warehouse-zone", "warehouse_zone", "WarehouseZone"):
        (message,) = messages_for_entry(entry("TKY-01", 1, kind=kind))
        assert message.topic == "warehouse-zone.events"


def test_an_unknown_aggregate_type_goes_to_the_dead_letter_topic_with_a_reason() -> None:
    (message,) = messages_for_entry(entry("X-1", 1, kind="spaceship"))

    assert message.topic == "dead-letter"
    assert "spaceship" in (message.header("zaiko-dlq-reason") or "")


def test_removals_and_records_without_a_new_image_are_not_bridged() -> None:
    kept = record(entry("INV-A", 1))
    removed = record(entry("INV-A", 2), event_name="REMOVE")
    keys_only = record(entry("INV-A", 3), event_name="MODIFY")
    del keys_only["dynamodb"]["NewImage"]

    messages = messages_from_records([kept, removed, keys_only])

    assert [m.header("zaiko-sequence-nr") for m in messages] == ["1"]


def test_a_record_that_is_not_an_entry_goes_to_dead_letter_and_the_rest_is_bridged() -> None:
    before, broken, after = (
        record(entry("INV-A", 1)),
        record(entry("INV-B", 4)),
        record(entry("INV-A", 2)),
    )
    del broken["dynamodb"]["NewImage"]["command_id"]  # e.g. written by another tool
    broken["dynamodb"]["NewImage"]["blob"] = {"B": b"\x00\xff"}

    messages = messages_from_records([before, broken, after])

    assert [m.topic for m in messages] == ["inventory.events", "dead-letter", "inventory.events"]
    dead = messages[1]
    assert dead.key == b"INV-B"
    assert "UnreadableJournalItem: journal item INV-B/4" in (dead.header("zaiko-dlq-reason") or "")
    assert dead.header("zaiko-stream-sequence-nr") == broken["dynamodb"]["SequenceNumber"]
    image = json.loads(dead.value)
    assert image["aggregate_id"] == {"S": "INV-B"} and image["blob"] == {"B": "AP8="}


def test_an_item_that_is_not_an_entry_is_a_typed_error_naming_its_key() -> None:
    item = record(entry("INV-C", 9))["dynamodb"]["NewImage"]
    item["events"] = {"L": [{"M": {"seq_nr": {"N": "x"}}}]}

    with pytest.raises(UnreadableItemError, match="INV-C/9"):
        entry_from_item(item)
