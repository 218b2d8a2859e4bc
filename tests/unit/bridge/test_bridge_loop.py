"""The bridge's run loop: it recovers from a failing round and stops when told to."""

from __future__ import annotations

import threading
import time
from typing import Any

from connectors.bridge import InMemoryCheckpointStore
from connectors.bridge.service import bootstrap
from connectors.bridge_settings import BridgeSettings
from tests.unit.bridge.fakes import ARN, FakeShard, FakeStreams, RecordingPublisher, entry, record


class FakeDynamoDB:
    def describe_table(self, TableName: str) -> Any:
        return {"Table": {"TableName": TableName, "LatestStreamArn": ARN}}


def test_the_bridge_survives_a_failed_publish_and_stops_on_request() -> None:
    shard = FakeShard("shard-1", [record(entry("INV-A", n)) for n in range(1, 6)])
    publisher = RecordingPublisher(fail_on=[1])
    settings = BridgeSettings(bridge_id="b1", poll_interval_s=0.01, records_per_read=2)
    bridge = bootstrap(
        settings,
        dynamodb=FakeDynamoDB(),
        streams=FakeStreams([shard]),
        publisher=publisher,
        checkpoints=InMemoryCheckpointStore(),
    )
    stop = threading.Event()
    thread = threading.Thread(target=bridge.run, args=(stop,))
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while len(publisher.messages) < 5 and time.monotonic() < deadline:
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join(timeout=5)

    assert not thread.is_alive()
    assert publisher.seqs() == [("INV-A", n) for n in range(1, 6)]
