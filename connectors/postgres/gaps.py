"""Put a batch in per-aggregate order, drop what is applied, and fill gaps from the store."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.eventstore.port import EventStore
from schemas import EventEnvelope, decode_event

log = logging.getLogger(__name__)


class GapError(Exception):
    """Events are missing and the event store could not supply them."""


@dataclass
class Ordered:
    """The events to apply, in order per aggregate, and what was done to get them."""

    envelopes: list[EventEnvelope[Any]] = field(default_factory=list)
    skipped: int = 0
    gaps_healed: int = 0
    events_fetched: int = 0
    fetched: list[EventEnvelope[Any]] = field(default_factory=list)  # applied with the others


def by_aggregate(envelopes: Iterable[EventEnvelope[Any]]) -> dict[str, list[EventEnvelope[Any]]]:
    """Group envelopes per aggregate id, each group sorted by sequence number."""
    groups: dict[str, list[EventEnvelope[Any]]] = {}
    for envelope in envelopes:
        groups.setdefault(envelope.meta.aggregate_id, []).append(envelope)
    for group in groups.values():
        group.sort(key=lambda e: e.meta.sequence_nr)
    return groups


def order_batch(
    groups: Mapping[str, list[EventEnvelope[Any]]],
    recorded: Mapping[str, int],
    store: EventStore | None,
) -> Ordered:
    """Return the events after each aggregate's recorded number, contiguous from it."""
    result = Ordered()
    for aggregate_id, group in groups.items():
        last = recorded.get(aggregate_id, 0)
        fresh: list[EventEnvelope[Any]] = []
        for envelope in group:
            seq = envelope.meta.sequence_nr
            if seq <= last or (fresh and seq == fresh[-1].meta.sequence_nr):
                result.skipped += 1
            else:
                fresh.append(envelope)
        if not fresh:
            continue
        expected = list(range(last + 1, last + 1 + len(fresh)))
        if [e.meta.sequence_nr for e in fresh] != expected:
            fresh = _heal(aggregate_id, last, fresh, store, result)
        result.envelopes.extend(fresh)
    return result


def _heal(
    aggregate_id: str,
    last: int,
    fresh: list[EventEnvelope[Any]],
    store: EventStore | None,
    result: Ordered,
) -> list[EventEnvelope[Any]]:
    target = fresh[-1].meta.sequence_nr
    if store is None:
        raise GapError(f"{aggregate_id}: recorded {last}, got up to {target}, no event store")
    stored = [s for s in store.load_events(aggregate_id, after_version=last) if s.seq_nr <= target]
    if [s.seq_nr for s in stored] != list(range(last + 1, target + 1)):
        raise GapError(f"{aggregate_id}: the event store lacks events {last + 1}..{target}")
    present = {e.meta.sequence_nr for e in fresh}
    fetched = [s for s in stored if s.seq_nr not in present]
    log.warning(
        "gap in %s: recorded %d, received up to %d; fetched %d events from the event store",
        aggregate_id, last, target, len(fetched),
    )  # fmt: skip
    result.gaps_healed += 1
    result.events_fetched += len(fetched)
    by_seq = {e.meta.sequence_nr: e for e in fresh}
    for s in fetched:
        by_seq[s.seq_nr] = envelope = decode_event(s.payload)
        result.fetched.append(envelope)
    return [by_seq[seq] for seq in range(last + 1, target + 1)]
