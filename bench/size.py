"""``zaiko bench commands --prefill N``: the command bench fresh, then with the tables at size.

One run, one stack, one worker: the raw PutItem rate and both workloads on the fresh
tables, then ``bench.prefill`` writes N journal entries and N outcomes, then the raw
rate and the workloads again. Both raw rates are measured the same way (the bench's
worker started and idle), so the two ratios and the size/fresh quotients come from the
same run. Where the embedded DynamoDB runs on this host its CPU time per raw PutItem and
per command is printed too (steadier than rates on a shared machine).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass

import psutil

from bench.commands import Figures, RawRates, _workload, bench_meter
from bench.kafka_io import OutcomeWatch
from bench.latency import paced_count
from bench.prefill import cpu_s, prefill, server_process
from bench.settle import bridged, settle
from bench.worker import BenchWorker
from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.putitem import drop_table, put_rate, throwaway_table
from connectors.metrics.requests import RequestMeter
from connectors.settings import ZaikoSettings


@dataclass(frozen=True)
class Round:
    """One size's figures: raw rates, the server's CPU per raw put, each workload's figures."""

    items: int  # entries prefilled before this round (0: fresh)
    rates: RawRates
    server_ms_per_put: float | None
    workloads: list[Figures]
    server_ms_per_command: list[float | None]


@dataclass(frozen=True)
class SizeRun:
    fresh: Round
    sized: Round
    fill_s: float
    settle_s: float = 0.0  # bridging and projecting the prefill, before the at-size round


def run(
    settings: ZaikoSettings,
    commands: int,
    workloads: list[int],
    own_worker: bool,
    items: int,
    metrics: Mapping[str, str] | None = None,
    paced_share: float = 0.5,
) -> SizeRun:
    """Measure fresh, prefill ``items`` entries and outcomes, measure again (one worker)."""
    server = server_process(settings.dynamodb_endpoint_url)
    worker = BenchWorker(settings) if own_worker else contextlib.nullcontext()
    watch = OutcomeWatch(settings.kafka_bootstrap_servers)
    try:
        with worker:
            meter = bench_meter(worker, metrics)
            fresh = _round(settings, watch, server, commands, workloads, 0, meter, paced_share)
            before = bridged(metrics or {})
            fill_s = prefill(command_path_client(settings), settings.table_prefix, items)
            settle_s = settle(metrics or {}, before, items)
            sized = _round(settings, watch, server, commands, workloads, items, meter, paced_share)
    finally:
        watch.close()
    return SizeRun(fresh, sized, fill_s, settle_s)


def _round(
    settings: ZaikoSettings,
    watch: OutcomeWatch,
    server: psutil.Process | None,
    commands: int,
    workloads: list[int],
    items: int,
    meter: RequestMeter,
    paced_share: float,
) -> Round:
    rates, per_put = _raw(settings, server, min(commands, 2000))
    figures, per_command = [], []
    for inventories in workloads:
        before = cpu_s(server)
        figures.append(_workload(settings, watch, commands, inventories, rates, meter, paced_share))
        after = cpu_s(server)
        sent = 3 * inventories + 2 + commands + paced_count(commands)  # set-up, flood, paced
        per_command.append(None if before is None or after is None
                           else (after - before) / sent * 1000)  # fmt: skip
    return Round(items, rates, per_put, figures, per_command)


def _raw(
    settings: ZaikoSettings, server: psutil.Process | None, count: int
) -> tuple[RawRates, float | None]:
    """Return the raw serial PutItem rates (wire, boto3) and the server's CPU ms per put."""
    client, boto3_client = command_path_client(settings), dynamodb_client(settings)
    table = throwaway_table(boto3_client, settings.table_prefix)
    try:
        before = cpu_s(server)
        wire = put_rate(client, table, count)
        after = cpu_s(server)
        boto3 = put_rate(boto3_client, table, count)
    finally:
        drop_table(boto3_client, table)
    per_put = None if before is None or after is None else (after - before) / count * 1000
    return RawRates(wire, boto3), per_put
