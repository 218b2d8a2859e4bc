"""Answer a batch of command-topic messages: aggregates in parallel, each one in order.

One outcome lookup (BatchGetItem) serves the whole batch. The commands then run in
rounds (``rounds.py``): in a round each aggregate's commands run one after another
in one task, different aggregates side by side (boto3 blocks, so in threads), and
the round's outcomes are written at once (BatchWriteItem) while the next round runs;
a round starts only once the outcomes of the round before the previous one are on
record.
The outcomes are on record when ``answer`` returns, so the caller may publish them
and then let the source offsets commit. A command id that appears twice in a batch is
decided once and both messages get that answer, as a one-by-one run would give.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace

from connectors.eventstore.port import CommandOutcome
from domain.messages import aggregate_type_of
from schemas import CommandMeta
from streams.handling import outcomes
from streams.handling.group import Resolution
from streams.handling.handler import LOOK_UP, CommandHandler, LookUp
from streams.handling.intake import Command, DeadLetter, Intake, Invalid
from streams.handling.resilience import BACKOFF_S, resolve_with_retries
from streams.handling.rounds import ROUND, ROUND_COMMANDS, revalidate_refs, rounds

log = logging.getLogger(__name__)
SINGLE_PUTS = 1


@dataclass(frozen=True)
class Answer:
    """What to publish for one message: its outcome, or the reason to dead-letter it."""

    outcome: CommandOutcome | None = None
    dead_letter: str | None = None


class BatchHandler:
    """Turn a batch of classified messages into answers whose outcomes are on record."""

    def __init__(
        self,
        handler: CommandHandler,
        pool: Executor,
        backoff_s: tuple[float, ...] = BACKOFF_S,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.handler = handler
        self.pool = pool
        self.backoff_s = backoff_s
        self.sleep = sleep

    def answer(self, intakes: Sequence[Intake]) -> list[Answer]:
        """Return one answer per intake, in order; every outcome is on record first."""
        first: dict[str, int] = {}  # command id -> index of its first message
        groups: dict[str, list[int]] = {}  # aggregate id -> indexes, in arrival order
        for i, intake in enumerate(intakes):
            meta = _meta(intake)
            if meta is None or meta.command_id in first:
                continue
            first[meta.command_id] = i
            if isinstance(intake, Command):
                groups.setdefault(meta.aggregate_id, []).append(i)
        recorded = self._look_up(list(first))
        invalid = {i: self._invalid(intakes[i], recorded) for i in first.values()
                   if isinstance(intakes[i], Invalid)}  # fmt: skip
        on_record = self._record(invalid)

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
            # the previous round's outcomes are on record before this round's are written,
            # so at most two rounds (RECENT_COMMANDS per aggregate) are ever unrecorded
            if recording is not None:
                on_record.update(recording.result())
            recording = self.pool.submit(self._record, resolved)
        if recording is not None:
            on_record.update(recording.result())
        answers = []
        for intake in intakes:
            meta = _meta(intake)
            if meta is None:
                assert isinstance(intake, DeadLetter)
                answers.append(Answer(dead_letter=intake.reason))
            else:
                answers.append(Answer(outcome=on_record[first[meta.command_id]]))
        return answers

    def _look_up(self, command_ids: list[str]) -> dict[str, CommandOutcome] | LookUp:
        """Read every recorded outcome at once; on failure each command reads its own."""
        if not command_ids:
            return {}
        try:
            return self.handler.outcomes.find_outcomes(command_ids)
        except Exception:
            log.warning("batch outcome lookup failed; looking up one by one", exc_info=True)
            return LOOK_UP

    def _invalid(self, intake: Intake, recorded: dict[str, CommandOutcome] | LookUp) -> Resolution:
        assert isinstance(intake, Invalid)
        found = None if isinstance(recorded, LookUp) else recorded.get(intake.meta.command_id)
        if found is not None:
            return Resolution(found, fresh=False)
        # recording first-writer-wins returns any outcome a failed lookup missed
        return Resolution(outcomes.refused(intake.meta, intake.aggregate_type, intake.error))

    def _run_group(
        self,
        intakes: Sequence[Intake],
        indexes: list[int],
        recorded: dict[str, CommandOutcome] | LookUp,
    ) -> dict[int, Resolution]:
        """Resolve one aggregate's commands of a round together (one journal entry).

        If that fails unexpectedly, each command is resolved on its own, with retries.
        """
        envelopes = []
        for i in indexes:
            intake = intakes[i]
            assert isinstance(intake, Command)
            envelopes.append(intake.envelope)
        known = [recorded if isinstance(recorded, LookUp) else recorded.get(e.meta.command_id)
                 for e in envelopes]  # fmt: skip
        try:
            return dict(zip(indexes, self.handler.resolve_group(envelopes, known), strict=True))
        except Exception:
            meta = envelopes[0].meta
            log.warning("%d commands of %s failed together; resolving them one by one",
                        len(envelopes), meta.aggregate_id, exc_info=True)  # fmt: skip
            self.handler.loader.cache.drop(
                aggregate_type_of(envelopes[0].command), meta.aggregate_id
            )
        return {
            i: resolve_with_retries(self.handler, envelope, k, self.backoff_s, self.sleep)
            for i, envelope, k in zip(indexes, envelopes, known, strict=True)
        }

    def _record(self, resolved: dict[int, Resolution]) -> dict[int, CommandOutcome]:
        """Record the fresh outcomes in one batch; if that keeps failing, answer INTERNAL."""
        fresh = sorted(i for i, r in resolved.items() if r.fresh)
        result = {i: r.outcome for i, r in resolved.items()}
        if not fresh:
            return result
        wanted = [resolved[i].outcome for i in fresh]
        store = self.handler.outcomes
        for delay in (*self.backoff_s, None):
            try:
                if len(wanted) <= SINGLE_PUTS:  # one conditional put beats a read plus a write
                    on_record = [store.record_outcome(o) for o in wanted]
                else:
                    # the batch's lookup found none of them: no need to read again
                    on_record = store.record_outcomes(wanted, known_absent=True)
            except Exception as e:
                if delay is None:
                    log.exception("recording %d outcomes failed for good", len(wanted))
                    result.update({i: _internal(o, e) for i, o in zip(fresh, wanted, strict=True)})
                    return result
                log.warning("recording %d outcomes failed (%r); retrying", len(wanted), e)
                self.sleep(delay)
            else:
                result.update(zip(fresh, on_record, strict=True))
                return result
        raise AssertionError("unreachable")


def _meta(intake: Intake) -> CommandMeta | None:
    if isinstance(intake, Command):
        return intake.envelope.meta
    if isinstance(intake, Invalid):
        return intake.meta
    return None


def _internal(outcome: CommandOutcome, error: Exception) -> CommandOutcome:
    """Return the unrecorded INTERNAL rejection that replaces an outcome we could not record.

    A redelivery of the command then finds the journal (accepted) or decides again.
    """
    return replace(outcome, status="REJECTED", version=None, event_types=(),
                   error_code=outcomes.INTERNAL,
                   message=f"internal error: {type(error).__name__}")  # fmt: skip
