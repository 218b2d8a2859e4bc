"""Shards of a DynamoDB Stream and the order they may be read in (parents first)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Shard:
    """A shard as DescribeStream lists it; ``closed`` once it has an ending sequence number."""

    shard_id: str
    parent_id: str | None
    closed: bool


def describe_shards(streams: Any, stream_arn: str) -> list[Shard]:
    """Return every shard of the stream, following DescribeStream's pagination."""
    shards: list[Shard] = []
    kwargs: dict[str, Any] = {"StreamArn": stream_arn}
    while True:
        description = streams.describe_stream(**kwargs)["StreamDescription"]
        for raw in description.get("Shards", []):
            ending = raw.get("SequenceNumberRange", {}).get("EndingSequenceNumber")
            shards.append(Shard(raw["ShardId"], raw.get("ParentShardId"), ending is not None))
        last = description.get("LastEvaluatedShardId")
        if not last:
            return shards
        kwargs["ExclusiveStartShardId"] = last


def readable_shards(shards: Mapping[str, Shard], finished: Collection[str]) -> list[str]:
    """Return the unfinished shards whose parent is finished (or trimmed away).

    A parent missing from the description has aged out of the stream (24 h), so
    there is nothing left to read from it and its children may start.
    """

    ready = [
        shard_id
        for shard_id, shard in shards.items()
        if shard_id not in finished
        and (
            shard.parent_id is None or shard.parent_id not in shards or shard.parent_id in finished
        )
    ]
    return sorted(ready)
