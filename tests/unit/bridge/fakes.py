"""A stubbed DynamoDB Streams client and recording fakes for the bridge's unit tests."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from connectors.bridge.ports import Checkpoint, EventMessage, PublishError
from connectors.eventstore.items import entry_to_item
from connectors.eventstore.port import JournalEntry, StoredEvent

ARN = "arn:aws:dynamodb:ap-northeast-1:123456789012:table/t-journal/stream/2026-01-01T00:00:00"
_seq = itertools.count(100_000_000_000_000_000_000)


def entry(
    aggregate_id: str, first_seq: int, n_events: int = 1, kind: str = "inventory"
) -> JournalEntry:
    events = tuple(
        StoredEvent(
            aggregate_id,
            s,
            f"evt-{aggregate_id}-{s}",
            "StockReceived_V1",
            f"payload-{s}".encode(),
            1_700_000_000_000 + s,
            f"cmd-{first_seq}",
        )
        for s in range(first_seq, first_seq + n_events)
    )
    return JournalEntry(
        aggregate_id,
        kind,
        first_seq,
        first_seq + n_events - 1,
        f"cmd-{first_seq}",
        f"corr-{first_seq}",
        events,
    )


def record(e: JournalEntry, event_name: str = "INSERT") -> dict[str, Any]:
    """Return a stream record as boto3's dynamodbstreams client returns it."""
    return {
        "eventName": event_name,
        "dynamodb": {
            "SequenceNumber": str(next(_seq)),
            "NewImage": entry_to_item(e, written_at_ms=0),
        },
    }


def error(code: str, op: str = "GetRecords") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": code}}, op)


@dataclass
class FakeShard:
    shard_id: str
    records: list[dict[str, Any]]
    parent_id: str | None = None
    closed: bool = False
    trim: int = 0  # index of the first record still in the stream


@dataclass
class FakeStreams:
    """DynamoDB Streams semantics on lists: lineage, closed shards, expiry, trimming."""

    shards: list[FakeShard]
    page_size: int = 1
    iterators: dict[str, tuple[str, int]] = field(default_factory=dict)
    expired: set[str] = field(default_factory=set)
    reads: list[tuple[str, int]] = field(default_factory=list)  # (shard id, first index)
    iterator_requests: list[dict[str, Any]] = field(default_factory=list)

    def shard(self, shard_id: str) -> FakeShard:
        return next(s for s in self.shards if s.shard_id == shard_id)

    def describe_stream(self, StreamArn: str, ExclusiveStartShardId: str | None = None) -> Any:
        ids = [s.shard_id for s in self.shards]
        start = ids.index(ExclusiveStartShardId) + 1 if ExclusiveStartShardId else 0
        page = self.shards[start : start + self.page_size]
        shards = []
        for s in page:
            rng = {"StartingSequenceNumber": "1"}
            if s.closed:
                rng["EndingSequenceNumber"] = "9"
            shards.append(
                {"ShardId": s.shard_id, "SequenceNumberRange": rng}
                | ({"ParentShardId": s.parent_id} if s.parent_id else {})
            )
        description: dict[str, Any] = {"StreamArn": StreamArn, "Shards": shards}
        if start + self.page_size < len(self.shards):
            description["LastEvaluatedShardId"] = page[-1].shard_id
        return {"StreamDescription": description}

    def get_shard_iterator(self, **kwargs: Any) -> Any:
        self.iterator_requests.append(kwargs)
        shard = self.shard(kwargs["ShardId"])
        if kwargs["ShardIteratorType"] == "TRIM_HORIZON":
            index = shard.trim
        else:
            seqs = [r["dynamodb"]["SequenceNumber"] for r in shard.records]
            index = seqs.index(kwargs["SequenceNumber"]) + 1
            if index - 1 < shard.trim:
                raise error("TrimmedDataAccessException", "GetShardIterator")
        return {"ShardIterator": self._iterator(shard.shard_id, index)}

    def _iterator(self, shard_id: str, index: int) -> str:
        name = f"it-{len(self.iterators)}"
        self.iterators[name] = (shard_id, index)
        return name

    def get_records(self, ShardIterator: str, Limit: int) -> Any:
        if ShardIterator in self.expired:
            raise error("ExpiredIteratorException")
        shard_id, index = self.iterators[ShardIterator]
        shard = self.shard(shard_id)
        if index < shard.trim:
            raise error("TrimmedDataAccessException")
        self.reads.append((shard_id, index))
        batch = shard.records[index : index + Limit]
        end = index + len(batch)
        response: dict[str, Any] = {"Records": batch}
        if not (shard.closed and end >= len(shard.records)):
            response["NextShardIterator"] = self._iterator(shard_id, end)
        return response

    def expire_all(self) -> None:
        self.expired.update(self.iterators)


class RecordingPublisher:
    """Acknowledges everything; ``fail_on`` batch numbers (1-based) raise instead."""

    def __init__(self, log: list[Any] | None = None, fail_on: Sequence[int] = ()) -> None:
        self.messages: list[EventMessage] = []
        self.log = log if log is not None else []
        self._fail_on = set(fail_on)
        self._batches = 0

    def publish(self, messages: Sequence[EventMessage]) -> None:
        self._batches += 1
        if self._batches in self._fail_on:
            raise PublishError("broker unavailable")
        self.messages.extend(messages)
        self.log.append(("acked", [m.header("zaiko-sequence-nr") for m in messages]))

    def close(self) -> None:
        pass

    def seqs(self, aggregate_id: str | None = None) -> list[tuple[str, int]]:
        return [
            (m.key.decode(), int(m.header("zaiko-sequence-nr") or 0))
            for m in self.messages
            if aggregate_id is None or m.key.decode() == aggregate_id
        ]


class LoggingCheckpoints:
    """In-memory checkpoints that note each save in a log shared with the publisher."""

    def __init__(self, log: list[Any]) -> None:
        self.saved: dict[str, Checkpoint] = {}
        self.log = log

    def load(self, checkpoint_id: str) -> Checkpoint | None:
        return self.saved.get(checkpoint_id)

    def save(self, checkpoint: Checkpoint) -> None:
        self.saved[checkpoint.checkpoint_id] = checkpoint
        self.log.append(("checkpoint", checkpoint.sequence_number))
