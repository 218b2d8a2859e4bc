"""Two bridge processes on one journal: one holds the lease, the other stands by and takes over.

The holder is paused (SIGSTOP) and later killed (SIGKILL) while entries are written;
every event still reaches its topic in order, no checkpoint ever moves back, and each
takeover happens within the lease's expiry.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest

from connectors.bridge.checkpoints import read_checkpoint
from connectors.bridge.lease_item import LeaseView, read_lease
from connectors.bridge.lineage import describe_shards
from connectors.bridge.ports import checkpoint_id
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import CHECKPOINTS, JOURNAL
from connectors.eventstore.wiring import build_stores
from connectors.settings import ZaikoSettings
from tests.integration.bridge.helpers import (
    EventWatcher,
    append_history,
    bridge_settings,
    first_occurrences,
    start_bridge,
    stop_process,
)

pytestmark = pytest.mark.integration
TTL_S, RETRY_S = 4.0, 0.5
# A takeover needs the lease to expire (at most TTL_S after the holder's last renewal),
# then the standby's next try (every RETRY_S) and one GetItem and PutItem.
TAKEOVER_S = TTL_S + RETRY_S + 2.0


_FREE = LeaseView(None, 0, 0)


class CheckpointWatch:
    """Reads every checkpoint of the bridges every 50 ms and notes each one seen."""

    def __init__(self, settings: ZaikoSettings, prefix: str, bridge_id: str) -> None:
        self._client = client = dynamodb_client(settings)
        self._table = CHECKPOINTS.name(prefix)
        arn = client.describe_table(TableName=JOURNAL.name(prefix))["Table"]["LatestStreamArn"]
        shards = describe_shards(dynamodb_client(settings, service="dynamodbstreams"), arn)
        self._ids = [checkpoint_id(bridge_id, arn, s.shard_id) for s in shards]
        self.seen: dict[str, list[int]] = defaultdict(list)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            for cid in self._ids:
                saved = read_checkpoint(self._client, self._table, cid)
                if saved is not None and saved.sequence_number is not None:
                    self.seen[cid].append(int(saved.sequence_number))

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> float:
    """Wait until ``condition`` holds; return how long it took."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > timeout_s:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_standby_takes_over_from_a_paused_then_a_killed_holder_without_loss_or_regression(
    settings: ZaikoSettings, prefix: str, watcher: EventWatcher, tmp_path: Path
) -> None:
    client = dynamodb_client(settings)
    store = build_stores(client, prefix).events
    table = CHECKPOINTS.name(prefix)
    base = bridge_settings(settings, prefix, records_per_read=10, lease_ttl_s=TTL_S,
                           lease_renew_s=1.0, lease_retry_s=RETRY_S)  # fmt: skip

    def config(name: str) -> BridgeSettings:
        return base.model_copy(update={"instance_name": name})

    def lease() -> LeaseView:
        view = read_lease(client, table, base.bridge_id)
        assert view is not None
        return view

    def holder_is(name: str) -> Callable[[], bool]:
        return lambda: (lease().holder or "").startswith(f"{name}@")

    expected: dict[str, int] = {}
    abort = threading.Event()

    def append_all() -> None:
        for n in range(30):  # 30 aggregates x 10 entries = 300 entries, ~450 events
            if abort.is_set():
                return
            agg = f"{watcher.key_prefix}Z{n:02d}"
            expected[agg] = append_history(store, agg, 10)
            abort.wait(0.2)  # pace the load so the faults land while it is written

    a = start_bridge(config("a"), tmp_path / "a.log")
    b: subprocess.Popen[bytes] | None = None
    appender = threading.Thread(target=append_all, daemon=True)
    checkpoints: CheckpointWatch | None = None
    try:
        wait_for(lambda: (read_lease(client, table, base.bridge_id) or _FREE).holder is not None
                 and holder_is("a")(), 30, "bridge a to take the lease")  # fmt: skip
        b = start_bridge(config("b"), tmp_path / "b.log")
        wait_for(lambda: any(s.startswith("b@") for s in lease().standbys), 30,
                 "bridge b to stand by")  # fmt: skip
        first_token = lease().token
        checkpoints = CheckpointWatch(settings, prefix, base.bridge_id)
        appender.start()
        watcher.wait_for(lambda: watcher.count() >= 60, 30, "bridge a to publish")
        assert watcher.count() < 450 and b.poll() is None

        os.kill(a.pid, signal.SIGSTOP)  # paused: holds the lease, renews no more
        paused_takeover = wait_for(holder_is("b"), TAKEOVER_S, "bridge b to take over")
        second_token = lease().token
        floor = watcher.count() + 60
        watcher.wait_for(lambda: watcher.count() >= floor, 30, "bridge b to publish")
        os.kill(a.pid, signal.SIGCONT)  # resumed: it must find out and stand by
        wait_for(lambda: "bridge lease lost" in (tmp_path / "a.log").read_text(), 30,
                 "bridge a to notice it lost the lease")  # fmt: skip
        wait_for(lambda: any(s.startswith("a@") for s in lease().standbys), 30,
                 "bridge a to stand by")  # fmt: skip

        b.kill()
        b.wait(timeout=10)
        killed_takeover = wait_for(holder_is("a"), TAKEOVER_S, "bridge a to take over again")
        third_token = lease().token
        appender.join(timeout=90)
        assert not appender.is_alive() and len(expected) == 30
        watcher.wait_for(lambda: watcher.has_all(expected), 60, "every event after the faults")
    finally:
        abort.set()
        if checkpoints is not None:
            checkpoints.close()
        with_sigcont(a)
        rc = stop_process(a)
        if b is not None:
            stop_process(b)
    assert rc == 0, "SIGTERM must stop the bridge cleanly"

    for agg, last in expected.items():
        assert first_occurrences(watcher.seqs[agg]) == list(range(1, last + 1)), agg
    assert first_token < second_token < third_token
    assert checkpoints.seen, "no checkpoint was ever read"
    for cid, seen in checkpoints.seen.items():
        assert seen == sorted(seen), f"checkpoint {cid} moved back"
    print(f"takeover after SIGSTOP {paused_takeover:.2f} s, after SIGKILL {killed_takeover:.2f} s"
          f" (lease {TTL_S} s); {watcher.count()} events published for"
          f" {sum(expected.values())}")  # fmt: skip


def with_sigcont(proc: subprocess.Popen[bytes]) -> None:
    """Let a stopped process run again, so that it can be stopped for good."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
