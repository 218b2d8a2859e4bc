"""Two bridges on one stream: one publishes, the other takes over when the first stops."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import boto3
import pytest
from moto import mock_aws

from connectors.bridge.checkpoints import read_checkpoint
from connectors.bridge.lease import DynamoDBLease
from connectors.bridge.ports import EventMessage, checkpoint_id
from connectors.bridge.service import Bridge, bootstrap
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.tables import CHECKPOINTS
from tests.unit.bridge.fakes import ARN, FakeShard, FakeStreams, RecordingPublisher, entry, record

TABLE = CHECKPOINTS.name("t-")
TTL_S = 0.8


class Journal:
    """moto's DynamoDB, but the journal's stream is the fake one."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def describe_table(self, TableName: str) -> Any:
        return {"Table": {"TableName": TableName, "LatestStreamArn": ARN}}


@pytest.fixture
def dynamodb() -> Iterator[Journal]:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        client.create_table(**CHECKPOINTS.create_kwargs("t-"))
        yield Journal(client)


class PausingPublisher(RecordingPublisher):
    """Publishes, but blocks in batch ``pause_at`` until told to go on (a SIGSTOP'd bridge)."""

    def __init__(self, pause_at: int) -> None:
        super().__init__()
        self.pause_at, self.paused, self.go_on = pause_at, threading.Event(), threading.Event()

    def publish(self, messages: Sequence[EventMessage]) -> None:
        if self._batches + 1 == self.pause_at:
            self.paused.set()
            self.go_on.wait(30)
        super().publish(messages)


def settings(name: str) -> BridgeSettings:
    return BridgeSettings(
        bridge_id="b",
        table_prefix="t-",
        instance_name=name,
        poll_interval_s=0.01,
        records_per_read=5,
        discover_interval_s=0.2,
        lease_ttl_s=TTL_S,
        lease_renew_s=TTL_S / 4,
        lease_retry_s=0.05,
    )


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def run(bridge: Bridge) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=bridge.run, args=(stop,), daemon=True)
    thread.start()
    return thread, stop


def test_a_paused_holder_loses_the_lease_and_resumed_cannot_move_the_checkpoint_back(
    dynamodb: Journal,
) -> None:
    shard = FakeShard("shard-1", [record(entry("INV-A", n)) for n in range(1, 41)])
    streams = FakeStreams([shard])
    frozen = [0.0]  # the paused bridge's clock: it does not notice the time it was stopped
    a_pub, b_pub = PausingPublisher(pause_at=3), RecordingPublisher()
    a_lease = DynamoDBLease(dynamodb, TABLE, "b", "a", TTL_S, monotonic=lambda: frozen[0])
    a = bootstrap(settings("a"), dynamodb=dynamodb, streams=streams, publisher=a_pub,
                  lease=a_lease)  # fmt: skip
    b = bootstrap(settings("b"), dynamodb=dynamodb, streams=streams, publisher=b_pub)
    a_thread, a_stop = run(a)
    wait_for(a_pub.paused.is_set, "the holder to publish two batches and pause in the third")
    a_lease.renew = lambda: True  # type: ignore[method-assign]  # paused: it renews no more
    b_thread, b_stop = run(b)
    try:
        wait_for(lambda: len(b_pub.messages) >= 30, "the standby to take over after expiry")
        cid, last = checkpoint_id("b", ARN, "shard-1"), shard.records[-1]["dynamodb"]
        wait_for(lambda: getattr(read_checkpoint(dynamodb, TABLE, cid), "sequence_number", None)
                 == last["SequenceNumber"], "the last checkpoint")  # fmt: skip
        a_pub.go_on.set()  # resumed, the former holder finishes its batch …
        wait_for(lambda: not a.lease.held(), "the former holder to learn it lost the lease")
        saved = read_checkpoint(dynamodb, TABLE, cid)
        assert saved is not None  # … but its checkpoint (batch 3) did not overwrite batch 8
        assert saved.sequence_number == last["SequenceNumber"]
    finally:
        a_stop.set(), b_stop.set()
        a_pub.go_on.set()
        a_thread.join(10), b_thread.join(10)
    seqs = [s for _, s in b_pub.seqs()]
    assert seqs == list(range(11, 41)), "the takeover resumes after the last checkpoint (batch 2)"
    assert [s for _, s in a_pub.seqs()] == list(range(1, 16))
