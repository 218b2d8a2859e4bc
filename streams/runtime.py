"""What the command agents do with a batch of messages: classify, answer off-loop, publish."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from connectors.eventstore.port import CommandOutcome
from schemas import COMMAND_RESULTS_TOPIC, DEAD_LETTER_TOPIC, encode, schema_name_of
from schemas.topics import (
    HEADER_COMMAND_FINGERPRINT,
    HEADER_COMMAND_ID,
    HEADER_DLQ_REASON,
    HEADER_DLQ_SOURCE_TOPIC,
    HEADER_MESSAGE_TYPE,
)
from streams.handling import Answer, BatchAbandoned, BatchHandler, CommandHandler, classify
from streams.handling.epoch_guard import EpochGuard
from streams.handling.outcomes import to_record
from streams.handling.resilience import PAUSE_SLICE_S, Stopping, retry_delay
from streams.notify import COMMAND_OUTCOME, Notices, WorkerNotifier
from streams.observe import count_published

log = logging.getLogger(__name__)
HEADER_DLQ_SOURCE_PARTITION = "zaiko-dlq-source-partition"
HEADER_DLQ_SOURCE_OFFSET = "zaiko-dlq-source-offset"
PUBLISH_ATTEMPTS = 5

Outgoing = tuple[Any, bytes | None, bytes, dict[str, bytes]]  # topic, key, value, headers


class CommandRuntime:
    """Shared by the command agents of one worker: the handler and the output topics."""

    def __init__(
        self,
        app: faust.App,
        handler: CommandHandler,
        threads: int = 8,
        parallelism: int = 16,
        batch_size: int = 256,
        batch_within_s: float = 0.01,
    ) -> None:
        self.handler = handler
        self.batch_size = batch_size
        self.batch_within_s = batch_within_s
        self.results = app.topic(
            COMMAND_RESULTS_TOPIC, value_serializer="raw", key_serializer="raw"
        )
        self.dead_letters = app.topic(
            DEAD_LETTER_TOPIC, value_serializer="raw", key_serializer="raw"
        )
        # boto3 blocks; running it off the event loop keeps heartbeats and the other agents going
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="zaiko-handler")
        # a pool of its own for the aggregates of a batch: a batch waits on it from `executor`
        self.aggregates = ThreadPoolExecutor(parallelism, thread_name_prefix="zaiko-aggregate")
        # set from the first moment the app stops: retry loops then give their batch up
        # (unacknowledged) instead of holding the shutdown, which waits for the batch
        self.stopping: Stopping = lambda: bool(app.should_stop)
        self.batches = BatchHandler(handler, self.aggregates, stopping=self.stopping)
        self.guard: EpochGuard | None = None  # set by bootstrap: the journal's epoch
        self.notifier: WorkerNotifier | None = None  # set by bootstrap: 引当失敗, delays, sites
        # set by bootstrap with the state table: changelog messages of the states appended
        self.state_messages: Callable[[], list[Outgoing]] = list

    async def process(self, aggregate_type: str, message: Any) -> None:
        """Answer one message of ``<aggregate_type>.commands``; never raise."""
        await self.process_batch(aggregate_type, [message])

    async def process_batch(self, aggregate_type: str, messages: Sequence[Any]) -> None:
        """Answer messages of ``<aggregate_type>.commands`` and wait for every ack.

        Each aggregate's messages are answered in arrival order; the outcomes are on
        record, and their publication acknowledged, before this returns (and so before
        the agent acks them and the consumer commits anything after them). It returns
        only then: a failure is retried with capped backoff for as long as it lasts.
        Raises ``BatchAbandoned`` when the worker stops first: the messages must then
        stay unacknowledged, to be redelivered.
        """
        with self.timing(messages):
            await self._process_batch(aggregate_type, messages)

    async def _process_batch(self, aggregate_type: str, messages: Sequence[Any]) -> None:
        notifier = self.notifier
        for attempt in itertools.count(1):
            try:
                if self.guard is not None:  # never decide on states of a journal that started over
                    await self.guard.ready(self.run_blocking)
                started = time.monotonic()
                answers, notices = await self.run_blocking(
                    self._answer, aggregate_type, [m.value for m in messages]
                )
                outgoing = self.state_messages()
                outgoing += [self._outgoing(m, a) for m, a in zip(messages, answers, strict=True)]
                if notifier is not None:
                    outgoing += notifier.messages(notices)
                answered = time.monotonic()
                await self.publish(outgoing)
                count_published(aggregate_type, messages, answers)
                if notifier is not None and notices.notifications:
                    await self._notified(notifier, notices)
                if log.isEnabledFor(logging.DEBUG):
                    _trace(aggregate_type, messages, started, answered)
                return
            except Exception:
                first = messages[0] if messages else None
                log.exception("batch of %d from %s not answered yet; retrying", len(messages),
                              getattr(first, "topic", "?"))  # fmt: skip
                await pause(retry_delay(attempt), self.stopping)

    @contextlib.contextmanager
    def timing(self, messages: Sequence[Any]) -> Iterator[None]:
        """Count the batch as in flight since its oldest record, for 受払処理の遅延."""
        if self.notifier is None:
            yield
            return
        oldest = min((m.timestamp or time.time() for m in messages), default=time.time())
        flying = self.notifier.probe.begin(COMMAND_OUTCOME, oldest)
        try:
            yield
        finally:
            self.notifier.probe.end(flying)

    async def _notified(self, notifier: WorkerNotifier, notices: Notices) -> None:
        """Record published notifications; a failure here never sends the batch round again."""
        try:
            await self.run_blocking(notifier.done, notices)
        except Exception as e:
            log.warning("published notifications not recorded: %s", e)

    def shutdown(self) -> None:
        """Stop the thread pools (queued work is dropped; Kafka redelivers it)."""
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.aggregates.shutdown(wait=False, cancel_futures=True)

    def _answer(
        self, aggregate_type: str, values: list[bytes | None]
    ) -> tuple[list[Answer], Notices]:
        intakes = [classify(v, aggregate_type) for v in values]
        answers = self.batches.answer(intakes)
        if self.notifier is None:
            return answers, Notices()
        return answers, self.notifier.notice(aggregate_type, intakes, answers)

    async def run_blocking(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(*args)`` on the handler threads, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def _outgoing(self, message: Any, answer: Answer) -> Outgoing:
        if answer.outcome is not None:
            return self.outcome_message(answer.outcome, answer.answers)
        reason = answer.dead_letter or "unanswered"
        headers = dead_letter_headers(reason, message.topic, message.partition, message.offset,
                                      getattr(message, "headers", None))  # fmt: skip
        log.warning("dead-lettering %s[%s]@%s: %s", message.topic, message.partition,
                    message.offset, reason)  # fmt: skip
        return self.dead_letters, message.key, message.value or b"", headers

    def outcome_message(self, outcome: CommandOutcome, answers: str | None = None) -> Outgoing:
        """Return the ``command.results`` message of ``outcome`` (key = command id).

        ``answers``: the fingerprint of the command it answers, sent as the
        ``zaiko-command-fingerprint`` header: two commands sent under one id (a reused
        key) get records a waiting client tells apart.
        """
        record = to_record(outcome)
        headers = {HEADER_MESSAGE_TYPE: schema_name_of(record).encode(),
                   HEADER_COMMAND_ID: outcome.command_id.encode()}  # fmt: skip
        if answers is not None:
            headers[HEADER_COMMAND_FINGERPRINT] = answers.encode()
        return self.results, outcome.command_id.encode(), encode(record), headers

    async def publish(self, outgoing: Sequence[Outgoing]) -> None:
        """Send every message and wait for the broker's acks, resending until all are in.

        Raises ``BatchAbandoned`` if the worker stops first.
        """
        await publish(outgoing, self.stopping)


async def pause(delay_s: float, stopping: Stopping) -> None:
    """Wait ``delay_s`` in short slices; raise ``BatchAbandoned`` once the worker stops."""
    remaining = delay_s
    while True:
        if stopping():
            raise BatchAbandoned
        if remaining <= 0:
            return
        await asyncio.sleep(min(PAUSE_SLICE_S, remaining))
        remaining -= PAUSE_SLICE_S


async def publish(outgoing: Sequence[Outgoing], stopping: Stopping | None = None) -> None:
    """Send every message, then wait for all the broker's acks; resend what failed.

    Without ``stopping``: ``PUBLISH_ATTEMPTS`` attempts, then RuntimeError. With it:
    until every message is published, or ``BatchAbandoned`` once ``stopping()``.
    """
    pending = list(outgoing)
    for attempt in itertools.count(1):
        sent: list[tuple[Outgoing, Any]] = []
        failed: list[Outgoing] = []
        for item in pending:
            topic, key, value, headers = item
            try:
                sent.append((item, await topic.send(key=key, value=value, headers=headers)))
            except Exception:
                log.warning("send to %s failed", topic.get_topic_name(), exc_info=True)
                failed.append(item)
        acks = await asyncio.gather(*(f for _, f in sent), return_exceptions=True)
        failed += [item for (item, _), ack in zip(sent, acks, strict=True)
                   if isinstance(ack, BaseException)]  # fmt: skip
        if not failed:
            return
        if stopping is None and attempt == PUBLISH_ATTEMPTS:
            raise RuntimeError(f"{len(failed)} of {len(outgoing)} messages not published")
        log.warning("%d messages not acknowledged; resending", len(failed))
        pending = failed
        await pause(min(0.2 * 2**attempt, 5.0), stopping or _never)


def _never() -> bool:
    return False


def dead_letter_headers(
    reason: str, topic: str, partition: int, offset: int, original: Any = None
) -> dict[str, bytes]:
    """Return the record's ``original`` headers plus those that say why and from where.

    ``original``: the headers as delivered (pairs or a mapping). A header named like
    ours (a dead letter dead-lettered again) gives way to the new value; of a name that
    occurs twice, the last value is kept.
    """
    headers = {name: value or b"" for name, value in _header_pairs(original)}
    headers.update({
        HEADER_DLQ_REASON: reason.encode(),
        HEADER_DLQ_SOURCE_TOPIC: str(topic).encode(),
        HEADER_DLQ_SOURCE_PARTITION: str(partition).encode(),
        HEADER_DLQ_SOURCE_OFFSET: str(offset).encode(),
    })  # fmt: skip
    return headers


def _header_pairs(headers: Any) -> list[tuple[str, bytes | None]]:
    if not headers:
        return []
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(name), _header_bytes(value)) for name, value in pairs]


def _header_bytes(value: Any) -> bytes | None:
    if value is None or isinstance(value, bytes):
        return value
    return value.encode() if isinstance(value, str) else bytes(value)


def _trace(aggregate_type: str, messages: Sequence[Any], started: float, answered: float) -> None:
    """Log where a batch's time went: queued before the agent took it, answer, publish."""
    done = time.monotonic()
    queued = max(time.time() - (done - started) - (m.timestamp or 0) for m in messages)
    log.debug("%s: %d messages, queued up to %.0f ms, answered in %.0f ms, published in %.0f ms",
              aggregate_type, len(messages), queued * 1000, (answered - started) * 1000,
              (done - answered) * 1000)  # fmt: skip
