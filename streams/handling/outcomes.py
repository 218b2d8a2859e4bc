"""Build command outcomes: for the outcome store, and as records for ``command.results``."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace

from connectors.eventstore.port import CommandOutcome, JournalEntry, NewEvent
from domain.errors import DomainError, StorageConditionViolationError
from domain.message import Event
from schemas import CommandMeta, EventEnvelope, EventMeta, OutcomeStatus, encode
from schemas import CommandOutcome as OutcomeRecord

INTERNAL = "INTERNAL"
IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
VIOLATION_EVENT = "StorageConditionViolated_V1"


def now_ms() -> int:
    """Return the wall-clock time in epoch milliseconds."""
    return time.time_ns() // 1_000_000


def accepted(meta: CommandMeta, aggregate_type: str, entry: JournalEntry) -> CommandOutcome:
    """Return the outcome of a command whose events ``entry`` holds.

    An entry of nothing but recorded storage-condition violations is the trace of a
    refused command, so it maps back to that rejection (used after a crash, when the
    journal is all that is left of the first attempt).
    """
    types = tuple(e.event_type for e in entry.events)
    if types and all(t == VIOLATION_EVENT for t in types):
        message = "storage condition violated (recorded)"
        return rejected(meta, aggregate_type, StorageConditionViolationError.code, message)
    return CommandOutcome(
        meta.command_id, entry.aggregate_id, aggregate_type, "ACCEPTED", entry.last_seq_nr,
        types, None, None, now_ms(),
    )  # fmt: skip


def unchanged(meta: CommandMeta, aggregate_type: str, version: int) -> CommandOutcome:
    """Return the outcome of a command that was valid but changed nothing."""
    return CommandOutcome(
        meta.command_id, meta.aggregate_id, aggregate_type, "ACCEPTED", version, (), None, None,
        now_ms(),
    )  # fmt: skip


def rejected(meta: CommandMeta, aggregate_type: str, code: str, message: str) -> CommandOutcome:
    """Return a rejection with a stable ``code``."""
    return CommandOutcome(
        meta.command_id, meta.aggregate_id, aggregate_type, "REJECTED", None, (), code, message,
        now_ms(),
    )  # fmt: skip


def refused(meta: CommandMeta, aggregate_type: str, error: DomainError) -> CommandOutcome:
    """Return the rejection of a command a business rule refused."""
    return rejected(meta, aggregate_type, error.code, str(error))


def reused(meta: CommandMeta, aggregate_type: str) -> CommandOutcome:
    """Return the (never recorded) rejection of a command whose id another command holds."""
    return rejected(meta, aggregate_type, IDEMPOTENCY_KEY_REUSED, _reused(meta.command_id))


def reused_instead_of(outcome: CommandOutcome) -> CommandOutcome:
    """Return ``reused`` for the command that ``outcome`` would have answered."""
    return replace(outcome, status="REJECTED", version=None, event_types=(), fingerprint=None,
                   error_code=IDEMPOTENCY_KEY_REUSED, message=_reused(outcome.command_id),
                   recorded_at_ms=now_ms())  # fmt: skip


def _reused(command_id: str) -> str:
    return (f"command id {command_id!r} was already used by another command (another "
            "aggregate or payload); send this one with a new idempotency key")  # fmt: skip


def bound(outcome: CommandOutcome, fingerprint: str) -> CommandOutcome:
    """Return ``outcome`` bound to its command's fingerprint (kept with it on record)."""
    return replace(outcome, fingerprint=fingerprint)


def same_command(
    fingerprint: str | None, aggregate_type: str, aggregate_id: str, recorded: CommandOutcome
) -> bool:
    """Tell whether ``recorded`` answers the command of that fingerprint and aggregate.

    An outcome recorded before fingerprints existed is taken for the same command when
    its aggregate id and type match.
    """
    if recorded.fingerprint is not None and fingerprint is not None:
        return recorded.fingerprint == fingerprint
    return (recorded.aggregate_type, recorded.aggregate_id) == (aggregate_type, aggregate_id)


def to_record(outcome: CommandOutcome) -> OutcomeRecord:
    """Return the Avro record published on ``command.results``."""
    return OutcomeRecord(
        command_id=outcome.command_id,
        aggregate_id=outcome.aggregate_id,
        aggregate_type=outcome.aggregate_type,
        status=OutcomeStatus(outcome.status),
        version=outcome.version,
        event_types=tuple(outcome.event_types),
        error_code=outcome.error_code,
        message=outcome.message,
        completed_at=dt.datetime.fromtimestamp(outcome.recorded_at_ms / 1000, dt.UTC),
    )


def encode_events(
    meta: CommandMeta, aggregate_id: str, expected_version: int, events: Sequence[object]
) -> list[NewEvent]:
    """Wrap decided events in envelopes numbered after ``expected_version`` and encode them."""
    occurred_ms = now_ms()
    occurred = dt.datetime.fromtimestamp(occurred_ms / 1000, dt.UTC)
    result = []
    for offset, event in enumerate(events, start=1):
        assert isinstance(event, Event)
        event_meta = EventMeta(
            event_id=str(uuid.uuid4()),
            aggregate_id=aggregate_id,
            sequence_nr=expected_version + offset,
            occurred_at=occurred,
            causation_id=meta.command_id,
            correlation_id=meta.correlation_id,
        )
        payload = encode(EventEnvelope(event_meta, event))
        result.append(NewEvent(event_meta.event_id, type(event).__name__, payload, occurred_ms))
    return result
