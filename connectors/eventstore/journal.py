"""Store-independent rules of the journal: argument checks, numbering, contiguity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from connectors.eventstore.errors import CorruptJournalError
from connectors.eventstore.port import JournalEntry, NewEvent, StoredEvent


def build_entry(
    aggregate_id: str,
    aggregate_type: str,
    expected_version: int,
    events: Sequence[NewEvent],
    command_id: str,
    correlation_id: str,
) -> JournalEntry:
    """Number ``events`` from ``expected_version + 1`` into one entry; reject bad input.

    The entry's first event must be ``command_id``'s (it names the entry).
    """
    if expected_version < 0:
        raise ValueError(f"expected_version must be >= 0, got {expected_version}")
    if not events:
        raise ValueError("a command must append at least one event")
    if events[0].command_id not in (None, command_id):
        raise ValueError(f"the first event must be {command_id}'s, not {events[0].command_id}'s")
    first = expected_version + 1
    fingerprints = {(e.command_id or command_id): e.fingerprint for e in events if e.fingerprint}
    stored = tuple(
        StoredEvent(
            aggregate_id=aggregate_id,
            seq_nr=first + i,
            event_id=e.event_id,
            event_type=e.event_type,
            payload=bytes(e.payload),
            occurred_at_ms=e.occurred_at_ms,
            command_id=e.command_id or command_id,
            correlation_id=e.correlation_id or correlation_id,
        )
        for i, e in enumerate(events)
    )
    return JournalEntry(
        aggregate_id=aggregate_id,
        aggregate_type=aggregate_type,
        first_seq_nr=first,
        last_seq_nr=first + len(events) - 1,
        command_id=command_id,
        correlation_id=correlation_id,
        events=stored,
        fingerprints=tuple(fingerprints.items()),
    )


def checked(entries: Iterable[JournalEntry], after_version: int) -> list[JournalEntry]:
    """Return ``entries`` (ascending) after verifying they chain without gap or overlap.

    The optimistic lock only holds for expected versions read from the store
    (item boundaries); a caller that invents a version can create a gap or an
    overlap, and this is where it shows up.
    """
    result = list(entries)
    previous: JournalEntry | None = None
    for entry in result:
        if previous is not None and entry.first_seq_nr != previous.last_seq_nr + 1:
            raise CorruptJournalError(
                f"journal of {entry.aggregate_id} jumps from {previous.last_seq_nr} "
                f"to {entry.first_seq_nr}"
            )
        previous = entry
    if result and result[0].first_seq_nr > after_version + 1:
        raise CorruptJournalError(
            f"journal of {result[0].aggregate_id} has nothing between {after_version} "
            f"and {result[0].first_seq_nr}"
        )
    return result


def events_after(entries: Iterable[JournalEntry], after_version: int) -> list[StoredEvent]:
    """Flatten ``entries`` to the events with ``seq_nr > after_version``."""
    return [e for entry in entries for e in entry.events if e.seq_nr > after_version]


def should_snapshot(previous_version: int, new_version: int, every_n: int) -> bool:
    """Return True when ``previous_version`` -> ``new_version`` crosses a multiple of N."""
    if every_n <= 0:
        return False
    return new_version // every_n > previous_version // every_n
