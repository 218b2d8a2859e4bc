"""Read an aggregate's journal back from DynamoDB and fold it with the domain's evolve."""

from __future__ import annotations

from typing import Any

from connectors.eventstore.port import EventStore
from domain.aggregate import fold_with
from schemas import decode_event
from streams.handling.aggregates import KINDS


def journal_types(events: EventStore, aggregate_id: str) -> list[str]:
    return [e.event_type for e in events.load_events(aggregate_id)]


def folded(events: EventStore, aggregate_type: str, aggregate_id: str) -> Any:
    """Return the state a fold of the whole journal gives."""
    stored = events.load_events(aggregate_id)
    decoded = [decode_event(e.payload, upcast=False).event for e in stored]
    return fold_with(KINDS[aggregate_type].evolve, decoded)


def assert_gap_free(events: EventStore, aggregate_id: str) -> list[Any]:
    """Assert seq nrs run 1..n and no command appears in two entries; return the entries."""
    entries = events.load(aggregate_id)
    seq_nrs = [e.seq_nr for entry in entries for e in entry.events]
    assert seq_nrs == list(range(1, len(seq_nrs) + 1)), f"{aggregate_id}: {seq_nrs}"
    command_ids = [c for entry in entries for c in entry.command_ids]
    assert len(command_ids) == len(set(command_ids)), f"{aggregate_id}: a command appended twice"
    return entries
