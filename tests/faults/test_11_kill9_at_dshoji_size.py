"""kill -9 of the worker three times during a flood, with D商事 loaded (~29,000 journal entries).

D商事 is loaded through the pipeline (``zaiko load``, ~80 s here) rather than written
straight into the journal: the read model must hold it too, or the audit could not be
clean, and the load is the same path a user takes. The flood moves D商事's own stock, so
the worker restarts against a journal of D商事's size and aggregates with history.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rich.console import Console

from domain import IssueStock, ReceiveStock, ReleaseStock, ReserveStock
from domain.message import Command
from simulation.load import LoadOptions, run_load
from simulation.masterdata import generate
from simulation.model import MasterDataSpec
from tests.faults.harness.canary import Canary, ensure_healthy
from tests.faults.harness.deadline import DeadlineError
from tests.faults.harness.faultstack import FaultStack
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
SPEC = MasterDataSpec()  # D商事 at full size: 8,000 products, 430 customers
COMMANDS, INVENTORIES, KILLS = 3000, 1500, (0.15, 0.45, 0.75)  # 1.5 of its days
# D商事's load: 24,442 commands, one event each, so at least that many journal entries
# less the few a burst on one aggregate shares (an entry may hold several commands).
DSHOJI_ENTRIES = 24_000


@pytest.fixture(scope="module")
def dshoji(fault_stack: FaultStack, canary: Canary) -> list[str]:
    """Load D商事 into a healthy fault stack; return its inventory ids.

    The health gate runs first: a rebuild after the load would wipe D商事.
    """
    print(f"before loading D商事: {ensure_healthy(fault_stack, canary)}")
    settings = fault_stack.settings
    quiet = Console(file=Path("/dev/null").open("w"))  # noqa: SIM115 - progress bars
    report = run_load(SPEC, LoadOptions(settings.kafka_bootstrap_servers,
                                        settings.effective_database_url), quiet)  # fmt: skip
    assert not report.unanswered, f"{len(report.unanswered)} load commands unanswered"
    print(f"D商事 loaded in {report.seconds:.0f} s")
    return [p.inventory_id for p in generate(SPEC).placements]


def day_movements(inventories: list[str], count: int, seed: int) -> list[Command]:
    """Return receipts, small issues, reservations and releases on D商事's inventories."""
    rng, open_reservations = random.Random(seed), {}
    flow: list[Command] = []
    for n in range(count):
        inv, roll = rng.choice(inventories), rng.random()
        if roll < 0.5:
            flow.append(ReceiveStock(inv, rng.randint(1, 20)))
        elif roll < 0.75:
            flow.append(IssueStock(inv, rng.randint(1, 3)))
        elif roll < 0.9 or inv not in open_reservations:
            open_reservations[inv] = f"F-{n}"
            flow.append(ReserveStock(inv, f"F-{n}", rng.randint(1, 2)))
        else:
            flow.append(ReleaseStock(inv, open_reservations.pop(inv)))
    return flow


def test_three_kill9s_of_the_worker_at_dshoji_size_lose_and_double_nothing(
    dshoji: list[str], scenario: Scenario
) -> None:
    scenario.mark("load")
    journal = scenario.client.describe_table(TableName=f"{scenario.settings.table_prefix}journal")
    items = journal["Table"]["ItemCount"]
    assert items >= DSHOJI_ENTRIES, f"not at D商事's size: the journal holds {items} items"
    touched = random.Random(11).sample(dshoji, INVENTORIES)
    scenario.extra_aggregates = touched
    scenario.whole_read_model = True
    # its touched inventories are audited by key (the whole-table Scan cost ~90 s of CI's
    # 25 minutes; `zaiko audit` of the whole journal is tested in tests/integration)
    scenario.whole_audit = False
    ids = set(scenario.flood.send(day_movements(touched, COMMANDS, seed=11)))
    worker, kills, stalled = scenario.stack.service("worker"), [], False
    for share in KILLS:
        try:
            scenario.outcomes.wait_count(ids, int(COMMANDS * share), 180)
        except DeadlineError as exc:  # counted below; the log says what the worker did
            stalled = True
            kills.append(f"stalled: {exc}; worker log: {worker.log_tail(5)}")
            break
        answered = len(scenario.outcomes.answered(ids))
        worker.kill9()
        kills.append(f"kill -9 at {answered}/{COMMANDS}, ready again in {worker.start():.0f} s")
    scenario.counts.notes.append("; ".join(kills))
    items = scenario.client.describe_table(TableName=f"{scenario.settings.table_prefix}journal")
    scenario.counts.notes.append(f"journal {items['Table']['ItemCount']} items")
    scenario.mark("kills")
    # a stalled worker leaves the checks moot: count it all the same, skip the long audit
    scenario.verify(answer_timeout_s=60 if stalled else 180, settle_timeout_s=180,
                    audit=not stalled)  # fmt: skip
    assert not stalled, scenario.counts.notes[-3]
    scenario.assert_consistent()
