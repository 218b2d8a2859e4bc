"""The stream reader: lineage, iterator expiry, trimming and checkpoint-after-ack."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from connectors.bridge import InMemoryCheckpointStore, PublishError, StreamReader
from connectors.bridge.ports import Checkpoint, checkpoint_id
from tests.unit.bridge.fakes import (
    ARN,
    FakeShard,
    FakeStreams,
    LoggingCheckpoints,
    RecordingPublisher,
    entry,
    error,
    record,
)


def records(aggregate_id: str, first: int, count: int) -> list[dict[str, Any]]:
    return [record(entry(aggregate_id, seq)) for seq in range(first, first + count)]


def reader_on(
    streams: FakeStreams, publisher: Any, checkpoints: Any, limit: int = 2
) -> StreamReader:
    reader = StreamReader(
        streams, ARN, publisher, checkpoints, bridge_id="b1", records_per_read=limit
    )
    reader.discover()
    return reader


def run(reader: StreamReader, polls: int = 20) -> None:
    for _ in range(polls):
        reader.poll()


def split_stream() -> FakeStreams:
    # Children listed before their parent, one shard per DescribeStream page.
    return FakeStreams(
        shards=[
            FakeShard("shard-2a", records("INV-A", 4, 3), parent_id="shard-1"),
            FakeShard("shard-2b", records("INV-B", 1, 2), parent_id="shard-1"),
            FakeShard("shard-1", records("INV-A", 1, 3), closed=True),
        ],
        page_size=1,
    )


def test_a_parent_shard_is_drained_before_either_child_is_read() -> None:
    streams, publisher = split_stream(), RecordingPublisher()
    reader = reader_on(streams, publisher, InMemoryCheckpointStore())

    run(reader)

    shard_order = [shard for shard, _ in streams.reads]
    last_parent_read = max(i for i, s in enumerate(shard_order) if s == "shard-1")
    first_child_read = min(i for i, s in enumerate(shard_order) if s != "shard-1")
    assert last_parent_read < first_child_read
    assert publisher.seqs("INV-A") == [("INV-A", n) for n in range(1, 7)]
    assert publisher.seqs("INV-B") == [("INV-B", 1), ("INV-B", 2)]
    assert reader.finished_shards == {"shard-1"}


def test_a_finished_parent_is_not_read_again_after_a_restart() -> None:
    streams, checkpoints = split_stream(), InMemoryCheckpointStore()
    run(reader_on(streams, RecordingPublisher(), checkpoints))
    parent = checkpoints.load(checkpoint_id("b1", ARN, "shard-1"))
    assert parent is not None and parent.closed

    streams.reads.clear()
    again = RecordingPublisher()
    run(reader_on(streams, again, checkpoints))

    assert "shard-1" not in {shard for shard, _ in streams.reads}
    assert again.messages == []


def test_an_expired_iterator_resumes_after_the_checkpoint_without_loss_or_duplicates() -> None:
    streams = FakeStreams([FakeShard("shard-1", records("INV-A", 1, 5))])
    publisher = RecordingPublisher()
    reader = reader_on(streams, publisher, InMemoryCheckpointStore(), limit=2)
    reader.poll()
    second_record = streams.shards[0].records[1]["dynamodb"]["SequenceNumber"]

    streams.expire_all()
    run(reader)

    assert publisher.seqs() == [("INV-A", n) for n in range(1, 6)]
    assert reader.stats.expired_iterators == 1
    assert streams.iterator_requests[-1]["ShardIteratorType"] == "AFTER_SEQUENCE_NUMBER"
    assert streams.iterator_requests[-1]["SequenceNumber"] == second_record


def test_a_checkpoint_older_than_the_trim_horizon_restarts_at_trim_horizon(
    caplog: pytest.LogCaptureFixture,
) -> None:
    shard = FakeShard("shard-1", records("INV-A", 1, 6), trim=3)
    checkpoints = InMemoryCheckpointStore()
    old = shard.records[0]["dynamodb"]["SequenceNumber"]
    checkpoints.save(Checkpoint(checkpoint_id("b1", ARN, "shard-1"), old, False, 0))
    publisher = RecordingPublisher()

    with caplog.at_level(logging.WARNING, logger="zaiko.bridge"):
        reader = reader_on(FakeStreams([shard]), publisher, checkpoints)
        run(reader)

    assert publisher.seqs() == [("INV-A", n) for n in (4, 5, 6)]
    assert reader.stats.trim_restarts == 1
    warning = next(r for r in caplog.records if "trim horizon" in r.getMessage())
    assert warning.checkpoint_sequence_number == old  # type: ignore[attr-defined]
    assert warning.trim_restarts == 1  # type: ignore[attr-defined]


def test_reading_trimmed_data_restarts_the_shard_at_trim_horizon() -> None:
    shard = FakeShard("shard-1", records("INV-A", 1, 6))
    publisher = RecordingPublisher()
    reader = reader_on(FakeStreams([shard]), publisher, InMemoryCheckpointStore(), limit=2)
    reader.poll()  # reads 1-2; its next iterator points at record 3

    shard.trim = 4  # records 3-4 age out before the next read
    run(reader)

    assert publisher.seqs() == [("INV-A", n) for n in (1, 2, 5, 6)]
    assert reader.stats.trim_restarts == 1


def test_the_checkpoint_moves_only_after_the_publisher_acknowledged() -> None:
    log: list[Any] = []
    checkpoints = LoggingCheckpoints(log)
    streams = FakeStreams([FakeShard("shard-1", records("INV-A", 1, 6))])
    failing = RecordingPublisher(log, fail_on=[2])
    reader = reader_on(streams, failing, checkpoints, limit=2)

    reader.poll()
    with pytest.raises(PublishError):
        reader.poll()

    cid = checkpoint_id("b1", ARN, "shard-1")
    assert checkpoints.saved[cid].sequence_number == record_seq(streams, 1)
    assert [kind for kind, _ in log] == ["acked", "checkpoint"]

    # The next run re-reads the batch that was never acknowledged.
    publisher = RecordingPublisher(log)
    run(reader_on(streams, publisher, checkpoints, limit=2))
    assert publisher.seqs() == [("INV-A", n) for n in range(3, 7)]
    assert checkpoints.saved[cid].sequence_number == record_seq(streams, 5)
    assert all(log[i - 1][0] == "acked" for i, (kind, _) in enumerate(log) if kind == "checkpoint")


def test_a_failed_publish_is_retried_by_the_same_reader_from_the_checkpoint() -> None:
    streams = FakeStreams([FakeShard("shard-1", records("INV-A", 1, 4))])
    publisher = RecordingPublisher(fail_on=[1])
    reader = reader_on(streams, publisher, InMemoryCheckpointStore(), limit=2)

    with pytest.raises(PublishError):
        reader.poll()
    run(reader)

    assert publisher.seqs() == [("INV-A", n) for n in range(1, 5)]


def test_a_shard_gone_from_the_stream_is_skipped() -> None:
    streams = FakeStreams([FakeShard("shard-1", records("INV-A", 1, 2))])
    reader = reader_on(streams, RecordingPublisher(), InMemoryCheckpointStore())
    streams.shards.clear()

    def gone(**kwargs: Any) -> Any:
        raise error("ResourceNotFoundException", "GetShardIterator")

    streams.get_shard_iterator = gone  # type: ignore[method-assign]
    assert reader.poll() == 0
    assert reader.finished_shards == {"shard-1"}


def record_seq(streams: FakeStreams, index: int) -> str:
    return str(streams.shards[0].records[index]["dynamodb"]["SequenceNumber"])


def test_shards_that_appear_later_are_read_once_discovered() -> None:
    parent = FakeShard("shard-1", records("INV-A", 1, 2))
    streams, publisher = FakeStreams([parent]), RecordingPublisher()
    reader = reader_on(streams, publisher, InMemoryCheckpointStore())
    run(reader)

    parent.closed = True  # the table's partition split: the parent closes, a child opens
    streams.shards.append(FakeShard("shard-2", records("INV-A", 3, 2), parent_id="shard-1"))
    assert reader.discover() == ["shard-2"]
    run(reader)

    assert publisher.seqs() == [("INV-A", n) for n in range(1, 5)]
    assert reader.finished_shards == {"shard-1"}
