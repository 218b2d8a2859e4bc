"""What a command agent does with one message: classify, handle off-loop, publish."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from connectors.eventstore.port import CommandOutcome
from schemas import COMMAND_RESULTS_TOPIC, DEAD_LETTER_TOPIC, encode, schema_name_of
from schemas.topics import (
    HEADER_COMMAND_ID,
    HEADER_DLQ_REASON,
    HEADER_DLQ_SOURCE_TOPIC,
    HEADER_MESSAGE_TYPE,
)
from streams.handling import (
    Command,
    CommandHandler,
    DeadLetter,
    Invalid,
    classify,
    handle_with_retries,
)
from streams.handling.outcomes import refused, to_record

log = logging.getLogger(__name__)
HEADER_DLQ_SOURCE_PARTITION = "zaiko-dlq-source-partition"
HEADER_DLQ_SOURCE_OFFSET = "zaiko-dlq-source-offset"
PUBLISH_ATTEMPTS = 5


class CommandRuntime:
    """Shared by the command agents of one worker: the handler and the output topics."""

    def __init__(self, app: faust.App, handler: CommandHandler, threads: int = 8) -> None:
        self.handler = handler
        self.results = app.topic(
            COMMAND_RESULTS_TOPIC, value_serializer="raw", key_serializer="raw"
        )
        self.dead_letters = app.topic(
            DEAD_LETTER_TOPIC, value_serializer="raw", key_serializer="raw"
        )
        # boto3 blocks; running it off the event loop keeps heartbeats and the other agents going
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="zaiko-handler")

    async def process(self, aggregate_type: str, message: Any) -> None:
        """Answer one message of ``<aggregate_type>.commands``; never raise."""
        try:
            intake = classify(message.value, aggregate_type)
            if isinstance(intake, DeadLetter):
                await self._dead_letter(message, intake.reason)
                return
            if isinstance(intake, Invalid):
                outcome = refused(intake.meta, intake.aggregate_type, intake.error)
                outcome = await self._run(self.handler.outcomes.record_outcome, outcome)
            else:
                assert isinstance(intake, Command)
                outcome = await self._run(handle_with_retries, self.handler, intake.envelope)
            await self._publish_outcome(outcome)
        except Exception:
            log.exception("message %s[%s]@%s not answered", message.topic, message.partition,
                          message.offset)  # fmt: skip

    async def _run(self, fn: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, fn, *args)

    async def _publish_outcome(self, outcome: CommandOutcome) -> None:
        record = to_record(outcome)
        headers = {HEADER_MESSAGE_TYPE: schema_name_of(record).encode(),
                   HEADER_COMMAND_ID: outcome.command_id.encode()}  # fmt: skip
        await self._send(self.results, outcome.command_id.encode(), encode(record), headers)
        log.debug("outcome %s %s", outcome.command_id, outcome.status)

    async def _dead_letter(self, message: Any, reason: str) -> None:
        headers = {
            HEADER_DLQ_REASON: reason.encode(),
            HEADER_DLQ_SOURCE_TOPIC: str(message.topic).encode(),
            HEADER_DLQ_SOURCE_PARTITION: str(message.partition).encode(),
            HEADER_DLQ_SOURCE_OFFSET: str(message.offset).encode(),
        }
        log.warning("dead-lettering %s[%s]@%s: %s", message.topic, message.partition,
                    message.offset, reason)  # fmt: skip
        await self._send(self.dead_letters, message.key, message.value or b"", headers)

    async def _send(
        self, topic: Any, key: bytes | None, value: bytes, headers: dict[str, bytes]
    ) -> None:
        """Send and wait for the broker's ack, so the source offset commits only after it."""
        for attempt in range(1, PUBLISH_ATTEMPTS + 1):
            try:
                pending = await topic.send(key=key, value=value, headers=headers)
                await pending
                return
            except Exception:
                if attempt == PUBLISH_ATTEMPTS:
                    raise
                log.warning("publish to %s failed; retrying", topic.get_topic_name(), exc_info=True)
                await asyncio.sleep(0.2 * 2**attempt)
