"""One shared reader of ``command.results`` per gateway process, resolving waiters by command id.

Where it starts reading, and why: every partition is assigned by hand (no consumer
group: each gateway process needs every outcome, and a group would split them), with
``auto_offset_reset="earliest"``, i.e. from the beginning of each partition. Starting at
the end would need ListOffsets(LATEST), which Tansu answers wrongly for record batches
of more than one record, and a group with ``auto_offset_reset="latest"`` resets through
the same request. A start-up position that is too far ahead loses outcomes; reading from
the beginning cannot lose one. Records older than the process start (minus an allowance
for clock skew between the worker and this host) are skipped on their timestamp
without decoding, so catching up costs one pass over the retained keys and nothing
older can answer a waiter that registers while the reader catches up.

A waiter registers before its command is produced, so its outcome cannot slip past.
It names the aggregate its command targets and the command's fingerprint
(``domain.fingerprint``), and only an outcome for that aggregate which answers that
command (header ``zaiko-command-fingerprint``) resolves it: an outcome under the same
command id for another aggregate or another payload (a reused idempotency key, even
two requests racing each other) is never taken for this command's. Records from
workers that predate the header are matched on the aggregate alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schemas import COMMAND_RESULTS_TOPIC, CodecError, CommandOutcome, decode_outcome
from schemas.topics import HEADER_COMMAND_FINGERPRINT

log = logging.getLogger(__name__)


Aggregate = tuple[str, str] | None  # (aggregate type, aggregate id) a waiter expects


@dataclass(frozen=True)
class Expected:
    """What a waiter's command is: its aggregate and its fingerprint (None: any)."""

    aggregate: Aggregate = None
    fingerprint: str | None = None

    def answered_by(self, outcome: CommandOutcome, theirs: str | None) -> bool:
        """Tell whether ``outcome``, answering the command ``theirs``, is this waiter's."""
        answered = (outcome.aggregate_type, outcome.aggregate_id)
        if self.aggregate is not None and self.aggregate != answered:
            return False
        return self.fingerprint is None or theirs is None or theirs == self.fingerprint


class OutcomeWaiters:
    """Futures per command id, fed with records of ``command.results`` (no Kafka here)."""

    def __init__(self, floor_ms: int) -> None:
        self.floor_ms = floor_ms
        self._waiters: dict[str, dict[asyncio.Future[CommandOutcome], Expected]] = defaultdict(dict)

    def expect(
        self,
        command_id: str,
        aggregate_type: str | None = None,
        aggregate_id: str | None = None,
        fingerprint: str | None = None,
    ) -> asyncio.Future[CommandOutcome]:
        """Return a future resolved by the next outcome of ``command_id`` for that command.

        Without an aggregate (or fingerprint), any outcome of ``command_id`` resolves it.
        """
        future: asyncio.Future[CommandOutcome] = asyncio.get_running_loop().create_future()
        aggregate = None if aggregate_id is None else (aggregate_type or "", aggregate_id)
        self._waiters[command_id][future] = Expected(aggregate, fingerprint)
        return future

    def forget(self, command_id: str, future: asyncio.Future[CommandOutcome]) -> None:
        """Stop waiting with ``future`` (answered, timed out or cancelled)."""
        waiters = self._waiters.get(command_id)
        if waiters is not None:
            waiters.pop(future, None)
            if not waiters:
                del self._waiters[command_id]

    def offer(
        self,
        key: bytes | None,
        value: bytes | None,
        timestamp_ms: int,
        headers: Sequence[tuple[str, bytes]] = (),
    ) -> bool:
        """Resolve the record's waiters (its command id, its aggregate); return whether any were."""
        if timestamp_ms < self.floor_ms or key is None or value is None:
            return False
        waiters = self._waiters.get(key.decode("utf-8", "replace"))
        if not waiters:
            return False
        try:
            outcome = decode_outcome(value)
        except CodecError as e:
            log.warning("undecodable record on %s: %s", COMMAND_RESULTS_TOPIC, e)
            return False
        answers = next((v.decode("ascii", "replace") for k, v in headers
                        if k == HEADER_COMMAND_FINGERPRINT and v is not None), None)  # fmt: skip
        taken = False
        for future, expected in waiters.items():
            if not expected.answered_by(outcome, answers):
                continue  # another command's outcome under the same id
            taken = True
            if not future.done():
                future.set_result(outcome)
        return taken


class OutcomeReader:
    """Read every partition of ``command.results`` in a task and feed ``OutcomeWaiters``."""

    def __init__(self, bootstrap_servers: str, clock_skew_s: float) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.waiters = OutcomeWaiters(int((time.time() - clock_skew_s) * 1000))
        self._consumer: Any = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Connect and assign every partition from its beginning (see the module docstring)."""
        from aiokafka import AIOKafkaConsumer, TopicPartition

        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.bootstrap_servers,
            group_id=None,
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            client_id="zaiko-command-gateway-results",
            # a mutation waits for this read: don't let the broker hold a fetch for long
            fetch_max_wait_ms=20,
        )
        await consumer.start()
        try:
            await consumer.topics()  # loads the cluster metadata
            partitions = consumer.partitions_for_topic(COMMAND_RESULTS_TOPIC)
            if not partitions:
                raise RuntimeError(f"topic {COMMAND_RESULTS_TOPIC} does not exist")
            consumer.assign([TopicPartition(COMMAND_RESULTS_TOPIC, p) for p in partitions])
        except BaseException:
            await consumer.stop()
            raise
        self._consumer = consumer
        self._task = asyncio.create_task(self._run(), name="command-results-reader")

    async def stop(self) -> None:
        """Stop reading and close the consumer."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._consumer is not None:
            await self._consumer.stop()

    async def _run(self) -> None:
        while True:
            try:
                batches = await self._consumer.getmany(timeout_ms=500, max_records=2000)
            except asyncio.CancelledError:
                raise
            except Exception:  # the consumer reconnects by itself; keep the reader alive
                log.warning("reading %s failed; retrying", COMMAND_RESULTS_TOPIC, exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for records in batches.values():
                for record in records:
                    self.waiters.offer(record.key, record.value, record.timestamp,
                                       record.headers or ())  # fmt: skip
