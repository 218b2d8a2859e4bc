"""SIGTERM while a batch cannot be answered: nothing is acked, everything is answered after restart.

The worker's outcome writes fail (the outcomes table unreachable) while a flood is
under way: the commands are in the journal, their outcomes cannot be recorded, so
the batch must be neither answered nor acknowledged. The worker is then stopped with
SIGTERM: it must stop promptly (not hold the shutdown) without acking the batch. The
restarted worker (same consumer group) gets the batch again and answers every command
from the journal: ACCEPTED at its journal version, never INTERNAL, each applied once.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from compose.stack import Stack
from connectors.eventstore.wiring import DynamoDBStores
from domain import CreateInventory, ReceiveStock
from schemas import COMMAND_RESULTS_TOPIC
from tests.integration.streams.gated_worker import FLAG_VARIABLE
from tests.integration.streams.journal import assert_gap_free
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
INVENTORIES, COMMANDS = 8, 120
GATED = ("-m", "tests.integration.streams.gated_worker")


def _journaled(stores: DynamoDBStores, inventories: list[str]) -> set[str]:
    return {c for inv in inventories for e in stores.events.load(inv) for c in e.command_ids}


def test_a_worker_stopped_while_it_cannot_answer_acks_nothing_and_the_restart_answers_all(
    stack: Stack, run_dir: Path, bootstrap: str, results: TopicReader, stores: DynamoDBStores
) -> None:
    n, w = unique_number(), unique_warehouse()
    zone = f"{w}-01"
    invs = [f"PRD-{n + i}@{zone}" for i in range(INVENTORIES)]
    flag = run_dir / f"outcomes-down-{n}"
    gated = WorkerProcess(stack.settings, run_dir, argv=GATED, extra_env={FLAG_VARIABLE: str(flag)})
    restarted = WorkerProcess(stack.settings, run_dir, app_id=gated.app_id)  # same group
    flood = [envelope(ReceiveStock(invs[i % INVENTORIES], 1 + i % 5)) for i in range(COMMANDS)]
    ids = {e.meta.command_id for e in flood}
    try:
        gated.start()
        setup = [create_warehouse(w), create_zone(zone)]
        for batch in (setup + [create_product(f"PRD-{n + i}") for i in range(INVENTORIES)],
                      [CreateInventory(inv) for inv in invs]):  # fmt: skip
            sent = [envelope(c) for c in batch]
            send_commands(bootstrap, sent)
            done = collect_outcomes(results, {e.meta.command_id for e in sent}, 60)
            assert all(v and v[0].status == "ACCEPTED" for v in done.values())
        flag.touch()  # the outcomes table is unreachable from now on
        send_commands(bootstrap, flood)
        deadline = time.monotonic() + 60
        while not ids & _journaled(stores, invs) and time.monotonic() < deadline:
            time.sleep(0.2)
        applied = ids & _journaled(stores, invs)
        assert applied, "the flood was not appended"
        early = collect_outcomes(results, ids, 5)  # the batch waits for its outcomes
        assert not any(early.values()), "answered although its outcomes are not on record"
        print(f"\n{len(applied)} of {COMMANDS} commands applied, none answered; SIGTERM")
        stopped_at = time.monotonic()
        assert gated.stop(grace_s=30) == 0, gated.log_tail()
        stop_s = time.monotonic() - stopped_at
        print(f"\nSIGTERM to exit with the batch unanswered: {stop_s:.1f}s")
        assert stop_s < 20, "the unanswerable batch held the shutdown"
        flag.unlink()
        restarted.start()
        everything = TopicReader(bootstrap, COMMAND_RESULTS_TOPIC)
        try:
            found = collect_outcomes(everything, ids, 90)
        finally:
            everything.close()
    finally:
        flag.unlink(missing_ok=True)
        gated.stop()
        restarted.stop()
    missing = [c for c, v in found.items() if not v]
    assert not missing, f"{len(missing)} commands never answered: their batch was acked"
    statuses = {(o.status, o.error_code) for v in found.values() for o in v}
    assert statuses == {("ACCEPTED", None)}, statuses
    for inv in invs:  # each command applied once, answered with its own journal version
        entries = assert_gap_free(stores.events, inv)
        journaled = {c: part.last_seq_nr for entry in entries for c in entry.command_ids
                     if (part := entry.part(c)) is not None}  # fmt: skip
        for sent in (e for e in flood if e.meta.aggregate_id == inv):
            assert {o.version for o in found[sent.meta.command_id]} == {
                journaled[sent.meta.command_id]
            }
