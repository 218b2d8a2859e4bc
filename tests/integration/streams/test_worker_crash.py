"""kill -9 the worker mid-stream: after a restart every command has one outcome, once."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from compose.stack import Stack
from connectors.eventstore.wiring import DynamoDBStores
from domain import CreateInventory, IssueStock, ReceiveStock, ReserveStock
from domain.message import Command
from schemas import COMMAND_RESULTS_TOPIC
from tests.integration.streams.journal import assert_gap_free, folded
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, send_commands
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
INVENTORIES, COMMANDS = 20, 2000


def movement(rng: random.Random, inv: str, i: int) -> Command:
    roll = rng.random()
    if roll < 0.6:
        return ReceiveStock(inv, rng.randint(1, 5))
    if roll < 0.8:
        return IssueStock(inv, rng.randint(1, 8))  # may be refused: still one outcome
    return ReserveStock(inv, f"R-{i}", rng.randint(1, 3))


def test_a_killed_worker_resumes_without_losing_or_doubling_commands(
    stack: Stack, run_dir: Path, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    n, w, rng = unique_number(), unique_warehouse(), random.Random(4)
    zone = f"{w}-01"
    invs = [f"PRD-{n + i}@{zone}" for i in range(INVENTORIES)]
    setup = [create_warehouse(w), create_zone(zone)]
    setup += [create_product(f"PRD-{n + i}") for i in range(INVENTORIES)]
    flow = [envelope(movement(rng, rng.choice(invs), i)) for i in range(COMMANDS)]
    worker = WorkerProcess(stack.settings, run_dir)
    try:
        worker.start()
        for batch in (setup, [CreateInventory(inv) for inv in invs]):
            sent = [envelope(c) for c in batch]
            send_commands(bootstrap, sent)
            done = collect_outcomes(results, {e.meta.command_id for e in sent}, 60)
            assert all(v and v[0].status == "ACCEPTED" for v in done.values())
        send_commands(bootstrap, flow)
        ids = {e.meta.command_id for e in flow}
        seen = results.read_until(lambda m: (m.key() or b"").decode() in ids,
                                  lambda kept: len(kept) >= COMMANDS // 4, 60)  # fmt: skip
        assert len(seen) >= COMMANDS // 4, "the worker made too little progress to crash it"
        worker.kill9()
        killed_at = time.monotonic()
        worker.start()
        print(f"restarted in {time.monotonic() - killed_at:.1f}s")
        everything = TopicReader(bootstrap, COMMAND_RESULTS_TOPIC)  # from the beginning again
        try:
            found = collect_outcomes(everything, ids, 120)
        finally:
            everything.close()
        print(f"kill to all outcomes: {time.monotonic() - killed_at:.1f}s")
    finally:
        worker.stop()
    missing = [c for c, v in found.items() if not v]
    assert not missing, f"{len(missing)} commands without an outcome"
    distinct = {c: {(o.status, o.version, o.event_types, o.error_code) for o in v}
                for c, v in found.items()}  # fmt: skip
    assert all(len(v) == 1 for v in distinct.values()), "a command got two different outcomes"
    by_command = {e.meta.command_id: e for e in flow}
    for inv in invs:
        entries = assert_gap_free(stores.events, inv)
        appended = {c for entry in entries[1:] for c in entry.command_ids}
        accepted = {c for c, [o] in _single(distinct).items()
                    if o[0] == "ACCEPTED" and by_command[c].meta.aggregate_id == inv}  # fmt: skip
        assert appended == accepted
        state = folded(stores.events, "inventory", inv)
        assert state.version == entries[-1].last_seq_nr
        assert state.on_hand >= 0 and state.reserved <= state.on_hand


def _single(distinct: dict[str, set[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    return {c: list(v) for c, v in distinct.items()}
