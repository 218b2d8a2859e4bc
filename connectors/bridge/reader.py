"""Read every shard of the journal's stream in lineage order: publish, then checkpoint."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from connectors.bridge.iterators import ReaderStats, ShardIterators
from connectors.bridge.lineage import Shard, describe_shards, readable_shards
from connectors.bridge.messages import messages_from_records
from connectors.bridge.metrics import LAG, RECORDS, created_at_s
from connectors.bridge.ports import (
    Checkpoint,
    CheckpointStore,
    EventMessage,
    Publisher,
    checkpoint_id,
)
from connectors.kafka.metrics import count_dead_letters
from connectors.kafka.topics import DEAD_LETTER
from schemas.topics import HEADER_DLQ_REASON

log = logging.getLogger("zaiko.bridge")


def _now_ms() -> int:
    return int(time.time() * 1000)


class StreamReader:
    """Bridges one stream: each shard after its parent, checkpointed after Kafka's ack.

    A parent shard is read until GetRecords returns no NextShardIterator (closed and
    drained) before its children start. A shard's checkpoint moves only after the
    publisher acknowledged every event up to it, so a crash re-reads, never skips.
    """

    def __init__(
        self,
        streams: Any,
        stream_arn: str,
        publisher: Publisher,
        checkpoints: CheckpointStore,
        *,
        bridge_id: str,
        records_per_read: int = 1000,
        now_ms: Callable[[], int] = _now_ms,
        guard: Callable[[], object] = lambda: None,
        stats: ReaderStats | None = None,
    ) -> None:
        self.stream_arn = stream_arn
        self.stats = stats if stats is not None else ReaderStats()  # may outlive the reader
        self._streams = streams
        self._publisher = publisher
        self._checkpoints = checkpoints
        self._bridge_id = bridge_id
        self._now_ms = now_ms
        self._guard = guard  # raises when this bridge may no longer publish (lost its lease)
        self._iterators = ShardIterators(streams, stream_arn, records_per_read, self.stats)
        self._shards: dict[str, Shard] = {}
        self._finished: set[str] = set()
        self._newest_read_s: float | None = None  # of the current poll's records
        self._bridged_at_s: float | None = None  # when a poll last ended without error

    @property
    def finished_shards(self) -> frozenset[str]:
        """Return the shards read to their end (closed and drained)."""
        return frozenset(self._finished)

    def discover(self) -> list[str]:
        """Learn shards the stream lists that this reader does not know yet; return them."""
        new = []
        for shard in describe_shards(self._streams, self.stream_arn):
            known = shard.shard_id in self._shards
            self._shards[shard.shard_id] = shard
            if known:
                continue
            new.append(shard.shard_id)
            saved = self._checkpoints.load(self._checkpoint_id(shard.shard_id))
            if saved is not None:
                self._iterators.advance(shard.shard_id, saved.sequence_number, None)
                if saved.closed:
                    self._finished.add(shard.shard_id)
        if new:
            log.info("shards discovered", extra={"shards": new, "stream_arn": self.stream_arn})
        return new

    def poll(self) -> int:
        """Read one batch from every readable shard; return how many records it bridged."""
        self._newest_read_s = None
        try:
            shards = readable_shards(self._shards, self._finished)
            bridged = sum(self._read_batch(s) for s in shards)
        except Exception:
            # a stalled bridge is behind by at least the time since it last bridged
            if self._bridged_at_s is not None:
                LAG.set(max(0.0, self._now_ms() / 1000 - self._bridged_at_s))
            raise
        now_s = self._now_ms() / 1000
        self._bridged_at_s = now_s
        newest = self._newest_read_s
        LAG.set(0.0 if newest is None else max(0.0, now_s - newest))
        return bridged

    def _read_batch(self, shard_id: str) -> int:
        try:
            self._guard()
            response = self._iterators.get_records(shard_id)
            if response is None:  # aged out of the stream: nothing left to read
                self._finished.add(shard_id)
                return 0
            records: Sequence[Mapping[str, Any]] = response.get("Records", [])
            messages = messages_from_records(records)
            if messages:
                self._guard()
                self._publisher.publish(messages)
            self._checkpoint(shard_id, records, response.get("NextShardIterator"))
        except Exception:
            # Resume from the last checkpoint: the batch is re-read (duplicates, no loss).
            self._iterators.reset(shard_id)
            raise
        self.stats.records += len(records)
        self._count(records, messages)
        return len(records)

    def _count(
        self, records: Sequence[Mapping[str, Any]], messages: Sequence[EventMessage]
    ) -> None:
        reasons = [m.header(HEADER_DLQ_REASON) or "" for m in messages if m.topic == DEAD_LETTER]
        self.stats.events += len(messages)
        self.stats.dead_lettered += len(reasons)
        RECORDS.labels("published").inc(len(messages) - len(reasons))
        RECORDS.labels("dead_lettered").inc(len(reasons))
        count_dead_letters("bridge", reasons)
        newest = max((c for c in map(created_at_s, records) if c is not None), default=None)
        if newest is not None:
            self._newest_read_s = max(newest, self._newest_read_s or newest)

    def _checkpoint(
        self, shard_id: str, records: Sequence[Mapping[str, Any]], next_iterator: str | None
    ) -> None:
        closed = next_iterator is None
        position = self._iterators.position(shard_id)
        if records:
            position = str(records[-1]["dynamodb"]["SequenceNumber"])
        if records or closed:
            cid = self._checkpoint_id(shard_id)
            self._checkpoints.save(Checkpoint(cid, position, closed, self._now_ms()))
        self._iterators.advance(shard_id, position, next_iterator)
        if closed:
            self._finished.add(shard_id)
            log.info("shard finished", extra={"shard_id": shard_id, "sequence_number": position})

    def _checkpoint_id(self, shard_id: str) -> str:
        return checkpoint_id(self._bridge_id, self.stream_arn, shard_id)
