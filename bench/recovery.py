"""``zaiko bench recovery``: kill -9 the stack's worker during a steady stream, at D商事's size.

Needs the stack with its services (``make demo`` leaves one, with D商事 loaded; or
``zaiko stack up --services``). When the journal holds fewer than 45,000 items, D商事 is
loaded first (``zaiko load``), then receipts are streamed until it holds 45,000 (D商事's
load writes ~29,000 entries). The stream sends receipts spread over 2,000 of D商事's
inventories at a quarter of the raw conditional PutItem rate, measured first in the same
run with the worker's own client (as ``zaiko bench commands`` does). After a warm-up the
stack's worker is killed (SIGKILL) and restarted at once, as a supervisor would.

``state_table`` (``--state-table`` / ``--no-state-table``): first restart the worker
with ``ZAIKO_STATE_TABLE`` set so, so that the killed worker and its successor both
keep (or not) their states in the table; the report then also gives the journal key
reads (GetItem, BatchGetItem) and table hits of the restarted worker until it is back.

Figures: the seconds from the kill until the outcome rate (5-s window) is back to
≥ 90 % of the sending rate, and p50/p99 produced→outcome of the commands sent in the
``after_s`` seconds (default five minutes) from that moment.
"""

from __future__ import annotations

import bisect
import os
import random
import signal
import statistics
import time
from dataclasses import dataclass, replace

from bench.kafka_io import OutcomeWatch, producer
from bench.stream import SteadyStream, receipt
from bench.worker_metrics import scrape
from compose.settings import StackSettings
from compose.stack import Stack
from connectors.dynamodb.putitem import drop_table, put_rate, throwaway_table

MIN_JOURNAL_ITEMS = 45_000
RATE_SHARE, BACK_SHARE, WINDOW_S = 0.25, 0.9, 5.0
INVENTORIES = 2000
FILL_ROUND, FILL_ROUND_TIMEOUT_S = 2000, 300.0  # receipts per round while filling the journal


@dataclass(frozen=True)
class RecoveryFigures:
    journal_items: int
    put_per_s: float
    share: float
    rate: float
    restart_s: float  # kill -> the restarted worker is ready
    back_s: float | None  # kill -> outcome rate back to BACK_SHARE of the sending rate
    p50_ms: float
    p99_ms: float
    measured: int  # commands in the p50/p99
    worst_outage_ms: float  # the slowest command caught by the kill
    sent: int
    unanswered: int
    rejected: int
    state_table: bool | None = None  # None: the worker as it ran
    reads_to_back: float | None = None  # the restarted worker's GetItem + BatchGetItem
    table_hits: float | None = None


def run(
    settings: StackSettings, warmup_s: float, after_s: float, products: int,
    state_table: bool | None = None, min_items: int = MIN_JOURNAL_ITEMS,
    share: float = RATE_SHARE, spread: int = INVENTORIES,
) -> RecoveryFigures:  # fmt: skip
    """Measure the raw PutItem rate, stream at a quarter of it, kill -9 the worker, measure."""
    from connectors.dynamodb.client import command_path_client, dynamodb_client
    from connectors.dynamodb.tables import JOURNAL

    stack = Stack(settings)
    worker = next(s for s in stack.services if s.name == "worker")
    if worker.record() is None:
        raise RuntimeError("the stack's worker is not running: start `zaiko stack up --services`")
    boto3 = dynamodb_client(settings)
    items = _journal_items(boto3, JOURNAL.name(settings.table_prefix))
    journal = JOURNAL.name(settings.table_prefix)
    inventories = _inventories(products, spread)
    if not _loaded(boto3, journal, inventories):
        print(f"the journal holds {items:,} items, not D商事's inventories: loading D商事 first")
        _load(settings, products)
        items = _journal_items(boto3, journal)
    if items < min_items:  # D商事 alone is ~24,000-29,000 entries: add days of receipts
        items = _fill(settings, boto3, journal, inventories, min_items)
    table = throwaway_table(boto3, settings.table_prefix)
    try:
        put_per_s = put_rate(command_path_client(settings), table, 2000)
    finally:
        drop_table(boto3, table)
    rate = put_per_s * share
    if state_table is not None:  # the killed worker and its successor alike
        os.environ["ZAIKO_STATE_TABLE"] = str(state_table).lower()
        worker.stop()
        worker.start()
    watch = OutcomeWatch(settings.kafka_bootstrap_servers)
    stream = SteadyStream(settings.kafka_bootstrap_servers, watch, inventories, rate)
    try:
        stream.start()
        time.sleep(warmup_s)  # the stream runs meanwhile: this is the warm-up's length
        killed = time.monotonic()
        record = worker.record()
        assert record is not None, "the worker died before the kill"
        os.kill(record.pid, signal.SIGKILL)
        worker.start()  # a supervisor's restart: spawn it, wait until it is ready
        restart_s = time.monotonic() - killed
        back = _back_at(watch, killed, rate, killed + after_s + 120)
        reads = scrape(worker.metrics_url)
        end = (back if back is not None else killed) + after_s
        time.sleep(max(0.0, end - time.monotonic()))  # the stream runs until then
        stream.stop()
        watch.wait(set(stream.sent), 120)
    finally:
        stream.stop()
        watch.close()
    figures = _figures(stream, watch, items, put_per_s, rate, killed, restart_s, back, after_s)
    return replace(figures, state_table=state_table,
                   reads_to_back=reads.get("reads"), table_hits=reads.get("hits"))  # fmt: skip


def _figures(
    stream: SteadyStream, watch: OutcomeWatch, items: int, put_per_s: float, rate: float,
    killed: float, restart_s: float, back: float | None, after_s: float,
) -> RecoveryFigures:  # fmt: skip
    arrived = watch.arrived
    start = back if back is not None else killed
    window = [arrived[c][0] - t for c, t in stream.sent.items()
              if start <= t <= start + after_s and c in arrived]  # fmt: skip
    ms = sorted(x * 1000 for x in window) or [float("nan")]
    caught = [arrived[c][0] - t for c, t in stream.sent.items() if t <= killed and c in arrived]
    return RecoveryFigures(
        journal_items=items, put_per_s=put_per_s, share=rate / put_per_s, restart_s=restart_s,
        rate=rate,
        back_s=None if back is None else back - killed, p50_ms=statistics.median(ms),
        p99_ms=ms[min(len(ms) - 1, int(len(ms) * 0.99))], measured=len(window),
        worst_outage_ms=max(caught, default=0.0) * 1000, sent=len(stream.sent),
        unanswered=len(stream.sent.keys() - arrived.keys()),
        rejected=sum(1 for c in stream.sent if c in arrived and arrived[c][1] != "ACCEPTED"),
    )  # fmt: skip


def _back_at(watch: OutcomeWatch, killed: float, rate: float, deadline: float) -> float | None:
    """Return the first moment after ``killed`` whose next WINDOW_S hold ≥ BACK_SHARE × rate."""
    while time.monotonic() < deadline:
        times = [t for t, _ in list(watch.arrived.values()) if t >= killed]
        back = recovered_at(times, rate, time.monotonic())
        if back is not None:
            return back
        time.sleep(1.0)  # polling the arrivals the watch thread collects
    return None


def recovered_at(arrivals: list[float], rate: float, now: float) -> float | None:
    """Return the first arrival whose next WINDOW_S (all past ``now``) hold ≥ BACK_SHARE × rate."""
    times = sorted(arrivals)
    for i, t in enumerate(times):
        if t + WINDOW_S > now:
            return None
        if (bisect.bisect_left(times, t + WINDOW_S) - i) / WINDOW_S >= BACK_SHARE * rate:
            return t
    return None


def _fill(
    settings: StackSettings, client: object, table: str, inventories: list[str], min_items: int
) -> int:
    """Send receipts through the pipeline until the journal holds ``min_items`` items.

    In rounds of FILL_ROUND receipts, each answered before the next is sent: the
    pipeline sets the pace (an open-loop rate it cannot hold only grows a backlog).
    An accepted receipt is one journal entry (a burst on one inventory may share one).
    """
    items = _journal_items(client, table)
    print(f"the journal holds {items:,} items: adding receipts until {min_items:,}")
    watch, out, started, n = OutcomeWatch(settings.kafka_bootstrap_servers), None, 0.0, 0
    try:
        out, started = producer(settings.kafka_bootstrap_servers), time.monotonic()
        while items < min_items:
            round_ids = set()
            for _ in range(FILL_ROUND):
                command_id, (topic, key, value) = receipt(inventories[n % len(inventories)])
                watch.expect([command_id])
                round_ids.add(command_id)
                out.produce(topic, value, key)
                out.poll(0)
                n += 1
            out.flush(30)
            if not watch.wait(round_ids, FILL_ROUND_TIMEOUT_S):
                missing = len(round_ids - watch.arrived.keys())
                raise RuntimeError(f"{missing} filling receipts got no outcome in"
                                   f" {FILL_ROUND_TIMEOUT_S:.0f} s")  # fmt: skip
            items = _journal_items(client, table)
            rate = n / (time.monotonic() - started)
            print(f"  journal {items:,} items, {n:,} receipts answered ({rate:.0f}/s)")
    finally:
        watch.close()
    return items


def _loaded(client: object, table: str, inventories: list[str]) -> bool:
    """Say whether D商事 is loaded: the first entry of each sampled inventory is there."""
    keys = [{"aggregate_id": {"S": i}, "seq_nr": {"N": "1"}} for i in inventories[:20]]
    answer = client.batch_get_item(  # type: ignore[attr-defined]
        RequestItems={table: {"Keys": keys, "ProjectionExpression": "aggregate_id"}})  # fmt: skip
    return len(answer["Responses"].get(table, [])) == len(keys)


def _journal_items(client: object, table: str) -> int:
    return int(client.describe_table(TableName=table)["Table"]["ItemCount"])  # type: ignore[attr-defined]


def _inventories(products: int, spread: int = INVENTORIES) -> list[str]:
    from simulation.masterdata import generate
    from simulation.model import MasterDataSpec

    placements = generate(MasterDataSpec(products=products)).placements
    chosen = random.Random(12).sample(list(placements), min(spread, len(placements)))
    return [p.inventory_id for p in chosen]


def _load(settings: StackSettings, products: int) -> None:
    from rich.console import Console

    from simulation.load import LoadOptions, run_load
    from simulation.model import MasterDataSpec

    report = run_load(MasterDataSpec(products=products),
                      LoadOptions(settings.kafka_bootstrap_servers,
                                  settings.effective_database_url), Console())  # fmt: skip
    if report.unanswered:
        raise RuntimeError(f"{len(report.unanswered)} load commands got no outcome")
