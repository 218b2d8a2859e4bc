"""``zaiko bench workers``: one worker, then two in one consumer group: partitions and rate.

Needs the infrastructure only (``zaiko stack up``, no services: a worker of the stack
would answer the same commands in a group of its own). Measures the raw conditional
PutItem rate first, starts one worker (a fresh app id), sets up ``inventories``
stocked inventories and floods ``commands`` receipts over them; then starts a second
worker with the same app id, waits until the two hold disjoint, non-empty sets of
``inventory.commands`` partitions that cover the topic, warms the second one's cache
(one receipt per inventory) and floods again. Each flood is timed produced→outcome;
each worker's answers are its ``zaiko_commands_total`` before and after, its
partitions the consumer-lag series on its /metrics. CPU seconds of each worker and of
the embedded DynamoDB (when it runs on this host) show where the time went.
"""

from __future__ import annotations

import time
import uuid
from contextlib import ExitStack
from dataclasses import dataclass

import psutil

from bench.commands import RawRates, _flood, _send_all, _setup, raw_rates
from bench.kafka_io import OutcomeWatch
from bench.prefill import cpu_s, server_process
from bench.worker import BenchWorker
from bench.worker_metrics import answered, assigned
from connectors.metrics.requests import RequestMeter, Usage
from connectors.settings import ZaikoSettings
from domain import ReceiveStock

TOPIC = "inventory.commands"


@dataclass(frozen=True)
class Share:
    """What one worker held and did during one flood."""

    partitions: frozenset[int]
    answered: int
    cpu_s: float | None


@dataclass(frozen=True)
class Phase:
    """One flood: its rate produced→outcome, rejections, each worker's share, moto's CPU."""

    per_s: float
    rejected: int
    shares: list[Share]
    server_cpu_s: float | None
    requests: Usage  # the workers' DynamoDB requests during the flood


@dataclass(frozen=True)
class WorkersRun:
    raw: RawRates
    partitions: int
    commands: int
    inventories: int
    one: Phase
    two: Phase
    split_s: float  # from starting the second worker to a settled split


def split(held: list[frozenset[int]], partitions: int) -> bool:
    """Return True if every worker holds some partitions, none twice, all of them in all."""
    union = frozenset().union(*held)
    return (all(held) and sum(len(h) for h in held) == len(union)
            and union == frozenset(range(partitions)))  # fmt: skip


def run(
    settings: ZaikoSettings, commands: int, inventories: int, split_timeout_s: float = 120.0
) -> WorkersRun:
    """Flood with one worker, then with two in one group; return both phases' figures."""
    raw = raw_rates(settings, min(commands, 2000))
    server = server_process(settings.dynamodb_endpoint_url)
    app_id = f"zaiko-bench-{uuid.uuid4().hex[:8]}"
    watch = OutcomeWatch(settings.kafka_bootstrap_servers)
    try:
        with ExitStack() as stack:
            first = stack.enter_context(BenchWorker(settings, app_id=app_id))
            _await_split([first], settings.topic_partitions, split_timeout_s)  # holds them all
            invs = _setup(settings.kafka_bootstrap_servers, watch, inventories)
            one = _phase(settings, watch, [first], server, invs, commands)
            started = time.monotonic()
            second = stack.enter_context(BenchWorker(settings, app_id=app_id))
            workers = [first, second]
            _await_split(workers, settings.topic_partitions, split_timeout_s)
            split_s = time.monotonic() - started
            _send_all(settings.kafka_bootstrap_servers, watch,
                      [ReceiveStock(i, 1) for i in invs], 120)  # fmt: skip
            two = _phase(settings, watch, workers, server, invs, commands)
    finally:
        watch.close()
    return WorkersRun(raw, settings.topic_partitions, commands, inventories, one, two, split_s)


def _held(workers: list[BenchWorker]) -> list[frozenset[int]]:
    return [assigned(w.metrics_url, w.app_id, TOPIC) for w in workers]


def _await_split(workers: list[BenchWorker], partitions: int, timeout_s: float) -> None:
    """Wait until the workers' partitions split the topic (see ``split``)."""
    deadline = time.monotonic() + timeout_s
    while not split(held := _held(workers), partitions):
        if time.monotonic() > deadline:
            raise RuntimeError(f"partitions not split between the workers: {held}")
        time.sleep(0.5)


def _counted(workers: list[BenchWorker], before: list[int], commands: int) -> list[int]:
    """Return each worker's answers since ``before`` once they add up to ``commands``.

    A worker counts a batch once its outcomes are acknowledged, a moment after the
    bench may have read them; past a short deadline the counts are returned as they are.
    """
    deadline = time.monotonic() + 10
    while True:
        counts = [answered(w.metrics_url) - n for w, n in zip(workers, before, strict=True)]
        if sum(counts) >= commands or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)


def _phase(
    settings: ZaikoSettings,
    watch: OutcomeWatch,
    workers: list[BenchWorker],
    server: psutil.Process | None,
    invs: list[str],
    commands: int,
) -> Phase:
    procs = [psutil.Process(w.proc.pid) if w.proc else None for w in workers]
    before = [(answered(w.metrics_url), cpu_s(p)) for w, p in zip(workers, procs, strict=True)]
    server_before = cpu_s(server)
    meter = RequestMeter({f"worker {i}": w.metrics_url for i, w in enumerate(workers, 1)})
    meter.start()
    per_s, rejected = _flood(settings, watch, invs, commands)
    server_after = cpu_s(server)
    counts = _counted(workers, [n for n, _ in before], commands)
    requests = meter.stop()
    rows = zip(workers, procs, counts, before, strict=True)
    shares = [Share(assigned(w.metrics_url, w.app_id, TOPIC), n, _less(cpu_s(p), cpu))
              for w, p, n, (_, cpu) in rows]  # fmt: skip
    return Phase(per_s, rejected, shares, _less(server_after, server_before), requests)


def _less(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else after - before
