"""The Kafka side of the Command API: produce a command, await its outcome."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from command_gateway.outcomes import OutcomeReader
from command_gateway.ports import KafkaUnavailableError
from domain.fingerprint import fingerprint
from domain.messages import aggregate_id_of, aggregate_type_of
from schemas import CommandEnvelope, CommandOutcome, command_topic_for, encode, schema_name_of
from schemas.topics import HEADER_COMMAND_ID, HEADER_MESSAGE_TYPE

log = logging.getLogger(__name__)
RETRY_S = (0.5, 1.0, 2.0, 5.0)


class KafkaCommandBus:
    """``CommandBus`` over aiokafka (murmur2 key partitioning, like Faust and the contract)."""

    def __init__(self, bootstrap_servers: str, clock_skew_s: float) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.reader = OutcomeReader(bootstrap_servers, clock_skew_s)
        self._producer: Any = None
        self._ready = asyncio.Event()
        self._connect: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Connect in the background, so the API (and its health) is up while Kafka is not."""
        self._connect = asyncio.create_task(self._connect_until_done(), name="kafka-connect")

    async def stop(self) -> None:
        """Stop connecting, reading and producing."""
        if self._connect is not None:
            self._connect.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connect
        await self.reader.stop()
        if self._producer is not None:
            await self._producer.stop()

    @property
    def ready(self) -> bool:
        """Tell whether the producer and the results reader are running."""
        return self._ready.is_set()

    async def dispatch(
        self, envelope: CommandEnvelope[Any], timeout_s: float
    ) -> CommandOutcome | None:
        """Produce ``envelope`` keyed by its aggregate id and wait for its outcome."""
        try:
            await asyncio.wait_for(self._ready.wait(), timeout_s)
        except TimeoutError:
            raise KafkaUnavailableError(
                f"Kafka at {self.bootstrap_servers} is unreachable"
            ) from None
        command, command_id = envelope.command, envelope.meta.command_id
        waiters = self.reader.waiters
        # before producing: the answer cannot slip past; only this command's answers it
        future = waiters.expect(command_id, aggregate_type_of(command), aggregate_id_of(command),
                                fingerprint(command))  # fmt: skip
        headers = [(HEADER_MESSAGE_TYPE, schema_name_of(envelope).encode()),
                   (HEADER_COMMAND_ID, command_id.encode())]  # fmt: skip
        try:
            async with asyncio.timeout(timeout_s):
                await self._producer.send_and_wait(
                    command_topic_for(aggregate_type_of(command)),
                    value=encode(envelope),
                    key=aggregate_id_of(command).encode(),
                    headers=headers,
                )
                return await future
        except TimeoutError:
            return None
        finally:
            waiters.forget(command_id, future)

    async def reachable(self, timeout_s: float) -> bool:
        """Tell whether we are connected (producer and results reader) and a broker answers."""
        if not self.ready:
            return False
        try:
            await asyncio.wait_for(self._producer.client.fetch_all_metadata(), timeout_s)
        except Exception:
            return False
        return True

    async def _connect_until_done(self) -> None:
        from aiokafka import AIOKafkaProducer

        attempt = 0
        while True:
            producer = AIOKafkaProducer(
                bootstrap_servers=self.bootstrap_servers,
                acks="all",
                client_id="zaiko-command-gateway",
            )
            try:
                await producer.start()
                await self.reader.start()
            except asyncio.CancelledError:
                await producer.stop()
                raise
            except Exception as e:
                await producer.stop()
                delay = RETRY_S[min(attempt, len(RETRY_S) - 1)]
                log.warning("Kafka at %s not ready (%s); retrying in %.1fs",
                            self.bootstrap_servers, e, delay)  # fmt: skip
                attempt += 1
                await asyncio.sleep(delay)
                continue
            self._producer = producer
            self._ready.set()
            log.info("connected to Kafka at %s", self.bootstrap_servers)
            return
