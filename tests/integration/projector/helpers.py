"""Run ``python -m compose projector`` against the test stack; produce and observe topics."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg
from confluent_kafka import Consumer, Producer, TopicPartition

from connectors.settings import ZaikoSettings
from domain.messages import aggregate_type_of
from schemas import EventEnvelope, encode, event_topic_for

REPO = Path(__file__).resolve().parents[3]
_INHERITED = ("ZAIKO_", "KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL")


class ProjectorProcess:
    """One projector (its own consumer group and cache prefix); start, wait ready, stop by pid."""

    def __init__(self, settings: ZaikoSettings, run_dir: Path, threshold: int = 10) -> None:
        self.projector_id = f"zaiko-test-projections-{uuid.uuid4().hex[:8]}"
        self.cache_prefix = f"zaiko-test-{uuid.uuid4().hex[:8]}"
        self.ready_file = run_dir / f"{self.projector_id}.ready"
        self.log_file = run_dir / f"{self.projector_id}.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED)}
        self.env.update({
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
            "AWS_REGION": settings.aws_region,
            "ZAIKO_TABLE_PREFIX": settings.table_prefix,
            "ZAIKO_TOPIC_PARTITIONS": str(settings.topic_partitions),
            "DATABASE_URL": settings.effective_database_url,
            "REDIS_URL": settings.effective_redis_url,
            "ZAIKO_PROJECTOR_ID": self.projector_id,
            "ZAIKO_CACHE_PREFIX": self.cache_prefix,
            "ZAIKO_LOW_STOCK_DEFAULT_THRESHOLD": str(threshold),
            "ZAIKO_READY_FILE": str(self.ready_file),
            "ZAIKO_LOG_FORMAT": "text",
            "ZAIKO_CONFIG_FILE": str(run_dir / "no-such-zaiko.toml"),
        })  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout_s: float = 60.0) -> ProjectorProcess:
        """Start the projector and wait until its agents have partitions."""
        self.ready_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "compose", "projector"],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + ready_timeout_s
        while not self.ready_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"projector not ready; log:\n{self.log_tail()}")
            time.sleep(0.1)
        return self

    def stop(self, grace_s: float = 15.0) -> int | None:
        """Stop it with SIGTERM (SIGKILL after ``grace_s``); return the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        return self.proc.returncode

    def cli(self, *args: str, timeout_s: float = 120.0) -> subprocess.CompletedProcess[str]:
        """Run ``zaiko <args>`` with this projector's settings; return the finished process."""
        argv = [sys.executable, "-m", "compose", *args]
        return subprocess.run(argv, cwd=REPO, env=self.env, capture_output=True, text=True,
                              timeout=timeout_s, check=False)  # fmt: skip

    def log_text(self) -> str:
        return self.log_file.read_text(errors="replace") if self.log_file.exists() else ""

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")
        time.sleep(0.1)


def produce_events(
    bootstrap: str,
    envelopes: Iterable[EventEnvelope[Any]],
    headers: list[tuple[str, bytes]] | None = None,
) -> dict[tuple[str, int], int]:
    """Produce events keyed by aggregate id; return the last offset per partition.

    No ``zaiko-event-type`` header (unless ``headers`` says so): the command worker's
    transfer agent then ignores these hand-made events instead of trying to settle their
    transfers.
    """
    last: dict[tuple[str, int], int] = {}

    def delivered(err: Any, message: Any) -> None:
        assert err is None, err
        tp = (message.topic(), message.partition())
        last[tp] = max(last.get(tp, -1), message.offset())

    out = Producer({"bootstrap.servers": bootstrap, "acks": "all", "linger.ms": 5,
                    "partitioner": "murmur2_random"})  # fmt: skip
    for envelope in envelopes:
        topic = event_topic_for(aggregate_type_of(envelope.event))
        out.produce(topic, key=envelope.meta.aggregate_id.encode(), value=encode(envelope),
                    headers=headers, on_delivery=delivered)  # fmt: skip
        out.poll(0)
    assert out.flush(30) == 0, "events not acknowledged"
    return last


def committed_past(bootstrap: str, group: str, last: dict[tuple[str, int], int]) -> bool:
    """Return True when ``group`` has committed every partition beyond ``last``."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group,
                         "enable.auto.commit": False})  # fmt: skip
    try:
        tps = [TopicPartition(topic, partition) for topic, partition in last]
        committed = consumer.committed(tps, timeout=10)
    finally:
        consumer.close()
    return all(tp.offset > last[(tp.topic, tp.partition)] for tp in committed)


def positions(url: str, ids: Iterable[str]) -> dict[str, int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT 集約ID, 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = ANY(%s)", (list(ids),)
        ).fetchall()
    return {row[0]: row[1] for row in rows}


def last_seqs(envelopes: Iterable[EventEnvelope[Any]]) -> dict[str, int]:
    result: dict[str, int] = {}
    for e in envelopes:
        result[e.meta.aggregate_id] = max(result.get(e.meta.aggregate_id, 0), e.meta.sequence_nr)
    return result


def projected(url: str, expected: dict[str, int]) -> Callable[[], bool]:
    """Return a condition: every aggregate's 投影位置 has reached its expected number."""
    return lambda: positions(url, expected) == expected
