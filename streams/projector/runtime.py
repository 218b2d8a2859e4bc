"""What a projection agent does with a batch: project it off-loop, publish, then let it ack.

The handler is blocking (psycopg, redis, boto3), so it runs in a thread; each agent has
concurrency 1, so each handler is used by one thread at a time. A transient failure (a
database down or paused, a lost connection) is retried with capped backoff on fresh
connections, for as long as it takes; an event the read model refuses parks its
aggregate instead (connectors/postgres/isolation.py). The output is computed once and
published until the broker acknowledges all of it: returning earlier would let Faust
ack a batch whose dead letters or alerts were never published.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from connectors.kafka.metrics import count_dead_letters
from connectors.notifications import LatencyProbe, published
from schemas import DEAD_LETTER_TOPIC, INVENTORY_ALERTS_TOPIC, INVENTORY_NOTIFICATIONS_TOPIC
from streams.projection import BatchResult, HandlerFactory, ProjectionHandler, Record
from streams.projector.lag import Progress
from streams.projector.output import alert_key, messages_of
from streams.runtime import Outgoing, publish

log = logging.getLogger(__name__)
__all__ = ["ProjectionRuntime", "alert_key"]


class ProjectionRuntime:
    """Shared by the projection agents: one handler per event topic, the output topics."""

    def __init__(
        self,
        app: faust.App,
        factories: Mapping[str, HandlerFactory],
        backoff_max_s: float = 10.0,
        repair: Callable[[], int] | None = None,
    ) -> None:
        self.topics = {
            name: app.topic(name, key_serializer="raw", value_serializer="raw")
            for name in (INVENTORY_ALERTS_TOPIC, DEAD_LETTER_TOPIC, INVENTORY_NOTIFICATIONS_TOPIC)
        }
        self.factories = dict(factories)
        self.handlers: dict[str, ProjectionHandler] = {}
        self.backoff_max_s = backoff_max_s
        self.repair = repair
        self.progress = Progress()
        threads = max(1, len(factories)) + (1 if repair is not None else 0)
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="zaiko-proj")
        self.probe = LatencyProbe()  # how far behind the event topics projection runs

    def backoff(self, attempt: int) -> float:
        """Return the pause before retry ``attempt`` (1, 2, ...): doubling, capped."""
        return min(self.backoff_max_s, 0.2 * 2.0**attempt)

    async def process(self, aggregate_type: str, records: Sequence[Record]) -> BatchResult:
        """Project ``records``, then publish what they yield; retry each step until it succeeds."""
        stamps = [r.timestamp for r in records if r.timestamp > 0]
        flying = self.probe.begin(f"projection:{aggregate_type}", min(stamps, default=time.time()))
        try:
            attempt = 0
            while True:
                try:
                    result: BatchResult = await self._run(self._project, aggregate_type, records)
                    break
                except Exception:
                    attempt += 1
                    delay = self.backoff(attempt)
                    log.exception("%s batch of %d not projected (attempt %d); retrying in %.1f s",
                                  aggregate_type, len(records), attempt, delay)  # fmt: skip
                    await self._run(self._discard, aggregate_type)
                    await asyncio.sleep(delay)
            await self._publish(aggregate_type, result)
            self.progress.record(aggregate_type, records, result)
        finally:
            self.probe.end(flying)
        return result

    async def repair_cache(self) -> int:
        """Repay the cache debt if there is some and Redis answers; return entries repaid."""
        if self.repair is None:
            return 0
        try:
            repaid: int = await self._run(self.repair)
        except Exception as e:
            log.warning("cache repair failed (retried at the next tick): %s", e)
            return 0
        return repaid

    def close(self) -> None:
        """Close every handler's connections and stop the threads."""
        for aggregate_type in list(self.handlers):
            self._discard(aggregate_type)
        self.executor.shutdown(wait=False, cancel_futures=True)

    async def run_blocking(self, fn: Any, *args: Any) -> Any:
        """Run ``fn(*args)`` on the projector's threads, off the event loop."""
        return await self._run(fn, *args)

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    def _project(self, aggregate_type: str, records: Sequence[Record]) -> BatchResult:
        handler = self.handlers.get(aggregate_type)
        if handler is None:
            handler = self.handlers[aggregate_type] = self.factories[aggregate_type]()
        return handler.project(records)

    def _discard(self, aggregate_type: str) -> None:
        """Drop a handler whose connections may be broken; the next attempt builds anew."""
        handler = self.handlers.pop(aggregate_type, None)
        if handler is not None:
            try:
                handler.close()
            except Exception:
                log.debug("closing a failed handler", exc_info=True)

    async def _publish(self, aggregate_type: str, result: BatchResult) -> None:
        """Send every dead letter and alert until the broker acknowledged them all."""
        outgoing: list[Outgoing] = [
            (self.topics[m.topic], m.key, m.value, m.headers) for m in messages_of(result)
        ]
        attempt = 0
        while outgoing:
            try:
                await publish(outgoing)
                break
            except Exception:
                attempt += 1
                delay = self.backoff(attempt)
                log.exception("%s: %d message(s) not published (attempt %d); retrying in %.1f s",
                              aggregate_type, len(outgoing), attempt, delay)  # fmt: skip
                await asyncio.sleep(delay)
        count_dead_letters("projector", [d.reason for d in result.dead_letters])
        if result.alerts:
            log.info("published %d low-stock alert(s)", len(result.alerts))
        for notice in result.notifications:
            published(notice)
