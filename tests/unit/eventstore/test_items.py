"""Journal items round-trip, and Streams-style images parse without a client."""

from __future__ import annotations

import base64

from connectors.eventstore import NewEvent, entry_from_item
from connectors.eventstore.items import entry_to_item
from connectors.eventstore.journal import build_entry

PAYLOAD = b"\xc3\x01" + bytes(range(256))


def test_an_entry_survives_the_item_round_trip() -> None:
    entry = build_entry(
        "inv-1",
        "Inventory",
        4,
        [NewEvent("e1", "A", PAYLOAD, 10), NewEvent("e2", "B", b"", 11)],
        "cmd-1",
        "corr-1",
    )
    item = entry_to_item(entry, written_at_ms=99)
    assert item["seq_nr"] == {"N": "5"} and item["last_seq_nr"] == {"N": "6"}
    assert entry_from_item(item) == entry


def test_a_stream_new_image_with_base64_binaries_parses() -> None:
    new_image = {
        "aggregate_id": {"S": "inv-1"},
        "seq_nr": {"N": "1"},
        "last_seq_nr": {"N": "1"},
        "aggregate_type": {"S": "Inventory"},
        "command_id": {"S": "cmd-1"},
        "correlation_id": {"S": "corr-1"},
        "written_at_ms": {"N": "1700000000000"},
        "events": {
            "L": [
                {
                    "M": {
                        "event_id": {"S": "e1"},
                        "seq_nr": {"N": "1"},
                        "event_type": {"S": "InventoryCreated_V1"},
                        "payload": {"B": base64.b64encode(PAYLOAD).decode()},
                        "occurred_at_ms": {"N": "1700000000000"},
                    }
                }
            ]
        },
    }
    entry = entry_from_item(new_image)
    assert (entry.first_seq_nr, entry.last_seq_nr, entry.command_id) == (1, 1, "cmd-1")
    [event] = entry.events
    assert (event.seq_nr, event.payload, event.command_id) == (1, PAYLOAD, "cmd-1")
