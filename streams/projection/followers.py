"""What the cache and the low-stock detector see of a batch once Postgres has committed it.

Postgres decides; the followers only follow. Per aggregate, with the 投影位置 read just
before (``before``) and just after (``after``) the batch:

- events at or below ``before`` were already in the read model: the cache only
  invalidates them (a SET could revive a value older than the read model);
- events in ``(before, after]`` are the ones this batch applied: the cache gets them all,
  in order, including those a gap made the projector fetch from the event store, so its
  last write is the read model's version. If they cannot all be had, it invalidates;
- the detector sees every delivered or fetched event in order (it skips what it has
  evaluated and repeats the alert of a redelivered event that fired, in case the process
  died between committing its state and publishing).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from connectors.postgres.gaps import by_aggregate
from schemas import EventEnvelope

log = logging.getLogger(__name__)

Envelope = EventEnvelope[Any]
# fetch(aggregate_id, after_seq, up_to_seq) -> the stored events in (after_seq, up_to_seq]
Fetch = Callable[[str, int, int], list[Envelope]]


@dataclass
class Followers:
    """The events to hand to the cache (fresh / redelivered) and to the detector."""

    fresh: list[Envelope] = field(default_factory=list)
    redelivered: list[Envelope] = field(default_factory=list)
    observed: list[Envelope] = field(default_factory=list)


def _unique(envelopes: Iterable[Envelope]) -> list[Envelope]:
    by_seq = {e.meta.sequence_nr: e for e in envelopes}
    return [by_seq[seq] for seq in sorted(by_seq)]


def plan_followers(
    envelopes: Iterable[Envelope],
    before: Mapping[str, int],
    after: Mapping[str, int],
    fetch: Fetch | None,
) -> Followers:
    """Split a committed batch into what the cache and the detector must be given."""
    plan = Followers()
    for aggregate_id, group in by_aggregate(envelopes).items():
        low, high = before.get(aggregate_id, 0), after.get(aggregate_id, 0)
        group = _unique(group)
        old = [e for e in group if e.meta.sequence_nr <= low]
        new = [e for e in group if low < e.meta.sequence_nr <= high]
        plan.redelivered.extend(old)
        if new:
            complete = _complete(aggregate_id, new, low, high, fetch)
            if complete is None:
                plan.redelivered.extend(new)
            else:
                new = complete
                plan.fresh.extend(complete)
        plan.observed.extend(_unique([*old, *new]))
    return plan


def _complete(
    aggregate_id: str, new: list[Envelope], low: int, high: int, fetch: Fetch | None
) -> list[Envelope] | None:
    """Return every event in (low, high], fetching those the batch lacks; None if impossible."""
    present = {e.meta.sequence_nr for e in new}
    wanted = set(range(low + 1, high + 1))
    if present == wanted:
        return new
    if fetch is None:
        return None
    try:
        fetched = [e for e in fetch(aggregate_id, low, high) if e.meta.sequence_nr not in present]
    except Exception:
        log.warning("cannot fetch %s (%d, %d] for the cache", aggregate_id, low, high,
                    exc_info=True)  # fmt: skip
        return None
    complete = _unique([*new, *fetched])
    if [e.meta.sequence_nr for e in complete] != sorted(wanted):
        return None
    return complete
