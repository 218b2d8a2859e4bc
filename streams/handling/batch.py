"""Answer a batch of command-topic messages: aggregates in parallel, each one in order.

One outcome lookup (BatchGetItem) serves the whole batch. The commands then run in
rounds (``rounds.py``): in a round each aggregate's commands run one after another
in one task, different aggregates side by side (boto3 blocks, so in threads); the
outcomes decided on cached states without a write are confirmed with one
``moved_since`` for the round (``_confirm``); the round's outcomes are written at
once (BatchWriteItem) while the next round runs; a round starts only once the
outcomes of the round before the previous one are on record.
The outcomes are on record when ``answer`` returns, so the caller may publish them
and then let the source offsets commit. A command id that appears twice in a batch is
decided once: a message with the same command gets that answer, one with another
command (other fingerprint) is refused with IDEMPOTENCY_KEY_REUSED.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from typing import Any

from connectors.eventstore.port import CommandOutcome
from domain.messages import aggregate_type_of
from schemas import CommandEnvelope
from streams.handling import keys, outcomes
from streams.handling.business import count_reservation
from streams.handling.group import Resolution
from streams.handling.handler import LOOK_UP, CommandHandler, LookUp
from streams.handling.intake import Command, DeadLetter, Intake, Invalid
from streams.handling.log_scope import command_scope, commands_log, group_scope, log_answered
from streams.handling.recording import record_fresh
from streams.handling.resilience import BACKOFF_S, Stopping, never, resolve_with_retries
from streams.handling.rounds import ROUND, ROUND_COMMANDS, revalidate_refs, rounds

log = logging.getLogger(__name__)

Recorded = dict[str, CommandOutcome] | LookUp


@dataclass(frozen=True)
class Answer:
    """What to publish for one message: its outcome, or the reason to dead-letter it."""

    outcome: CommandOutcome | None = None
    dead_letter: str | None = None
    answers: str | None = None
    """The fingerprint of the message's command, published with its outcome."""
    command_type: str = ""
    """The command's class name ("" when it could not be read): a metrics label."""


class BatchHandler:
    """Turn a batch of classified messages into answers whose outcomes are on record.

    ``stopping`` tells the retry loops that the worker stops: they then raise
    ``BatchAbandoned`` instead of waiting any longer.
    """

    def __init__(
        self,
        handler: CommandHandler,
        pool: Executor,
        backoff_s: tuple[float, ...] = BACKOFF_S,
        sleep: Callable[[float], None] = time.sleep,
        stopping: Stopping = never,
    ) -> None:
        self.handler = handler
        self.pool = pool
        self.backoff_s = backoff_s
        self.sleep = sleep
        self.stopping = stopping

    def answer(self, intakes: Sequence[Intake]) -> list[Answer]:
        """Return one answer per intake, in order; every outcome is on record first."""
        first: dict[str, int] = {}  # command id -> index of its first message
        groups: dict[str, list[int]] = {}  # aggregate id -> indexes, in arrival order
        for i, intake in enumerate(intakes):
            meta = keys.meta_of(intake)
            if meta is None or keys.reserved(intake) or meta.command_id in first:
                continue
            first[meta.command_id] = i
            if isinstance(intake, Command):
                groups.setdefault(meta.aggregate_id, []).append(i)
        recorded = self._look_up(list(first))
        invalid = {
            i: keys.refused_invalid(intake, _get(recorded, intake.meta.command_id))
            for i in first.values()
            if isinstance(intake := intakes[i], Invalid)
        }
        looked_up = not isinstance(recorded, LookUp)
        on_record = self._record(invalid, looked_up)

        def run(indexes: list[int]) -> dict[int, Resolution]:
            return self._run_group(intakes, indexes, recorded)

        recording: Future[dict[int, CommandOutcome]] | None = None
        for chunks in rounds(groups, ROUND, ROUND_COMMANDS):
            commands = [intakes[i] for chunk in chunks for i in chunk]
            revalidate_refs(self.handler, [c.envelope.command for c in commands
                                           if isinstance(c, Command)])  # fmt: skip
            parts = [run(c) for c in chunks] if len(chunks) == 1 else self.pool.map(run, chunks)
            resolved: dict[int, Resolution] = {}
            for part in parts:
                resolved.update(part)
            self._confirm(intakes, chunks, resolved, recorded)
            self._count(intakes, resolved)
            # the previous round's outcomes are on record before this round's are written,
            # so at most two rounds (RECENT_COMMANDS per aggregate) are ever unrecorded
            if recording is not None:
                on_record.update(recording.result())
            recording = self.pool.submit(self._record, resolved, looked_up)
        if recording is not None:
            on_record.update(recording.result())
        answers = [self._answer_of(i, intakes, first, on_record) for i in range(len(intakes))]
        if commands_log.isEnabledFor(logging.DEBUG):
            for intake, answer in zip(intakes, answers, strict=True):
                if answer.outcome is not None:
                    outcome = answer.outcome
                    log_answered(keys.meta_of(intake), outcome.status, outcome.error_code)
        return answers

    def _answer_of(
        self,
        i: int,
        intakes: Sequence[Intake],
        first: dict[str, int],
        on_record: dict[int, CommandOutcome],
    ) -> Answer:
        intake = intakes[i]
        meta = keys.meta_of(intake)
        if meta is None:
            assert isinstance(intake, DeadLetter)
            return Answer(dead_letter=intake.reason)
        answers = keys.fingerprint_of(intake)
        if isinstance(intake, Invalid) and intake.reserved:
            refusal = outcomes.refused(meta, intake.aggregate_type, intake.error)
            return Answer(outcome=refusal, answers=answers)
        j = first[meta.command_id]
        kind = type(intake.envelope.command).__name__ if isinstance(intake, Command) else ""
        outcome = keys.repeated(intakes[j], intake, on_record[j])
        return Answer(outcome=outcome, answers=answers, command_type=kind)

    def _count(self, intakes: Sequence[Intake], resolved: dict[int, Resolution]) -> None:
        """Count the round's final, first-time outcomes in the 引当 metrics."""
        for i, resolution in resolved.items():
            intake = intakes[i]
            if resolution.fresh and isinstance(intake, Command):
                count_reservation(self.handler.loader, intake.envelope.command, resolution.outcome)

    def _look_up(self, command_ids: list[str]) -> Recorded:
        """Read every recorded outcome at once; on failure each command reads its own."""
        if not command_ids:
            return {}
        try:
            return self.handler.outcomes.find_outcomes(command_ids)
        except Exception:
            log.warning("batch outcome lookup failed; looking up one by one", exc_info=True)
            return LOOK_UP

    def _run_group(
        self,
        intakes: Sequence[Intake],
        indexes: list[int],
        recorded: Recorded,
        reload: bool = False,
    ) -> dict[int, Resolution]:
        """Resolve one aggregate's commands of a round together (one journal entry).

        If that fails, each command is resolved on its own, with retries.
        """
        envelopes = []
        for i in indexes:
            intake = intakes[i]
            assert isinstance(intake, Command)
            envelopes.append(intake.envelope)
        known = [recorded if isinstance(recorded, LookUp) else recorded.get(e.meta.command_id)
                 for e in envelopes]  # fmt: skip
        with group_scope(envelopes):
            try:
                resolved = self.handler.resolve_group(envelopes, known, reload)
                return dict(zip(indexes, resolved, strict=True))
            except Exception:
                meta = envelopes[0].meta
                log.warning("%d commands of %s failed together; resolving them one by one",
                            len(envelopes), meta.aggregate_id, exc_info=True)  # fmt: skip
                self.handler.loader.forget(
                    aggregate_type_of(envelopes[0].command), meta.aggregate_id
                )
        retry = (self.backoff_s, self.sleep, self.stopping)
        return {i: self._resolve_one(envelope, k, retry)
                for i, envelope, k in zip(indexes, envelopes, known, strict=True)}  # fmt: skip

    def _resolve_one(
        self, envelope: CommandEnvelope[Any], known: CommandOutcome | LookUp | None, retry: Any
    ) -> Resolution:
        with command_scope(envelope.meta):
            return resolve_with_retries(self.handler, envelope, known, *retry)

    def _confirm(
        self,
        intakes: Sequence[Intake],
        chunks: list[list[int]],
        resolved: dict[int, Resolution],
        recorded: Recorded,
    ) -> None:
        """Make final the outcomes decided on cached states: one ``moved_since`` for the round.

        An aggregate whose journal moved past the cached version is read again and its
        commands decided again; the others' outcomes stand.
        """
        heads: dict[str, tuple[list[int], int]] = {}
        for chunk in chunks:
            versions = [v for i in chunk if (v := resolved[i].unconfirmed_at) is not None]
            if versions:
                aggregate_id = keys.meta_of(intakes[chunk[0]]).aggregate_id  # type: ignore[union-attr]
                heads[aggregate_id] = (chunk, min(versions))
        if not heads:
            return
        moved = self.handler.moved({a: v for a, (_, v) in heads.items()})
        for aggregate_id, (chunk, version) in heads.items():
            if aggregate_id in moved:
                log.info("%s moved past the cached v%d; deciding again", aggregate_id, version)
                resolved.update(self._run_group(intakes, chunk, recorded, reload=True))
            for i in chunk:  # read from the journal just now, if not confirmed: final
                resolved[i] = replace(resolved[i], unconfirmed_at=None)

    def _record(
        self, resolved: dict[int, Resolution], looked_up: bool
    ) -> dict[int, CommandOutcome]:
        """Record the fresh outcomes; without the batch's lookup, never blindly."""
        return record_fresh(self.handler.outcomes, resolved, self.stopping, self.sleep,
                            known_absent=looked_up)  # fmt: skip


def _get(recorded: Recorded, command_id: str) -> CommandOutcome | None:
    """Return the outcome the batch's lookup found (None: none, or the lookup failed)."""
    return None if isinstance(recorded, LookUp) else recorded.get(command_id)
