"""Project a replay's batches into a schema as the live projector does, parking what is refused.

Each batch goes in one transaction, prepared in a second thread while the previous one
is written (``prepared_ahead``). When the read model refuses the batch (a deterministic
failure: connectors/postgres/failures.py), the batch is handed to the live projector's
``Isolator``: it splits the batch down to the aggregates at fault, tries the refused
event ``attempts`` times and parks its aggregate in the schema's 投影保留, so the rest of
the read model is rebuilt. Later events of a parked aggregate are left out, as live.
The plain path costs what it did: one try per batch, and a dict lookup per parked
aggregate.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import redis

from connectors.eventstore.port import EventStore
from connectors.postgres import PostgresProjector, ProjectionStats
from connectors.postgres.claims import Hold
from connectors.postgres.failures import is_deterministic
from connectors.postgres.isolation import Isolator
from connectors.postgres.parking import Parked
from connectors.postgres.prepare import PreparedBatch
from connectors.redis.keys import PREFIX
from connectors.replay import schemas
from connectors.replay.topics import Batch

SWITCH_INTERVAL_S = 0.0005
PARK_AFTER_ATTEMPTS = 3  # the projector's default (ZAIKO_PARK_AFTER_ATTEMPTS)
B = TypeVar("B")
P = TypeVar("P")


@dataclass
class ReplayTarget:
    """Where a replay writes: a database, its live schema, and optionally the cache.

    ``journal_epoch``: the epoch of the journal the events were read from (a replay from
    the event store); ``read_journal_epoch`` reads the journal's epoch now, so a swap can
    tell whether the journal started over meanwhile.
    """

    database_url: str
    live_schema: str = "public"
    redis: redis.Redis | None = None
    redis_prefix: str = PREFIX
    event_store: EventStore | None = None  # heals gaps in the topics, as live projection does
    journal_epoch: str | None = None
    read_journal_epoch: Callable[[], str | None] | None = None


@dataclass
class Projection:
    """What projecting a replay did: counts, the aggregates it parked, the events left out."""

    stats: ProjectionStats
    parked: list[Parked] = field(default_factory=list)
    held_back: int = 0  # events of parked aggregates not applied (from the refused one on)


def project(
    target: ReplayTarget,
    schema: str,
    batches: Iterable[Batch],
    on_applied: Callable[[int], None] | None = None,
    attempts: int = PARK_AFTER_ATTEMPTS,
) -> Projection:
    """Apply every batch with the live projector's code, its SQL resolving in ``schema``.

    Batch n+1 is read and prepared (grouped, its rows computed: see
    connectors/postgres/prepare.py) in a second thread while batch n's transaction runs;
    psycopg releases the GIL while it waits for Postgres, so the two overlap. Batches
    are still applied one at a time, in order, each in its own transaction (or, when
    refused, in the isolator's).
    """
    projector = PostgresProjector(
        schemas.connect_in(target.database_url, schema), target.event_store
    )
    isolator = Isolator(projector, None, attempts)
    out = Projection(projector.stats)
    parked_at: dict[str, int] = {}  # aggregate -> first event not applied
    # Each time Postgres answers, the applying thread needs the GIL back from the busy
    # preparing one, which holds it up to the switch interval (5 ms by default): with
    # hundreds of waits per batch (COPY flushes, round trips) that ate the overlap.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL_S))
    try:
        for prepared in prepared_ahead(batches, projector.prepare):
            held = _apply(projector, isolator, prepared, out, parked_at)
            if held or parked_at:
                out.held_back += _left_out(prepared, parked_at, held)
            if on_applied is not None:
                on_applied(prepared.size)
        return out
    finally:
        sys.setswitchinterval(interval)
        projector.close()


def _apply(
    projector: PostgresProjector,
    isolator: Isolator,
    prepared: PreparedBatch,
    out: Projection,
    parked_at: dict[str, int],
) -> dict[str, Hold]:
    """Apply one batch; isolate it when refused; return the parked aggregates it left out."""
    try:
        return projector.apply_prepared(prepared).held
    except Exception as e:
        if not is_deterministic(e):
            raise
    applied = isolator.isolate([e for g in prepared.groups.values() for e in g.envelopes])
    for parking in applied.parked:
        out.parked.append(parking.parked)
        parked_at[parking.parked.aggregate_id] = parking.parked.sequence_nr
    return applied.held


def _left_out(prepared: PreparedBatch, parked_at: dict[str, int], held: dict[str, Hold]) -> int:
    """Count the batch's events of parked aggregates from the refused one on."""
    left = 0
    for aggregate_id in parked_at.keys() | held.keys():
        group = prepared.groups.get(aggregate_id)
        if group is not None:
            first = parked_at.get(aggregate_id, 0)  # parked before the replay: all of them
            left += sum(1 for e in group.envelopes if e.meta.sequence_nr >= first)
    return left


def prepared_ahead(batches: Iterable[B], prepare: Callable[[B], P]) -> Iterator[P]:
    """Yield ``prepare(batch)`` for each batch, reading and preparing the next one meanwhile."""
    source = iter(batches)

    def next_prepared() -> tuple[P] | None:  # None: no batch left
        batch = next(source, None)
        return None if batch is None else (prepare(batch),)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="replay-prepare") as pool:
        ahead = pool.submit(next_prepared)
        while (prepared := ahead.result()) is not None:
            ahead = pool.submit(next_prepared)
            yield prepared[0]
