"""Deciding the commands of one aggregate in a round, before their one journal append."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from connectors.eventstore.port import CommandOutcome, JournalEntry, NewEvent
from domain.errors import DomainError, StorageConditionViolationError
from domain.fingerprint import fingerprint
from schemas import CommandEnvelope
from streams.handling import outcomes
from streams.handling.aggregates import KINDS
from streams.handling.cache import Loaded
from streams.metrics import DECIDE_SECONDS

Decide = Callable[[Any, Loaded, Any], list[Any]]  # (kind, state, command) -> events
Replay = Callable[[CommandEnvelope[Any], str, Loaded], "Resolution"]  # answer from the journal


@dataclass(frozen=True)
class Resolution:
    """A command's outcome; ``fresh`` when it still has to be recorded in the outcome store.

    ``unconfirmed_at``: the outcome was decided, without an append, on a cached state
    at that version which nobody read from the journal during this resolution. It is
    final only once the journal is found not to have moved past that version
    (``CommandHandler.confirm``).
    """

    outcome: CommandOutcome
    fresh: bool = True
    unconfirmed_at: int | None = None


@dataclass
class Plan:
    """A group's decisions before its append: answers so far and the events to write."""

    aggregate_type: str
    envelopes: Sequence[CommandEnvelope[Any]]
    answered: dict[int, Resolution] = field(default_factory=dict)
    appended: dict[int, StorageConditionViolationError | None] = field(default_factory=dict)
    events: list[NewEvent] = field(default_factory=list)
    decided_events: list[Any] = field(default_factory=list)  # the domain events of `events`
    decided: set[int] = field(default_factory=set)  # answered by a decision, not the journal

    def answers(self, entry: JournalEntry | None = None) -> list[Resolution]:
        """Return every command's resolution, those that appended from ``entry``."""
        result = dict(self.answered)
        for i, violation in self.appended.items():
            meta = self.envelopes[i].meta
            if violation is not None:
                result[i] = Resolution(outcomes.refused(meta, self.aggregate_type, violation))
                continue
            part = entry.part(meta.command_id) if entry is not None else None
            assert part is not None, f"{meta.command_id} missing from its own entry"
            result[i] = Resolution(outcomes.accepted(meta, self.aggregate_type, part))
        return [result[i] for i in range(len(self.envelopes))]


def plan_group(
    aggregate_type: str,
    loaded: Loaded,
    envelopes: Sequence[CommandEnvelope[Any]],
    rechecked: bool,
    decide: Decide,
    replay: Replay,
    foreign: Collection[int] = (),
) -> Plan | None:
    """Decide every command in turn on the state the ones before it leave (in memory).

    ``foreign``: commands whose id is on record for another command; unless this
    aggregate's journal holds them they are refused (IDEMPOTENCY_KEY_REUSED), never
    decided. ``None``: a command expects a version beyond the state and the state was
    not re-read yet.
    """
    kind = KINDS[aggregate_type]
    plan = Plan(aggregate_type, envelopes)
    decide_seconds = DECIDE_SECONDS.labels(aggregate_type)
    state, version = loaded.state, loaded.version
    for i, envelope in enumerate(envelopes):
        meta = envelope.meta
        if loaded.saw(meta.command_id):
            plan.answered[i] = replay(envelope, aggregate_type, loaded)
            continue
        plan.decided.add(i)
        if i in foreign:  # not in this state's journal: confirmed like any refusal
            plan.answered[i] = Resolution(outcomes.reused(meta, aggregate_type), fresh=False)
            continue
        expected = meta.expected_version
        if expected is not None and version != expected:
            if version < expected and not rechecked:
                return None
            message = f"expected version {expected}, {meta.aggregate_id} is at {version}"
            plan.answered[i] = Resolution(
                outcomes.rejected(meta, aggregate_type, "CONCURRENCY", message)
            )
            continue
        violation: StorageConditionViolationError | None = None
        decided: list[Any]
        started = time.perf_counter()
        try:
            decided = decide(kind, replace(loaded, state=state), envelope.command)
        except StorageConditionViolationError as e:
            violation, decided = e, list(e.events_to_record)
        except DomainError as e:
            plan.answered[i] = Resolution(outcomes.refused(meta, aggregate_type, e))
            continue
        finally:
            decide_seconds.observe(time.perf_counter() - started)
        if not decided:
            plan.answered[i] = Resolution(outcomes.unchanged(meta, aggregate_type, version))
            continue
        new = outcomes.encode_events(meta, loaded.aggregate_id, version, decided)
        bound_to = fingerprint(envelope.command)
        plan.events.extend(
            replace(e, command_id=meta.command_id, correlation_id=meta.correlation_id,
                    fingerprint=bound_to)
            for e in new
        )  # fmt: skip
        plan.appended[i] = violation
        plan.decided_events.extend(decided)
        for event in decided:
            state = kind.evolve(state, event)
        version += len(decided)
    return plan
