"""The event-store port: what the command side needs from a journal of events.

The port belongs beside its user, the command handler; it lives here until that
handler exists. It is payload-agnostic (payloads are opaque bytes, the Avro
single-object encoding of each event) and imports nothing from a database driver.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Literal, Protocol

OutcomeStatus = Literal["ACCEPTED", "REJECTED"]


@dataclass(frozen=True)
class NewEvent:
    """An event decided by a command, not yet given a sequence number.

    ``command_id`` and ``correlation_id`` name the deciding command when one append
    carries the events of several commands; ``None`` means the append's own.
    ``fingerprint`` is the deciding command's (``domain.fingerprint``): kept
    with the entry, so a redelivery found in the journal is compared with it.
    """

    event_id: str
    event_type: str
    payload: bytes
    occurred_at_ms: int
    command_id: str | None = None
    correlation_id: str | None = None
    fingerprint: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    """An event in an aggregate's journal; ``seq_nr`` counts from 1 per aggregate."""

    aggregate_id: str
    seq_nr: int
    event_id: str
    event_type: str
    payload: bytes
    occurred_at_ms: int
    command_id: str
    correlation_id: str = ""


@dataclass(frozen=True)
class JournalEntry:
    """The events of one command, or of consecutive commands: one item, written atomically.

    ``command_id`` is the first command's; each event names its own.
    ``fingerprints``: (command id, fingerprint) of the commands that had one, in order.
    """

    aggregate_id: str
    aggregate_type: str
    first_seq_nr: int
    last_seq_nr: int
    command_id: str
    correlation_id: str
    events: tuple[StoredEvent, ...]
    fingerprints: tuple[tuple[str, str], ...] = ()

    @property
    def command_ids(self) -> tuple[str, ...]:
        """The commands whose events the entry holds, in order."""
        return tuple(dict.fromkeys(e.command_id for e in self.events)) or (self.command_id,)

    def part(self, command_id: str) -> JournalEntry | None:
        """Return the entry as if ``command_id`` had been appended alone (None: not here)."""
        if len(self.command_ids) == 1:
            return self if command_id == self.command_id else None
        events = tuple(e for e in self.events if e.command_id == command_id)
        if not events:
            return None
        fingerprints = tuple(f for f in self.fingerprints if f[0] == command_id)
        return replace(self, first_seq_nr=events[0].seq_nr, last_seq_nr=events[-1].seq_nr,
                       command_id=command_id, correlation_id=events[0].correlation_id,
                       events=events, fingerprints=fingerprints)  # fmt: skip

    def fingerprint_of(self, command_id: str) -> str | None:
        """Return the fingerprint ``command_id`` was appended with (None: written before them)."""
        return next((f for c, f in self.fingerprints if c == command_id), None)


@dataclass(frozen=True)
class CommandOutcome:
    """The answer given to a command, kept so a redelivered command gets the same one.

    ``fingerprint`` identifies the command it answers, so the same id on another
    command is told apart (None: recorded before fingerprints existed).
    """

    command_id: str
    aggregate_id: str
    aggregate_type: str
    status: OutcomeStatus
    version: int | None
    event_types: tuple[str, ...]
    error_code: str | None
    message: str | None
    recorded_at_ms: int
    fingerprint: str | None = None


RecentCommand = tuple[str, int]  # (command id, key = first seq nr of its journal entry)


@dataclass(frozen=True)
class Snapshot:
    """An aggregate's encoded state as of ``version``, and the last commands it applied.

    ``recent_commands`` lets a cold load answer a redelivered command from its journal
    entry (one GetItem by key) without searching the journal.
    """

    aggregate_id: str
    version: int
    state: bytes
    recent_commands: tuple[RecentCommand, ...] = ()


class EventStore(Protocol):
    """An append-only journal per aggregate with optimistic locking by version."""

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        command_id: str,
        correlation_id: str,
    ) -> JournalEntry:
        """Append all ``events`` as one entry at ``expected_version + 1`` or raise.

        Raises ``ConcurrencyError`` when another command already holds that
        position; returns the stored entry unchanged when the same ``command_id``
        holds it (a retried append is not a conflict). Events naming other commands
        (``NewEvent.command_id``) make one entry of several consecutive commands.
        """
        ...

    def load(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return the entries whose events come after ``after_version``, in order."""
        ...

    def follow(self, aggregate_id: str, after_version: int = 0) -> list[JournalEntry]:
        """Return what ``load`` returns for a boundary ``after_version``, entry by entry.

        ``after_version`` must be 0 or the last sequence number of an entry (a state
        folded from whole entries always is). The command handler's hot path: key
        lookups only (GetItem, BatchGetItem), never a Query. It follows the chain each
        entry's last sequence number makes, so unlike ``load`` it cannot see an entry
        written beyond a gap (no conditional append makes one).
        """
        ...

    def entry_at(self, aggregate_id: str, first_seq_nr: int) -> JournalEntry | None:
        """Return the entry whose first sequence number (its key) is ``first_seq_nr``."""
        ...

    def load_events(self, aggregate_id: str, after_version: int = 0) -> list[StoredEvent]:
        """Return the events with ``seq_nr > after_version``, in order."""
        ...

    def version(self, aggregate_id: str) -> int:
        """Return the aggregate's last sequence number (0 when it has none)."""
        ...

    def moved_since(self, versions: Mapping[str, int]) -> set[str]:
        """Return the aggregate ids whose journal holds events after the given version.

        Each version must be one the caller read from this store (an entry boundary):
        then the next entry, if any, starts right after it, so one key lookup per
        aggregate answers, and a batch of them costs one round trip.
        """
        ...


class OutcomeStore(Protocol):
    """First-writer-wins record of every command's outcome, keyed by command id."""

    def record_outcome(self, outcome: CommandOutcome) -> CommandOutcome:
        """Record ``outcome`` unless one exists; return the outcome on record."""
        ...

    def record_outcomes(
        self, outcomes: Iterable[CommandOutcome], known_absent: bool = False
    ) -> list[CommandOutcome]:
        """Record many outcomes at once with the same first-writer-wins rule.

        ``known_absent``: the caller found none of these ids on record moments ago
        (``find_outcomes``), so a store may skip reading them again; a writer of the
        same ids in between (only a zombie worker can be one) may then be overwritten.
        """
        ...

    def find_outcome(self, command_id: str) -> CommandOutcome | None:
        """Return the recorded outcome of ``command_id``, if any."""
        ...

    def find_outcomes(self, command_ids: Iterable[str]) -> dict[str, CommandOutcome]:
        """Return the recorded outcomes of those ``command_ids`` that have one."""
        ...


class SnapshotStore(Protocol):
    """Latest-wins snapshots of aggregate state, to shorten replays."""

    def save(
        self,
        aggregate_id: str,
        version: int,
        state: bytes,
        recent_commands: Sequence[RecentCommand] = (),
    ) -> None:
        """Keep ``state`` as the aggregate's state at ``version``, unless a later one is kept."""
        ...

    def latest(self, aggregate_id: str) -> Snapshot | None:
        """Return the snapshot with the highest version, if any (one key lookup)."""
        ...
