"""In-memory event, outcome and snapshot stores with the DynamoDB adapters' semantics.

The journal is keyed exactly like the DynamoDB table (aggregate id, first seq nr),
and an append succeeds iff its key is free, so the fake neither forgives nor
rejects anything the real store would not.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence

from connectors.eventstore.errors import conflict
from connectors.eventstore.journal import build_entry, checked, events_after
from connectors.eventstore.port import (
    CommandOutcome,
    JournalEntry,
    NewEvent,
    RecentCommand,
    Snapshot,
    StoredEvent,
)


class InMemoryEventStore:
    """``EventStore`` in a dict, safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._journal: dict[str, dict[int, JournalEntry]] = {}

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        command_id: str,
        correlation_id: str,
    ) -> JournalEntry:
        """Append all ``events`` as one entry at ``expected_version + 1`` or raise."""
        entry = build_entry(
            aggregate_id, aggregate_type, expected_version, events, command_id, correlation_id
        )
        with self._lock:
            items = self._journal.setdefault(aggregate_id, {})
            existing = items.get(entry.first_seq_nr)
            if existing is None:
                items[entry.first_seq_nr] = entry
                return entry
        if existing.command_id == command_id:
            return existing
        raise conflict(aggregate_id, expected_version)

    def load(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return the entries holding events after ``after_version``, in order."""
        with self._lock:
            items = sorted(self._journal.get(aggregate_id, {}).items())
        return checked((e for _, e in items if e.last_seq_nr > after_version), after_version)

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return the entries after ``after_version`` (a dict needs no key walk)."""
        return self.load(aggregate_id, after_version)

    def load_events(self, aggregate_id: str, after_version: int = 0) -> list[StoredEvent]:
        """Return the events with ``seq_nr > after_version``, in order."""
        return events_after(self.load(aggregate_id, after_version), after_version)

    def version(self, aggregate_id: str) -> int:
        """Return the aggregate's last sequence number (0 when it has none)."""
        with self._lock:
            items = self._journal.get(aggregate_id, {})
            return items[max(items)].last_seq_nr if items else 0

    def entry_at(self, aggregate_id: str, first_seq_nr: int) -> JournalEntry | None:
        """Return the entry keyed ``first_seq_nr``, if any."""
        with self._lock:
            return self._journal.get(aggregate_id, {}).get(first_seq_nr)

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        """Return the aggregate ids whose journal holds events after the given version."""
        with self._lock:
            return {a for a, v in versions.items() if v + 1 in self._journal.get(a, {})}


class InMemoryOutcomeStore:
    """``OutcomeStore`` in a dict: first writer wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outcomes: dict[str, CommandOutcome] = {}

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        """Record ``outcome`` unless one exists; return the outcome on record."""
        with self._lock:
            return self._outcomes.setdefault(outcome.command_id, outcome)

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        """Record many outcomes with the first-writer-wins rule (reading costs nothing here)."""
        with self._lock:
            return [self._outcomes.setdefault(o.command_id, o) for o in outcomes]

    def find_outcome(self, command_id: str) -> CommandOutcome | None:
        """Return the recorded outcome of ``command_id``, if any."""
        with self._lock:
            return self._outcomes.get(command_id)

    def find_outcomes(self, command_ids: Iterable[str]) -> dict[str, CommandOutcome]:
        """Return the recorded outcomes of those ``command_ids`` that have one."""
        with self._lock:
            return {c: self._outcomes[c] for c in command_ids if c in self._outcomes}


class InMemorySnapshotStore:
    """``SnapshotStore`` in a dict: one snapshot per aggregate, replaced only by a later one."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._snapshots: dict[str, Snapshot] = {}

    def save(
        self,
        aggregate_id: str,
        version: int,
        state: bytes,
        recent_commands: Sequence[RecentCommand] = (),
    ) -> None:
        """Keep ``state`` as the latest unless a later version is kept already."""
        if version < 1:
            raise ValueError(f"a snapshot needs a version >= 1, got {version}")
        snapshot = Snapshot(aggregate_id, version, bytes(state), tuple(recent_commands))
        with self._lock:
            kept = self._snapshots.get(aggregate_id)
            if kept is None or kept.version < version:
                self._snapshots[aggregate_id] = snapshot

    def latest(self, aggregate_id: str) -> Snapshot | None:
        """Return the snapshot with the highest version, if any."""
        with self._lock:
            return self._snapshots.get(aggregate_id)
