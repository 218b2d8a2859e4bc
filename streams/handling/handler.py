"""Decide one command against its aggregate and make the result durable (no Faust here)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from connectors.eventstore.journal import should_snapshot
from connectors.eventstore.port import (
    CommandOutcome,
    EventStore,
    JournalEntry,
    OutcomeStore,
    SnapshotStore,
)
from domain.errors import ConcurrencyError, DomainError
from domain.messages import aggregate_id_of, aggregate_type_of
from schemas import CommandEnvelope
from streams.handling import outcomes
from streams.handling.cache import Loaded, StateCache
from streams.handling.group import Resolution, plan_group
from streams.handling.loader import StateLoader
from streams.handling.refs import current_refs, load_refs
from streams.handling.state_codec import encode_state

log = logging.getLogger(__name__)


class LookUp:
    """Marker: the caller has not read the outcome store for this command."""


LOOK_UP = LookUp()


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
        # not `cache or …`: an empty cache is falsy (it has a length)
        self.loader = StateLoader(events, snapshots, cache if cache is not None else StateCache())

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
        return self.resolve_group([envelope], [recorded])[0]

    def resolve_group(
        self,
        envelopes: Sequence[CommandEnvelope[Any]],
        recorded: Sequence[CommandOutcome | LookUp | None],
    ) -> list[Resolution]:
        """Resolve consecutive commands of one aggregate as ``resolve`` would one by one.

        Each command is decided against the state its predecessors left, and the events
        of all of them go into one journal entry: one conditional write, all or nothing.
        A conflict re-decides the whole group on the reloaded state.
        """
        results: dict[int, Resolution] = {}
        todo: list[int] = []
        for i, (envelope, known) in enumerate(zip(envelopes, recorded, strict=True)):
            meta, command = envelope.meta, envelope.command
            if aggregate_id_of(command) != meta.aggregate_id:
                message = f"envelope names {meta.aggregate_id}, command {aggregate_id_of(command)}"
                results[i] = Resolution(
                    outcomes.rejected(meta, aggregate_type_of(command), "VALIDATION", message)
                )
                continue
            if isinstance(known, LookUp):
                known = self.outcomes.find_outcome(meta.command_id)
            if known is not None:
                results[i] = Resolution(known, fresh=False)
            else:
                todo.append(i)
        if len({(aggregate_type_of(envelopes[i].command), envelopes[i].meta.aggregate_id)
                for i in todo}) > 1:  # fmt: skip
            raise ValueError("a group holds the commands of one aggregate only")
        if todo:
            decided = self._decide_group([envelopes[i] for i in todo])
            results.update(zip(todo, decided, strict=True))
        return [results[i] for i in range(len(envelopes))]

    def _decide_group(self, envelopes: Sequence[CommandEnvelope[Any]]) -> list[Resolution]:
        aggregate_type = aggregate_type_of(envelopes[0].command)
        loaded = self.loader.load(aggregate_type, envelopes[0].meta.aggregate_id)
        in_journal: dict[str, JournalEntry] = {}
        if loaded.from_snapshot:  # commands older than the snapshot are not in recent_commands
            ids = [e.meta.command_id for e in envelopes]
            in_journal = self.events.find_commands(loaded.aggregate_id, ids)
            older = [c for c in ids if c in in_journal]
            loaded = replace(loaded, recent_commands=loaded.with_commands(older))
        replay = partial(self._replay, in_journal=in_journal)
        rechecked = False
        for _ in range(self.config.max_concurrency_retries + 1):
            plan = plan_group(aggregate_type, loaded, envelopes, rechecked, self._decide, replay)
            if plan is None:  # an expected version ahead of the cache: it may lag the journal
                loaded, rechecked = self.loader.refresh(loaded), True
                continue
            if not plan.events:
                return plan.answers()
            first = envelopes[min(plan.appended)].meta
            try:
                entry = self.events.append(
                    loaded.aggregate_id, aggregate_type, loaded.version, plan.events,
                    first.command_id, first.correlation_id,
                )  # fmt: skip
            except ConcurrencyError:
                log.info("stale state of %s at v%d; reloading", loaded.aggregate_id, loaded.version)
                loaded = self.loader.refresh(loaded)
                continue
            after = self.loader.apply(loaded, [entry])
            self.loader.remember(after)
            self._maybe_snapshot(loaded.version, after)
            return plan.answers(entry)
        message = f"gave up after {self.config.max_concurrency_retries} concurrent writes"
        return [Resolution(outcomes.rejected(e.meta, aggregate_type, "CONCURRENCY", message))
                for e in envelopes]  # fmt: skip

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

    def _replay(
        self,
        envelope: CommandEnvelope[Any],
        aggregate_type: str,
        in_journal: Mapping[str, JournalEntry] | None = None,
    ) -> Resolution:
        """Answer a command the journal already holds (its outcome may not be recorded yet).

        ``in_journal``: entries already read for the group, so none is read twice.
        """
        meta = envelope.meta
        entry = (in_journal or {}).get(meta.command_id) or self.events.find_command(
            meta.aggregate_id, meta.command_id
        )
        if entry is None:
            raise RuntimeError(f"{meta.command_id} seen in {meta.aggregate_id} but not found")
        return Resolution(outcomes.accepted(meta, aggregate_type, entry))

    def _record(self, outcome: CommandOutcome) -> CommandOutcome:
        return self.outcomes.record_outcome(outcome)

    def _maybe_snapshot(self, previous_version: int, after: Loaded) -> None:
        if should_snapshot(previous_version, after.version, self.config.snapshot_every):
            try:
                self.snapshots.save(after.aggregate_id, after.version, encode_state(after.state))
            except Exception:  # a missed snapshot costs replay time, never correctness
                log.warning("snapshot of %s failed", after.aggregate_id, exc_info=True)
