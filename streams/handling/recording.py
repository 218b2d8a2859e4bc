"""Record a round's fresh outcomes: one write for all of them, retried until it works.

An applied command is never answered with anything but its outcome, so there is no
giving up: the batch is neither answered nor acknowledged meanwhile (the journal is
the truth, and a redelivery is answered from it), unless the worker stops.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable

from connectors.eventstore.port import CommandOutcome, OutcomeStore
from streams.handling import keys
from streams.handling.group import Resolution
from streams.handling.resilience import Stopping, never, pause, retry_delay

log = logging.getLogger(__name__)
SINGLE_PUTS = 1


def record_fresh(
    store: OutcomeStore,
    resolved: dict[int, Resolution],
    stopping: Stopping = never,
    sleep: Callable[[float], None] = time.sleep,
    known_absent: bool = True,
) -> dict[int, CommandOutcome]:
    """Record the fresh outcomes among ``resolved``; return every answer, by index.

    ``known_absent``: the batch's lookup found none of them on record, so a batch write
    need not read first. False when that lookup failed: an id it could not see may hold
    another command's outcome, which a blind write would overwrite.

    Raises ``BatchAbandoned`` if the worker stops before they are on record.
    """
    fresh = sorted(i for i, r in resolved.items() if r.fresh)
    result = {i: r.outcome for i, r in resolved.items()}
    if not fresh:
        return result
    wanted = [resolved[i].outcome for i in fresh]
    for attempt in itertools.count(1):
        try:
            if len(wanted) <= SINGLE_PUTS:  # one conditional put beats a read plus a write
                on_record = [store.record_outcome(o) for o in wanted]
            else:
                on_record = store.record_outcomes(wanted, known_absent=known_absent)
            break
        except Exception as e:
            delay = retry_delay(attempt)
            log.warning("recording %d outcomes failed (%r); retrying in %.1fs",
                        len(wanted), e, delay, exc_info=attempt == 1)  # fmt: skip
            pause(delay, stopping, sleep)
    result.update({i: keys.kept(w, r) for i, w, r in zip(fresh, wanted, on_record, strict=True)})
    return result
