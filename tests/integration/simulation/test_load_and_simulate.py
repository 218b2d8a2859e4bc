"""Load a reduced D商事 twice and play a small day against the real command worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import psycopg
import pytest
from rich.console import Console
from typer.testing import CliRunner

from compose.cli import app
from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from connectors.settings import ZaikoSettings
from schemas import decode_event, decode_outcome
from simulation.day import DaySpec
from simulation.findings import expectations
from simulation.load import LoadOptions, LoadReport, run_load
from simulation.masterdata import generate
from simulation.model import MasterData, MasterDataSpec
from simulation.postgres import upsert_thresholds
from simulation.simulate import SimulateOptions, SimulationRun, run_simulation
from tests.integration.streams.kafka_io import TopicReader
from tests.integration.streams.worker_process import WorkerProcess

pytestmark = pytest.mark.integration

# Ids of their own: other tests of the session share the stack and use TKY, PRD-000001...
SPEC = MasterDataSpec(seed=7, products=60, customers=20, id_base=910_000,
                      warehouse_codes=("SIA", "SIB", "SIC"))  # fmt: skip
DAY = DaySpec(seed=7, day=1, movements=200)
QUIET = Console(quiet=True)


@pytest.fixture(scope="module")
def worker(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    with WorkerProcess(stack.settings, tmp_path_factory.mktemp("sim-workers")) as process:
        yield process


@pytest.fixture(scope="module")
def data() -> MasterData:
    return generate(SPEC)


def _options(settings: ZaikoSettings) -> LoadOptions:
    return LoadOptions(settings.kafka_bootstrap_servers, settings.effective_database_url,
                       stall_timeout_s=60, threshold_wait_s=0.5)  # fmt: skip


def _journal_sizes(settings: ZaikoSettings, data: MasterData) -> dict[str, int]:
    events = build_stores(dynamodb_client(settings), settings.table_prefix).events
    ids = [*(w.warehouse_id for w in data.warehouses), *(z.zone_id for z in data.zones),
           *(p.product_id for p in data.products), *(c.customer_id for c in data.customers),
           *(p.inventory_id for p in data.placements)]  # fmt: skip
    return {i: len(events.load_events(i)) for i in ids}


@pytest.fixture(scope="module")
def loads(
    worker: WorkerProcess, settings: ZaikoSettings, data: MasterData
) -> tuple[LoadReport, LoadReport, dict[str, int], dict[str, int]]:
    first = run_load(SPEC, _options(settings), QUIET)
    after_first = _journal_sizes(settings, data)
    second = run_load(SPEC, _options(settings), QUIET)
    return first, second, after_first, _journal_sizes(settings, data)


def test_the_first_load_creates_every_aggregate_and_receives_the_stock(loads: tuple) -> None:
    first, _, journal, _ = loads
    total = first.tally.total
    assert not first.unanswered
    assert (total.sent, total.accepted, total.already_applied) == (212, 212, 0)
    assert first.companies is not None and first.companies.inserted == len(generate(SPEC).companies)
    assert all(n >= 1 for n in journal.values())
    assert sum(journal[p.inventory_id] for p in generate(SPEC).placements) == 2 * 60


def test_a_second_load_changes_nothing(loads: tuple) -> None:
    first, second, journal_before, journal_after = loads
    total = second.tally.total
    assert (total.sent, total.accepted, total.already_applied) == (212, 212, 212)
    assert journal_after == journal_before
    assert {c: a.version for c, a in second.answers.items()} == {
        c: a.version for c, a in first.answers.items()
    }
    assert second.companies is not None and second.companies.unchanged == len(
        generate(SPEC).companies
    )


@pytest.fixture(scope="module")
def day_run(loads: tuple, settings: ZaikoSettings) -> SimulationRun:
    options = SimulateOptions(settings.kafka_bootstrap_servers, speed=0, stall_timeout_s=60)
    return run_simulation(SPEC, DAY, options, QUIET)


def test_every_movement_of_the_day_gets_exactly_one_outcome(
    day_run: SimulationRun, settings: ZaikoSettings
) -> None:
    assert not day_run.unanswered and not day_run.undelivered
    ids = {m.command_id for m in day_run.day.movements}
    copies: Counter[str] = Counter()
    reader = TopicReader(settings.kafka_bootstrap_servers, "command.results")
    try:

        def keep(message: object) -> bool:
            key = (message.key() or b"").decode()  # type: ignore[attr-defined]
            if key in ids:
                copies[decode_outcome(message.value()).command_id] += 1  # type: ignore[attr-defined]
            return key in ids

        reader.read_until(keep, lambda kept: len(kept) >= len(ids), timeout_s=30)
    finally:
        reader.close()
    assert set(copies) == ids and set(copies.values()) == {1}


def test_normal_movements_are_accepted_and_anomalies_rejected_as_planned(
    day_run: SimulationRun,
) -> None:
    found = expectations(day_run)
    assert {k: (e.as_expected, e.sent) for k, e in found.items()} == {
        k: (e.sent, e.sent) for k, e in found.items()
    }, {k: e.outcomes for k, e in found.items()}
    assert set(found) == {"normal", "shortage", "competing", "violation", "misplaced-transfer"}
    codes = Counter(a.error_code for a in day_run.answers.values() if not a.accepted)
    assert {"INSUFFICIENT_STOCK", "RESERVATION_EXCEEDS_ON_HAND",
            "STORAGE_CONDITION_VIOLATION"} == set(codes)  # fmt: skip


def test_replaying_the_day_from_the_cli_answers_from_idempotency(
    day_run: SimulationRun, settings: ZaikoSettings
) -> None:
    result = CliRunner().invoke(app, [
        "simulate", "--seed", "7", "--day", "1", "--movements", "200", "--products", "60",
        "--customers", "20", "--id-base", "910000", "--warehouses", "SIA,SIB,SIC",
        "--bootstrap", settings.kafka_bootstrap_servers, "--stall-timeout", "60",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "200 outcomes" in result.output


def test_thresholds_are_seeded_once_the_zones_are_projected_and_then_left_to_operators(
    loads: tuple, settings: ZaikoSettings, data: MasterData
) -> None:
    first, _, _, _ = loads
    assert first.thresholds is not None and first.thresholds.deferred == 9  # no projector yet
    url = settings.effective_database_url
    events = build_stores(dynamodb_client(settings), settings.table_prefix).events
    with psycopg.connect(url, autocommit=True) as conn:
        projector = PostgresProjector(conn)
        for aggregate_id in [*(w.warehouse_id for w in data.warehouses),
                             *(z.zone_id for z in data.zones)]:  # fmt: skip
            projector.apply_batch(decode_event(e.payload) for e in events.load_events(aggregate_id))
    seeded = upsert_thresholds(url, data.zones, wait_s=5)
    assert (seeded.inserted, seeded.deferred) == (9, 0)
    tokyo_ambient = data.zones[0]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE 区画別在庫閾値 SET 閾値 = 99 WHERE 倉庫コード = %s AND 区画番号 = %s",
            (tokyo_ambient.warehouse_id, tokyo_ambient.zone_no),
        )
    again = upsert_thresholds(url, data.zones, wait_s=5)
    assert (again.inserted, again.unchanged) == (0, 9)
    with psycopg.connect(url) as conn:
        rows = dict(conn.execute(
            "SELECT 区画番号, 閾値 FROM 区画別在庫閾値 WHERE 倉庫コード = %s",
            (tokyo_ambient.warehouse_id,),
        ).fetchall())  # fmt: skip
    assert rows == {"01": 99, "02": data.zones[1].low_stock_threshold,
                    "03": data.zones[2].low_stock_threshold}  # fmt: skip
