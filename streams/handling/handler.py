"""Decide one command against its aggregate and make the result durable (no Faust here)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from connectors.eventstore.journal import should_snapshot
from connectors.eventstore.port import CommandOutcome, EventStore, OutcomeStore, SnapshotStore
from domain.errors import ConcurrencyError
from domain.fingerprint import fingerprint
from domain.messages import aggregate_id_of, aggregate_type_of, creates
from schemas import CommandEnvelope
from streams.handling import keys, outcomes
from streams.handling.business import count_movements
from streams.handling.cache import Loaded, StateCache
from streams.handling.group import Resolution, plan_group
from streams.handling.loader import StateLoader
from streams.handling.refs import decide_with_refs
from streams.handling.state_codec import encode_state
from streams.metrics import APPEND_SECONDS

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
        if resolution.unconfirmed_at is not None:
            head = {envelope.meta.aggregate_id: resolution.unconfirmed_at}
            if self.moved(head):
                resolution = self.resolve_group([envelope], [LOOK_UP], reload=True)[0]
        return self._record(resolution.outcome) if resolution.fresh else resolution.outcome

    def resolve(
        self, envelope: CommandEnvelope[Any], recorded: CommandOutcome | LookUp | None
    ) -> Resolution:
        """Decide and append like ``handle``, but leave recording a fresh outcome to the caller.

        ``recorded`` is what the outcome store held for the command id when the caller
        looked (``None``: nothing), or ``LOOK_UP`` to read it here. The caller must
        record a fresh outcome (first writer wins) before anyone sees it, and confirm
        an ``unconfirmed_at`` one first (``moved``).
        """
        return self.resolve_group([envelope], [recorded])[0]

    def resolve_group(
        self,
        envelopes: Sequence[CommandEnvelope[Any]],
        recorded: Sequence[CommandOutcome | LookUp | None],
        reload: bool = False,
    ) -> list[Resolution]:
        """Resolve consecutive commands of one aggregate as ``resolve`` would one by one.

        Each command is decided against the state its predecessors left, and the events
        of all of them go into one journal entry: one conditional write, all or nothing.
        A conflict re-decides the whole group on the reloaded state. A command whose id
        is on record for another command (other fingerprint) is refused with
        IDEMPOTENCY_KEY_REUSED unless this aggregate's journal holds it. ``reload``:
        read the state from the journal first, whatever the cache holds.
        """
        results: dict[int, Resolution] = {}
        todo: list[int] = []
        foreign: set[int] = set()
        prints = [fingerprint(e.command) for e in envelopes]
        for i, (envelope, known) in enumerate(zip(envelopes, recorded, strict=True)):
            meta, command = envelope.meta, envelope.command
            kind = aggregate_type_of(command)
            if isinstance(known, LookUp):
                known = self.outcomes.find_outcome(meta.command_id)
            if known is not None and outcomes.same_command(prints[i], kind, meta.aggregate_id,
                                                           known):  # fmt: skip
                results[i] = Resolution(known, fresh=False)
            elif aggregate_id_of(command) != meta.aggregate_id:
                message = f"envelope names {meta.aggregate_id}, command {aggregate_id_of(command)}"
                rejection = outcomes.rejected(meta, kind, "VALIDATION", message)
                results[i] = Resolution(rejection, fresh=known is None)
            else:
                todo.append(i)
                if known is not None:
                    foreign.add(len(todo) - 1)
        if len({(aggregate_type_of(envelopes[i].command), envelopes[i].meta.aggregate_id)
                for i in todo}) > 1:  # fmt: skip
            raise ValueError("a group holds the commands of one aggregate only")
        if todo:
            decided = self._decide_group([envelopes[i] for i in todo], foreign, reload)
            results.update(zip(todo, decided, strict=True))
        return [keys.bound(results[i], prints[i]) for i in range(len(envelopes))]

    def moved(self, heads: Mapping[str, int]) -> set[str]:
        """Return the aggregates whose journal moved past the given versions (one BatchGetItem).

        If the journal cannot be read, every one of them counts as moved: the caller then
        decides them again on states read from the journal, which retries as it must.
        """
        if not heads:
            return set()
        try:
            return self.events.moved_since(heads)
        except Exception:
            log.warning("checking %d journal heads failed", len(heads), exc_info=True)
            return set(heads)

    def _decide_group(
        self, envelopes: Sequence[CommandEnvelope[Any]], foreign: set[int], reload: bool
    ) -> list[Resolution]:
        aggregate_type = aggregate_type_of(envelopes[0].command)
        aggregate_id = envelopes[0].meta.aggregate_id
        # a creation command on an aggregate no cache knows: presume it new, read nothing
        presumed = None if reload or not creates(envelopes[0].command) else (
            self.loader.presumed_new(aggregate_type, aggregate_id))  # fmt: skip
        if presumed is not None:
            loaded, read = presumed, False
        else:
            loaded, read = self.loader.cached_or_read(aggregate_type, aggregate_id)
        if reload and not read:
            loaded, read = self.loader.refresh(loaded), True
        rechecked = False
        for _ in range(self.config.max_concurrency_retries + 1):
            plan = plan_group(aggregate_type, loaded, envelopes, rechecked, self._decide,
                              self._replay, foreign)  # fmt: skip
            if plan is None:  # an expected version ahead of the cache: it may lag the journal
                loaded, rechecked, read = self._reread(loaded, presumed), True, True
                presumed = None
                continue
            if not plan.events:
                answers = plan.answers()
                if read:
                    return answers
                # decided on a cached state without a write to prove it current: the
                # caller confirms these against the journal head before they are final
                return [replace(a, unconfirmed_at=loaded.version) if i in plan.decided else a
                        for i, a in enumerate(answers)]  # fmt: skip
            first = envelopes[min(plan.appended)].meta
            started = time.perf_counter()
            try:
                entry = self.events.append(
                    loaded.aggregate_id, aggregate_type, loaded.version, plan.events,
                    first.command_id, first.correlation_id,
                )  # fmt: skip
            except ConcurrencyError:
                log.info("stale state of %s at v%d; reloading", loaded.aggregate_id, loaded.version)
                loaded, read = self._reread(loaded, presumed), True
                presumed = None
                continue
            finally:
                APPEND_SECONDS.labels(aggregate_type).observe(time.perf_counter() - started)
            count_movements(plan.decided_events)  # on record now: counted once
            after = self.loader.apply(loaded, [entry])
            self.loader.remember(after)
            self._maybe_snapshot(loaded.version, after)
            return plan.answers(entry)
        message = f"gave up after {self.config.max_concurrency_retries} concurrent writes"
        return [Resolution(outcomes.rejected(e.meta, aggregate_type, "CONCURRENCY", message))
                for e in envelopes]  # fmt: skip

    def _reread(self, loaded: Loaded, presumed: Loaded | None) -> Loaded:
        """Catch ``loaded`` up with the journal; a presumed-new state is read whole instead."""
        if presumed is not None:  # the snapshot and recent commands a cold load reads
            return self.loader.read(loaded.aggregate_type, loaded.aggregate_id)
        return self.loader.refresh(loaded)

    def _decide(self, kind: Any, loaded: Loaded, command: Any) -> list[Any]:
        return decide_with_refs(self.loader, self.config.refs_max_age_s, kind, loaded, command)

    def _replay(
        self, envelope: CommandEnvelope[Any], aggregate_type: str, loaded: Loaded
    ) -> Resolution:
        """Answer a command the journal holds (its outcome may not be recorded yet).

        One GetItem reads its entry, by the key the state keeps with its id.
        """
        meta = envelope.meta
        key = loaded.entry_key(meta.command_id)
        entry = None if key is None else self.events.entry_at(meta.aggregate_id, key)
        part = None if entry is None else entry.part(meta.command_id)
        if part is None:
            raise RuntimeError(f"{meta.command_id} seen in {meta.aggregate_id} but not found")
        return keys.from_journal(envelope, part)

    def _record(self, outcome: CommandOutcome) -> CommandOutcome:
        return self.outcomes.record_outcome(outcome)

    def _maybe_snapshot(self, previous_version: int, after: Loaded) -> None:
        if should_snapshot(previous_version, after.version, self.config.snapshot_every):
            try:
                state = encode_state(after.state)
                self.snapshots.save(after.aggregate_id, after.version, state,
                                    after.recent_commands)  # fmt: skip
            except Exception:  # a missed snapshot costs replay time, never correctness
                log.warning("snapshot of %s failed", after.aggregate_id, exc_info=True)
