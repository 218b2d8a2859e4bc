"""A refused event parks its aggregate after bounded tries; a transient failure parks nothing."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Collection, Iterable
from typing import Any

import psycopg
import pytest

from connectors.logs import JsonFormatter
from connectors.postgres import ProjectionStats, isolation
from connectors.postgres.isolation import Isolator
from connectors.postgres.parking import Parked
from schemas import EventEnvelope
from tests.unit.alerts.events import fresh_inventory, stock_at

Envelope = EventEnvelope[Any]
NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


class FakeProjector:
    """Commits whatever holds no refused event; raises ``error`` for a batch that does."""

    def __init__(self, refused: set[str], error: Exception) -> None:
        self.refused, self.error = refused, error
        self.position: dict[str, int] = {}
        self.transactions: list[list[str]] = []
        self.connection = object()

    def apply_batch(self, envelopes: Iterable[Envelope], force: Collection[str] = ()) -> Any:
        batch = list(envelopes)
        self.transactions.append([e.meta.event_id for e in batch])
        if any(e.meta.event_id in self.refused for e in batch):
            raise self.error
        stats = ProjectionStats(applied=len(batch))
        for e in batch:
            aggregate_id = e.meta.aggregate_id
            stats.before.setdefault(aggregate_id, self.position.get(aggregate_id, 0))
            self.position[aggregate_id] = e.meta.sequence_nr
            stats.after[aggregate_id] = e.meta.sequence_nr
        return stats


@pytest.fixture
def parked(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    calls: list[tuple[Any, ...]] = []

    def park(conn: Any, aggregate_id: str, aggregate_type: str, event_id: str, seq: int,
             reason: str, attempts: int) -> Parked:  # fmt: skip
        calls.append((aggregate_id, event_id, seq, attempts, reason))
        return Parked(aggregate_id, aggregate_type, seq, event_id, reason, attempts, NOW, NOW)

    monkeypatch.setattr(isolation, "park", park)
    return calls


def story(inventory: str, events: int) -> list[Envelope]:
    return [stock_at(inventory, seq, 10) for seq in range(1, events + 1)]


def test_a_refused_event_parks_its_aggregate_and_the_rest_of_the_batch_is_applied(
    parked: list[tuple[Any, ...]],
) -> None:
    good = [story(fresh_inventory(), 3) for _ in range(5)]
    bad = story(fresh_inventory(), 4)
    refused = bad[2]
    projector = FakeProjector({refused.meta.event_id}, psycopg.errors.NumericValueOutOfRange("x"))
    pauses: list[float] = []
    batch = [e for group in zip(*good, bad[:3], strict=False) for e in group] + [bad[3]]

    applied = Isolator(projector, "inventory", 3, 0.05, pauses.append).apply(batch)

    assert all(projector.position[g[0].meta.aggregate_id] == 3 for g in good)
    assert projector.position[bad[0].meta.aggregate_id] == 2  # the events before it are kept
    assert [(c[0], c[1], c[2], c[3]) for c in parked] == [
        (bad[0].meta.aggregate_id, refused.meta.event_id, 3, 3)
    ]
    assert parked[0][4].startswith("NumericValueOutOfRange")
    assert pauses == [0.05, 0.1]
    assert applied.parked[0].envelope is refused
    tried = sum(refused.meta.event_id in t for t in projector.transactions)
    assert tried <= 3 + 4  # its own 3 tries, plus the halvings that held it: bounded


def test_a_transient_failure_is_raised_and_parks_nothing(parked: list[tuple[Any, ...]]) -> None:
    batch = story(fresh_inventory(), 3)
    projector = FakeProjector({batch[1].meta.event_id}, psycopg.OperationalError("server gone"))
    with pytest.raises(psycopg.OperationalError):
        Isolator(projector, "inventory", 3, 0, lambda _: None).apply(batch)
    assert parked == []


@pytest.mark.parametrize(
    ("error", "deterministic"),
    [
        (psycopg.errors.NumericValueOutOfRange("x"), True),
        (psycopg.errors.StringDataRightTruncation("x"), True),
        (psycopg.errors.CheckViolation("x"), True),
        (psycopg.DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"), True),
        (psycopg.errors.UniqueViolation("x"), True),
        (psycopg.OperationalError("connection refused"), False),
        (psycopg.errors.DeadlockDetected("x"), False),
        (psycopg.errors.SerializationFailure("x"), False),
        (psycopg.errors.QueryCanceled("statement timeout"), False),
        (psycopg.errors.AdminShutdown("x"), False),
        (psycopg.errors.PipelineAborted("x"), False),
        (psycopg.InterfaceError("the connection is closed"), False),
        (TimeoutError("x"), False),
    ],
)
def test_failures_are_classed_by_whether_a_retry_can_succeed(
    error: Exception, deterministic: bool
) -> None:
    from connectors.postgres.failures import is_deterministic

    assert is_deterministic(error) is deterministic


def test_gap_and_unknown_event_errors_are_the_events_fault() -> None:
    from connectors.postgres import GapError, UnprojectableEventError
    from connectors.postgres.failures import is_deterministic

    assert is_deterministic(GapError("x")) and is_deterministic(UnprojectableEventError("x"))


def test_a_journal_item_that_is_not_an_entry_is_the_events_fault_not_the_worlds() -> None:
    from connectors.eventstore import EventStoreError, UnreadableItemError
    from connectors.postgres.failures import is_deterministic

    assert is_deterministic(UnreadableItemError("INV-1/3 is not an entry"))
    assert not is_deterministic(EventStoreError("DynamoDB unreachable"))


def test_the_parking_line_names_the_command_and_flow_of_the_refused_event(
    parked: list[tuple[Any, ...]],
) -> None:
    bad = story(fresh_inventory(), 2)
    refused = bad[1]
    projector = FakeProjector({refused.meta.event_id}, psycopg.errors.NumericValueOutOfRange("x"))
    formatter = JsonFormatter("projector")
    lines: list[str] = []

    class Written(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:  # formatted as it is written
            lines.append(formatter.format(record))

    handler = Written()
    logging.getLogger(isolation.__name__).addHandler(handler)
    try:
        Isolator(projector, "inventory", 2, 0.0, lambda _: None).apply(bad)
    finally:
        logging.getLogger(isolation.__name__).removeHandler(handler)

    (line,) = [json.loads(x) for x in lines if "projection parked" in x]
    meta = refused.meta
    assert (line["command_id"], line["correlation_id"]) == (meta.causation_id, meta.correlation_id)
    assert (line["aggregate_id"], line["event_id"]) == (meta.aggregate_id, meta.event_id)
