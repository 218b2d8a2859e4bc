"""Shard iterators from checkpointed positions, recovering from expiry and trimming."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

from botocore.exceptions import ClientError

log = logging.getLogger("zaiko.bridge")
_HEAL_HINT = "consumers heal such gaps from the event store (or run `zaiko bridge --republish`)"
_DRAINED: dict[str, Any] = {"Records": []}  # no NextShardIterator: closed and read to its end


@dataclass
class ReaderStats:
    """Counters a reader keeps for logs and tests."""

    records: int = 0
    events: int = 0
    expired_iterators: int = 0
    trim_restarts: int = 0
    dead_lettered: int = 0  # messages sent to dead-letter (unreadable items, unknown types)


class _ShardGoneError(Exception):
    """The stream no longer lists the shard (it aged out): nothing is left to read."""


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


class ShardIterators:
    """Per shard: the last checkpointed sequence number and the iterator to read on with."""

    def __init__(self, streams: Any, stream_arn: str, limit: int, stats: ReaderStats) -> None:
        self._streams = streams
        self._arn = stream_arn
        self._limit = limit
        self._stats = stats
        self._positions: dict[str, str | None] = {}
        self._iterators: dict[str, str] = {}

    def position(self, shard_id: str) -> str | None:
        """Return the last checkpointed sequence number of a shard (None: its start)."""
        return self._positions.get(shard_id)

    def advance(self, shard_id: str, position: str | None, next_iterator: str | None) -> None:
        """Record a checkpointed position and the iterator that continues after it."""
        self._positions[shard_id] = position
        if next_iterator is None:
            self._iterators.pop(shard_id, None)
        else:
            self._iterators[shard_id] = next_iterator

    def reset(self, shard_id: str) -> None:
        """Forget the iterator: the next read starts right after the checkpoint again."""
        self._iterators.pop(shard_id, None)

    def get_records(self, shard_id: str) -> dict[str, Any] | None:
        """Return the next GetRecords response of a shard; None when the shard is gone."""
        for _ in range(3):
            try:
                iterator = self._iterators.get(shard_id) or self._acquire(shard_id)
            except _ShardGoneError:
                return None
            if iterator is None:
                return dict(_DRAINED)
            try:
                response: dict[str, Any] = self._streams.get_records(
                    ShardIterator=iterator, Limit=self._limit
                )
                return response
            except ClientError as e:
                self.reset(shard_id)
                if _code(e) == "ExpiredIteratorException":
                    self._stats.expired_iterators += 1
                    log.info(
                        "shard iterator expired; resuming after the checkpoint",
                        extra={"shard_id": shard_id, **asdict(self._stats)},
                    )
                elif _code(e) == "TrimmedDataAccessException":
                    self._restart_at_trim_horizon(shard_id)
                else:
                    raise
        raise RuntimeError(f"no usable iterator for shard {shard_id} after 3 attempts")

    def _acquire(self, shard_id: str) -> str | None:
        position = self._positions.get(shard_id)
        kwargs: dict[str, Any] = {"StreamArn": self._arn, "ShardId": shard_id}
        if position is None:
            kwargs["ShardIteratorType"] = "TRIM_HORIZON"
        else:
            kwargs.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=position)
        try:
            return self._streams.get_shard_iterator(**kwargs).get("ShardIterator")  # type: ignore[no-any-return]
        except ClientError as e:
            if _code(e) == "TrimmedDataAccessException" and position is not None:
                self._restart_at_trim_horizon(shard_id)
                return self._acquire(shard_id)
            if _code(e) != "ResourceNotFoundException":
                raise
        log.warning("shard is gone from the stream; skipping it", extra={"shard_id": shard_id})
        raise _ShardGoneError(shard_id)

    def _restart_at_trim_horizon(self, shard_id: str) -> None:
        self._stats.trim_restarts += 1
        log.warning(
            "checkpoint is older than the stream's trim horizon; restarting the shard at"
            f" TRIM_HORIZON. Events written in between may be lost from the stream: {_HEAL_HINT}",
            extra={
                "shard_id": shard_id,
                "checkpoint_sequence_number": self._positions.get(shard_id),
                **asdict(self._stats),
            },
        )
        self._positions[shard_id] = None
