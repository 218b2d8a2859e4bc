"""Records that do not hold an event of their key become dead letters, never exceptions."""

from __future__ import annotations

from schemas import encode
from streams.projection.decoding import decode_records
from streams.projection.records import Record
from tests.unit.alerts.events import fresh_inventory, stock_at


def record(key: bytes | None, value: bytes | None, offset: int = 0) -> Record:
    return Record("inventory.events", 1, offset, key, value)


def test_an_event_decodes_and_garbage_is_dead_lettered_with_its_reason() -> None:
    inventory = fresh_inventory()
    event = stock_at(inventory, 2, 40)
    good = record(inventory.encode(), encode(event))
    garbage = record(b"k", b"\xc3\x01 short", 1)
    empty = record(b"k", None, 2)
    decoded, dead = decode_records([garbage, good, empty])
    assert [d.envelope for d in decoded] == [event]
    assert [d.record.offset for d in dead] == [1, 2]
    assert dead[0].reason.split(":")[0].endswith("Error")
    assert dead[1].reason.startswith("EmptyMessage")


def test_an_event_under_another_aggregates_key_is_dead_lettered() -> None:
    event = stock_at(fresh_inventory(), 2, 40)
    decoded, dead = decode_records([record(b"PRD-000001@TKY-01", encode(event))])
    assert decoded == [] and dead[0].reason.startswith("KeyMismatch")
