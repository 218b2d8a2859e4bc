"""Wire the aggregate-state table (``ZAIKO_STATE_TABLE``) into a worker: a Faust table.

The table's changelog (``<app id>-aggregate-state-changelog``, created here with the
command topics' partition count) is restored by Faust's recovery when partitions are
assigned. On Tansu, ListOffsets(LATEST) answers the base offset of the last record
batch + 1, not the end (measured: 11 for 17 records in two batches), so Faust's
recovery stops early, inside the last batch: never a hang, at worst a few states
missing, which then load from the journal (docs/decisions.md, "State table").
"""

from __future__ import annotations

import logging
from typing import Any

import faust

from connectors.kafka.topics import ensure_topics
from streams.handling import CommandHandler
from streams.handling.epoch_guard import EpochCache, EpochGuard
from streams.handling.state_table import StateTable
from streams.settings import WorkerSettings

log = logging.getLogger(__name__)
TABLE_NAME = "aggregate-state"


class PartitionTopic:
    """A topic that sends every message to one partition (the state's own)."""

    def __init__(self, topic: Any, partition: int) -> None:
        self.topic = topic
        self.partition = partition

    async def send(self, *, key: bytes | None, value: bytes, headers: Any = None) -> Any:
        """Send to this partition."""
        return await self.topic.send(key=key, value=value, headers=headers or None,
                                     partition=self.partition)  # fmt: skip

    def get_topic_name(self) -> str:
        """Return the topic's name (for logs)."""
        return str(self.topic.get_topic_name())


class StateTableWiring:
    """The worker's state table and the changelog messages of what was appended."""

    def __init__(self, table: Any, state: StateTable) -> None:
        self.table = table
        self.state = state
        self._topics: dict[int, PartitionTopic] = {}

    def messages(self) -> list[tuple[Any, bytes | None, bytes, dict[str, bytes]]]:
        """Return the changelog messages of the states appended since the last call."""
        out: list[tuple[Any, bytes | None, bytes, dict[str, bytes]]] = []
        for write in self.state.drain():
            topic = self._topics.get(write.partition)
            if topic is None:
                topic = PartitionTopic(self.table.changelog_topic, write.partition)
                self._topics[write.partition] = topic
            out.append((topic, write.key, write.value, {}))
        return out


def attach_state_table(
    settings: WorkerSettings, app: faust.App, handler: CommandHandler, guard: EpochGuard
) -> StateTableWiring | None:
    """Give the handler's loader the state table, if ``settings.state_table``."""
    if not settings.state_table:
        return None
    changelog = f"{settings.app_id}-{TABLE_NAME}-changelog"
    ensure_topics(settings.kafka_bootstrap_servers, settings.topic_partitions, names=[changelog])
    table = app.Table(TABLE_NAME, partitions=settings.topic_partitions,
                      key_type=bytes, value_type=bytes)  # fmt: skip
    cache = guard.cache
    stale = cache.stale_here if isinstance(cache, EpochCache) else (lambda: False)
    state = StateTable(table.data, settings.topic_partitions, lambda: guard.epoch, stale)
    handler.loader.table = state
    log.info("state table on: %s, %d partitions", changelog, settings.topic_partitions)
    return StateTableWiring(table, state)
