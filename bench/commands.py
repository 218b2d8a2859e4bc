"""``zaiko bench commands``: end-to-end commands/s against the raw PutItem rate, and latency.

Needs the infrastructure (``zaiko stack up``); starts a worker of its own with a unique
app id (its own consumer group) and stops it afterwards. Another worker running
against the same stack also consumes the commands and competes for the same
aggregates, so stop it (or pass ``--no-own-worker`` to measure it instead).

Each workload spreads receipts round-robin over its own stocked inventories:
- spread (2,000 inventories by default): commands land on different aggregates, as
  D商事's day does (2,000 movements over some 16,000 inventories), so every command
  needs a journal write of its own;
- hot (64): a burst holds several commands per aggregate, which group commit answers
  with one write per aggregate, so the flood outruns the raw PutItem rate.
Per workload a flood (as fast as possible: commands/s produced→outcome) is followed by
a paced run at ``paced_share`` (0.5) of the raw PutItem rate, the same load level for
both workloads (half the flood's peak made the hot one's depend on group commit), of at
least 1,000 commands so that a p999 rests on something: p50/p99/p999 produced→outcome.
The raw PutItem rate is measured once, before the worker starts, and both ratios use it.
It is measured with the client the worker's command path uses (``WireClient``), so the
ratio compares like with like; boto3's rate is printed next to it for comparison.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from bench.kafka_io import OutcomeWatch, encoded, producer
from bench.latency import Latency, paced_count, paced_target, summarize
from bench.worker import BenchWorker
from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.putitem import drop_table, put_rate, throwaway_table
from connectors.metrics.requests import RequestMeter, Usage
from connectors.settings import ZaikoSettings
from domain import CreateInventory, CreateProduct, CreateWarehouse, CreateZone, ReceiveStock
from domain.enums import Category, StorageCondition, ZoneType
from domain.message import Command
from schemas import CommandEnvelope, CommandMeta, now_millis


@dataclass(frozen=True)
class Figures:
    inventories: int
    put_per_s: float  # with the command path's client: the ratio's denominator
    boto3_put_per_s: float  # with boto3's, for comparison
    commands_per_s: float
    rejected: int
    paced_target: float  # paced_share x put_per_s
    latency: Latency  # of the paced run
    paced_rate: float  # achieved
    paced_share: float = 0.5
    accepted: int = 0  # outcomes ACCEPTED in (2) and (4) together
    requests: Usage | None = None  # DynamoDB requests during (2) and (4), every process

    @property
    def p50_ms(self) -> float:
        return self.latency.p50_ms

    @property
    def p99_ms(self) -> float:
        return self.latency.p99_ms


class RawRates(NamedTuple):
    put_per_s: float
    boto3_put_per_s: float


def run(
    settings: ZaikoSettings,
    commands: int,
    workloads: list[int],
    own_worker: bool,
    metrics: Mapping[str, str] | None = None,
    paced_share: float = 0.5,
) -> list[Figures]:
    """Measure all four figures per workload (inventories); start and stop a worker if asked.

    The raw PutItem rate is measured once, first, before the worker starts, with the
    client the worker's command path uses (and then with boto3's, for comparison).
    ``metrics`` (the stack's /metrics URLs by process) and the own worker's are scraped
    around each workload's timed phases to count the DynamoDB requests they caused.
    """
    rates = raw_rates(settings, min(commands, 2000))
    worker = BenchWorker(settings) if own_worker else contextlib.nullcontext()
    watch = OutcomeWatch(settings.kafka_bootstrap_servers)
    try:
        with worker:
            meter = bench_meter(worker, metrics)
            return [_workload(settings, watch, commands, n, rates, meter, paced_share)
                    for n in workloads]  # fmt: skip
    finally:
        watch.close()


def raw_rates(settings: ZaikoSettings, count: int) -> RawRates:
    """Return serial conditional PutItem/s on a throwaway table: command path's client, boto3."""
    client, boto3_client = command_path_client(settings), dynamodb_client(settings)
    table = throwaway_table(boto3_client, settings.table_prefix)
    try:
        return RawRates(put_rate(client, table, count), put_rate(boto3_client, table, count))
    finally:
        drop_table(boto3_client, table)


def bench_meter(worker: object, metrics: Mapping[str, str] | None) -> RequestMeter:
    """Return a meter of the stack's endpoints, the bench's own worker and this process."""
    endpoints = dict(metrics or {})
    if isinstance(worker, BenchWorker):
        endpoints["bench worker"] = worker.metrics_url
    return RequestMeter(endpoints, local="bench")


def _workload(
    settings: ZaikoSettings, watch: OutcomeWatch, commands: int, inventories: int, rates: RawRates,
    meter: RequestMeter, paced_share: float = 0.5,
) -> Figures:  # fmt: skip
    invs = _setup(settings.kafka_bootstrap_servers, watch, inventories)
    meter.start()
    peak, rejected = _flood(settings, watch, invs, commands)
    target, count = paced_target(rates.put_per_s, paced_share), paced_count(commands)
    paced, latencies, paced_rejected = _paced(settings, watch, invs, count, target)
    requests = meter.stop()
    accepted = commands + count - rejected - paced_rejected
    return Figures(inventories, *rates, peak, rejected, target, summarize(latencies), paced,
                   paced_share, accepted, requests)  # fmt: skip


def _envelope(command: Command) -> CommandEnvelope[Any]:
    command_id = f"bench-{uuid.uuid4().hex}"
    aggregate_id = str(next(v for k, v in vars(command).items() if k.endswith("_id")))
    meta = CommandMeta(command_id=command_id, aggregate_id=aggregate_id, issued_at=now_millis(),
                       channel="bench", correlation_id=command_id)  # fmt: skip
    return CommandEnvelope(meta, command)


def _send_all(bootstrap: str, watch: OutcomeWatch, batch: list[Command], timeout_s: float) -> None:
    sent = [_envelope(c) for c in batch]
    watch.expect(e.meta.command_id for e in sent)
    out = producer(bootstrap)
    for e in sent:
        topic, key, value = encoded(e)
        out.produce(topic, value, key)
        out.poll(0)
    out.flush(30)
    if not watch.wait({e.meta.command_id for e in sent}, timeout_s):
        raise RuntimeError("set-up commands got no outcome; is the worker running?")


def _setup(bootstrap: str, watch: OutcomeWatch, count: int) -> list[str]:
    """Create one warehouse, an ambient zone and ``count`` stocked inventories."""
    n = uuid.uuid4().int
    warehouse = "".join(chr(ord("A") + (n >> (5 * i)) % 26) for i in range(3))
    zone, first = f"{warehouse}-01", n % 800_000 + 100_000
    products = [f"PRD-{first + i}" for i in range(count)]
    invs = [f"{p}@{zone}" for p in products]
    _send_all(bootstrap, watch, [
        CreateWarehouse(warehouse, "ベンチ倉庫", "東京都", 1000.0, 10**9),
        CreateZone(zone, "常温", ZoneType.AMBIENT, 10**9),
        *(CreateProduct(p, "ベンチ商品", f"SKU-{p[4:]}", Category.FOOD, StorageCondition.AMBIENT,
                        "個") for p in products),
    ], 120)  # fmt: skip
    _send_all(bootstrap, watch, [CreateInventory(i) for i in invs], 120)
    _send_all(bootstrap, watch, [ReceiveStock(i, 1) for i in invs], 120)  # warm the caches
    return invs


def _flood(
    settings: ZaikoSettings, watch: OutcomeWatch, invs: list[str], count: int
) -> tuple[float, int]:
    """Produce ``count`` receipts as fast as possible; return commands/s produced->outcome."""
    sent = [_envelope(ReceiveStock(invs[i % len(invs)], 1)) for i in range(count)]
    records = [encoded(e) for e in sent]
    ids = {e.meta.command_id for e in sent}
    watch.expect(ids)
    out = producer(settings.kafka_bootstrap_servers)
    started = time.monotonic()
    for topic, key, value in records:
        out.produce(topic, value, key)
        out.poll(0)
    out.flush(30)
    if not watch.wait(ids, 300):
        raise RuntimeError(f"only {len(ids & watch.arrived.keys())}/{count} outcomes arrived")
    arrivals = {c: watch.arrived[c] for c in ids}
    elapsed = max(t for t, _ in arrivals.values()) - started
    rejected = sum(1 for _, status in arrivals.values() if status != "ACCEPTED")
    return count / elapsed, rejected


def _paced(
    settings: ZaikoSettings, watch: OutcomeWatch, invs: list[str], count: int, rate: float
) -> tuple[float, list[float], int]:
    """Produce at ``rate`` commands/s; return the achieved rate, each produced->outcome and
    how many were rejected."""
    sent = [_envelope(ReceiveStock(invs[i % len(invs)], 1)) for i in range(count)]
    records = [encoded(e) for e in sent]
    watch.expect(e.meta.command_id for e in sent)
    out = producer(settings.kafka_bootstrap_servers, linger_ms=0)
    produced: dict[str, float] = {}
    started = time.monotonic()
    for i, (e, (topic, key, value)) in enumerate(zip(sent, records, strict=True)):
        delay = started + i / rate - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        produced[e.meta.command_id] = time.monotonic()
        out.produce(topic, value, key)
        out.poll(0)
    achieved = count / (time.monotonic() - started)
    out.flush(30)
    if not watch.wait(set(produced), 300):
        raise RuntimeError("paced run: outcomes missing")
    rejected = sum(1 for c in produced if watch.arrived[c][1] != "ACCEPTED")
    return achieved, [watch.arrived[c][0] - t for c, t in produced.items()], rejected
