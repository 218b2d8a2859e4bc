"""Decide one command against its aggregate and make the result durable (no Faust here)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from connectors.eventstore.journal import should_snapshot
from connectors.eventstore.port import CommandOutcome, EventStore, OutcomeStore, SnapshotStore
from domain.errors import ConcurrencyError, DomainError, StorageConditionViolationError
from domain.messages import aggregate_id_of, aggregate_type_of
from schemas import CommandEnvelope
from streams.handling import outcomes
from streams.handling.aggregates import KINDS
from streams.handling.cache import Loaded, StateCache
from streams.handling.loader import StateLoader
from streams.handling.refs import current_refs, load_refs
from streams.handling.state_codec import encode_state

log = logging.getLogger(__name__)


class LookUp:
    """Marker: the caller has not read the outcome store for this command."""


LOOK_UP = LookUp()


@dataclass(frozen=True)
class Resolution:
    """A command's outcome; ``fresh`` when it still has to be recorded in the outcome store."""

    outcome: CommandOutcome
    fresh: bool = True


@dataclass(frozen=True)
class HandlerConfig:
    snapshot_every: int = 100
    max_concurrency_retries: int = 5
    refs_max_age_s: float = 2.0


class CommandHandler:
    """Turn a command into events in the journal and an outcome, exactly once in effect."""

    def __init__(
        self,
        events: EventStore,
        outcome_store: OutcomeStore,
        snapshots: SnapshotStore,
        config: HandlerConfig | None = None,
        cache: StateCache | None = None,
    ) -> None:
        self.events = events
        self.outcomes = outcome_store
        self.snapshots = snapshots
        self.config = config or HandlerConfig()
        self.loader = StateLoader(events, snapshots, cache or StateCache())

    def handle(self, envelope: CommandEnvelope[Any]) -> CommandOutcome:
        """Return the command's outcome, deciding and appending only on first sight."""
        resolution = self.resolve(envelope, LOOK_UP)
        return self._record(resolution.outcome) if resolution.fresh else resolution.outcome

    def resolve(
        self, envelope: CommandEnvelope[Any], recorded: CommandOutcome | LookUp | None
    ) -> Resolution:
        """Decide and append like ``handle``, but leave recording a fresh outcome to the caller.

        ``recorded`` is what the outcome store held for the command id when the caller
        looked (``None``: nothing), or ``LOOK_UP`` to read it here. The caller must
        record a fresh outcome (first writer wins) before anyone sees it.
        """
        meta, command = envelope.meta, envelope.command
        aggregate_type = aggregate_type_of(command)
        if aggregate_id_of(command) != meta.aggregate_id:
            message = f"envelope names {meta.aggregate_id}, command {aggregate_id_of(command)}"
            return Resolution(outcomes.rejected(meta, aggregate_type, "VALIDATION", message))
        if isinstance(recorded, LookUp):
            recorded = self.outcomes.find_outcome(meta.command_id)
        if recorded is not None:
            return Resolution(recorded, fresh=False)
        loaded = self.loader.load(aggregate_type, meta.aggregate_id)
        if loaded.from_snapshot:  # commands older than the snapshot are not in recent_commands
            loaded = replace(loaded, recent_commands=self._older(loaded, meta.command_id))
        expected, rechecked = meta.expected_version, False
        for _ in range(self.config.max_concurrency_retries + 1):
            if loaded.saw(meta.command_id):
                return self._replay(envelope, aggregate_type)
            if expected is not None and loaded.version != expected:
                if loaded.version < expected and not rechecked:  # the cache may lag the journal
                    loaded, rechecked = self.loader.refresh(loaded), True
                    continue
                message = f"expected version {expected}, {meta.aggregate_id} is at {loaded.version}"
                return Resolution(outcomes.rejected(meta, aggregate_type, "CONCURRENCY", message))
            try:
                return self._decide_and_append(envelope, aggregate_type, loaded)
            except ConcurrencyError:
                log.info("stale state of %s at v%d; reloading", loaded.aggregate_id, loaded.version)
                loaded = self.loader.refresh(loaded)
        message = f"gave up after {self.config.max_concurrency_retries} concurrent writes"
        return Resolution(outcomes.rejected(meta, aggregate_type, "CONCURRENCY", message))

    def _decide_and_append(
        self, envelope: CommandEnvelope[Any], aggregate_type: str, loaded: Loaded
    ) -> Resolution:
        meta, command = envelope.meta, envelope.command
        kind = KINDS[aggregate_type]
        violation: StorageConditionViolationError | None = None
        decided: list[Any]
        try:
            decided = self._decide(kind, loaded, command)
        except StorageConditionViolationError as e:
            violation, decided = e, list(e.events_to_record)
        except DomainError as e:
            return Resolution(outcomes.refused(meta, aggregate_type, e))
        if not decided:
            return Resolution(outcomes.unchanged(meta, aggregate_type, loaded.version))
        new_events = outcomes.encode_events(meta, loaded.aggregate_id, loaded.version, decided)
        entry = self.events.append(
            loaded.aggregate_id, aggregate_type, loaded.version, new_events,
            meta.command_id, meta.correlation_id,
        )  # fmt: skip
        after = self.loader.apply(loaded, [entry])
        self.loader.remember(after)
        self._maybe_snapshot(loaded.version, after)
        if violation is not None:
            return Resolution(outcomes.refused(meta, aggregate_type, violation))
        return Resolution(outcomes.accepted(meta, aggregate_type, entry))

    def _decide(self, kind: Any, loaded: Loaded, command: Any) -> list[Any]:
        """Decide; a refusal is never based on cached refs: re-read them and decide again.

        Cached refs may lag the journal by ``refs_max_age_s``; accepting on a slightly
        old fact is the documented trade-off, refusing on one (a warehouse activated a
        moment ago) is not.
        """
        if not kind.needs_refs(command):
            return list(kind.decide(loaded.state, command))
        try:
            refs = load_refs(self.loader, command, self.config.refs_max_age_s)
            return list(kind.decide(loaded.state, command, refs))
        except DomainError:
            refs = current_refs(self.loader, command)
            return list(kind.decide(loaded.state, command, refs))

    def _replay(self, envelope: CommandEnvelope[Any], aggregate_type: str) -> Resolution:
        """Answer a command the journal already holds (its outcome may not be recorded yet)."""
        meta = envelope.meta
        entry = self.events.find_command(meta.aggregate_id, meta.command_id)
        if entry is None:
            raise RuntimeError(f"{meta.command_id} seen in {meta.aggregate_id} but not found")
        return Resolution(outcomes.accepted(meta, aggregate_type, entry))

    def _older(self, loaded: Loaded, command_id: str) -> tuple[str, ...]:
        entry = self.events.find_command(loaded.aggregate_id, command_id)
        return loaded.with_commands([command_id]) if entry is not None else loaded.recent_commands

    def _record(self, outcome: CommandOutcome) -> CommandOutcome:
        return self.outcomes.record_outcome(outcome)

    def _maybe_snapshot(self, previous_version: int, after: Loaded) -> None:
        if should_snapshot(previous_version, after.version, self.config.snapshot_every):
            try:
                self.snapshots.save(after.aggregate_id, after.version, encode_state(after.state))
            except Exception:  # a missed snapshot costs replay time, never correctness
                log.warning("snapshot of %s failed", after.aggregate_id, exc_info=True)
