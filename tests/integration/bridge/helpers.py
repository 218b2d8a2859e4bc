"""Helpers for the bridge's integration tests: own tables, appends, a topic watcher."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition

from connectors.bridge_settings import BridgeSettings
from connectors.eventstore import NewEvent
from connectors.eventstore.port import EventStore
from connectors.settings import ZaikoSettings

REPO = Path(__file__).resolve().parents[3]
TOPIC = "inventory.events"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def bridge_settings(settings: ZaikoSettings, table_prefix: str, **overrides: Any) -> BridgeSettings:
    return BridgeSettings(
        kafka_bootstrap_servers=settings.kafka_bootstrap_servers,
        dynamodb_endpoint_url=settings.dynamodb_endpoint_url,
        aws_region=settings.aws_region,
        table_prefix=table_prefix,
        **{"bridge_id": unique("it-bridge-"), "poll_interval_s": 0.05, **overrides},
    )


def bridge_env(settings: BridgeSettings) -> dict[str, str]:
    """Return the environment that points ``python -m compose bridge`` at ``settings``."""
    return {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
        "AWS_REGION": settings.aws_region,
        "ZAIKO_TABLE_PREFIX": settings.table_prefix,
        "ZAIKO_BRIDGE_ID": settings.bridge_id,
        "ZAIKO_POLL_INTERVAL_S": str(settings.poll_interval_s),
        "ZAIKO_RECORDS_PER_READ": str(settings.records_per_read),
        "ZAIKO_INSTANCE_NAME": settings.instance_name,
        "ZAIKO_LEASE_TTL_S": str(settings.lease_ttl_s),
        "ZAIKO_LEASE_RENEW_S": str(settings.lease_renew_s),
        "ZAIKO_LEASE_RETRY_S": str(settings.lease_retry_s),
        "ZAIKO_CONFIG_FILE": "/nonexistent/zaiko.toml",
    }


def start_bridge(settings: BridgeSettings, log: Path, *args: str) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "compose", "bridge", *args],
            cwd=REPO,
            env=bridge_env(settings),
            stdout=out,
            stderr=out,
            start_new_session=True,
        )


def stop_process(proc: subprocess.Popen[bytes]) -> int:
    """Stop a process this test started: SIGTERM, then SIGKILL after a grace period."""
    if proc.poll() is None:
        proc.terminate()
        try:
            return proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
    return proc.wait(timeout=15)


def append_history(store: EventStore, aggregate_id: str, entries: int) -> int:
    """Append ``entries`` commands of one or two events each; return the last seq nr."""
    version = 0
    for k in range(entries):
        events = [
            NewEvent(
                unique("evt-"), "StockReceived_V1", f"{aggregate_id}:{version + i + 1}".encode(), 0
            )
            for i in range(1 + k % 2)
        ]
        version = store.append(
            aggregate_id, "inventory", version, events, unique("cmd-"), "corr"
        ).last_seq_nr
    return version


class EventWatcher:
    """Reads ``TOPIC`` from the beginning (no group), keeping the events of our aggregates."""

    def __init__(self, bootstrap_servers: str, key_prefix: str) -> None:
        self.key_prefix = key_prefix
        self._prefix = key_prefix.encode()
        self.seqs: dict[str, list[int]] = defaultdict(list)
        self.headers: dict[str, dict[str, bytes]] = {}
        self._consumer = Consumer(
            {
                "bootstrap.servers": bootstrap_servers,
                "group.id": unique("w-"),
                "enable.auto.commit": False,
                "session.timeout.ms": 6000,
            }
        )
        partitions = self._consumer.list_topics(TOPIC, timeout=10).topics[TOPIC].partitions
        self._consumer.assign([TopicPartition(TOPIC, p, OFFSET_BEGINNING) for p in partitions])

    def poll(self) -> None:
        for m in self._consumer.consume(1000, timeout=0.2):
            if m.error() or not (m.key() or b"").startswith(self._prefix):
                continue
            key, headers = m.key().decode(), dict(m.headers() or [])
            seq = int(headers["zaiko-sequence-nr"])
            assert m.value() == f"{key}:{seq}".encode(), "the payload must arrive unchanged"
            self.seqs[key].append(seq)
            self.headers[key] = headers

    def wait_for(self, condition: Callable[[], bool], timeout_s: float, what: str) -> None:
        deadline = time.monotonic() + timeout_s
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
            self.poll()

    def count(self) -> int:
        return sum(len(v) for v in self.seqs.values())

    def has_all(self, expected: dict[str, int]) -> bool:
        return all(set(range(1, n + 1)) <= set(self.seqs.get(a, ())) for a, n in expected.items())

    def close(self) -> None:
        self._consumer.close()


def first_occurrences(seqs: list[int]) -> list[int]:
    seen: set[int] = set()
    return [s for s in seqs if not (s in seen or seen.add(s))]  # type: ignore[func-returns-value]
