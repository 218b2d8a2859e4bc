"""What a projection agent does with a batch: project it off-loop, publish, then let it ack.

The handler is blocking (psycopg, redis, boto3), so it runs in a thread; each agent has
concurrency 1, so each handler is used by one thread at a time. A failure (a database
down, the broker refusing a publish) is retried with backoff on fresh connections, for as
long as it takes: returning would let Faust ack a batch that was not projected.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from schemas import DEAD_LETTER_TOPIC, INVENTORY_ALERTS_TOPIC, LowStockAlert, encode, schema_name_of
from schemas.topics import HEADER_MESSAGE_TYPE
from streams.projection import BatchResult, DeadLetter, HandlerFactory, ProjectionHandler, Record
from streams.runtime import Outgoing, dead_letter_headers, publish

log = logging.getLogger(__name__)


def alert_key(alert: LowStockAlert) -> bytes:
    """Return the contract's key of an alert: the inventory id ``<product id>@<zone id>``."""
    return f"{alert.product_id}@{alert.zone_id}".encode()


class ProjectionRuntime:
    """Shared by the projection agents: one handler per event topic, the output topics."""

    def __init__(
        self, app: faust.App, factories: Mapping[str, HandlerFactory], backoff_max_s: float = 10.0
    ) -> None:
        self.alerts = app.topic(
            INVENTORY_ALERTS_TOPIC, key_serializer="raw", value_serializer="raw"
        )
        self.dead_letters = app.topic(
            DEAD_LETTER_TOPIC, key_serializer="raw", value_serializer="raw"
        )
        self.factories = dict(factories)
        self.handlers: dict[str, ProjectionHandler] = {}
        self.backoff_max_s = backoff_max_s
        self.executor = ThreadPoolExecutor(max(1, len(factories)), thread_name_prefix="zaiko-proj")

    async def process(self, aggregate_type: str, records: Sequence[Record]) -> BatchResult:
        """Project ``records`` and publish what they yield, retrying until both succeed."""
        attempt = 0
        while True:
            try:
                result: BatchResult = await self._run(self._project, aggregate_type, records)
                await self._publish(result)
                return result
            except Exception:
                attempt += 1
                delay = min(self.backoff_max_s, 0.2 * 2**attempt)
                log.exception("%s batch of %d not projected (attempt %d); retrying in %.1f s",
                              aggregate_type, len(records), attempt, delay)  # fmt: skip
                await self._run(self._discard, aggregate_type)
                await asyncio.sleep(delay)

    def close(self) -> None:
        """Close every handler's connections and stop the threads."""
        for aggregate_type in list(self.handlers):
            self._discard(aggregate_type)
        self.executor.shutdown(wait=False, cancel_futures=True)

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

    async def _publish(self, result: BatchResult) -> None:
        """Send every dead letter and alert, then wait for all the broker's acks."""
        outgoing: list[Outgoing] = [self._dead_letter(dead) for dead in result.dead_letters]
        for alert in result.alerts:
            headers = {HEADER_MESSAGE_TYPE: schema_name_of(alert).encode()}
            outgoing.append((self.alerts, alert_key(alert), encode(alert), headers))
        await publish(outgoing)
        if result.alerts:
            log.info("published %d low-stock alert(s)", len(result.alerts))

    def _dead_letter(self, dead: DeadLetter) -> Outgoing:
        record = dead.record
        log.warning("dead-lettering %s[%d]@%d: %s", record.topic, record.partition,
                    record.offset, dead.reason)  # fmt: skip
        headers = dead_letter_headers(dead.reason, record.topic, record.partition, record.offset)
        return self.dead_letters, record.key, record.value or b"", headers
