"""End to end, like the seed's test-e2e.sh: the whole system as `make demo` runs it.

A private stack with every service (`Stack.up(with_services=True)`: worker, bridge,
projector, both gateways) on its own ports; then health, a mutation, a query that
reads its own write, and a reduced business day whose invariants are checked in the
read model and against the event store.
"""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from rich.console import Console

from compose.demo import wait_until_settled
from compose.settings import StackSettings
from compose.stack import Stack
from connectors.audit import run_audit
from simulation.day import DaySpec
from simulation.load import LoadOptions, run_load
from simulation.model import DEFAULT_WAREHOUSE_CODES, MasterDataSpec
from simulation.simulate import SimulateOptions, SimulationRun, run_simulation
from tests.integration.conftest import free_port_block, stack_settings_for

pytestmark = pytest.mark.integration

PORTS = free_port_block(29600, {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95,
                                "command_api": 96, "query_api": 97})  # fmt: skip
MOVEMENT_COMMANDS = {"ReceiveStock", "IssueStock", "AdjustStock", "TransferStockOut"}
SPEC = MasterDataSpec(7, 300, 40, 0, DEFAULT_WAREHOUSE_CODES)


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackSettings]:
    """Start the whole system on test ports; stop every process of it afterwards."""
    settings = stack_settings_for(tmp_path_factory.mktemp("e2e") / "state", PORTS)
    stack = Stack(settings)
    with pytest.MonkeyPatch.context() as env:  # the services inherit the environment
        env.setenv("ZAIKO_WORKER_WEB_PORT", "0")  # never the demo worker's 50510
        env.setenv("ZAIKO_CONFIG_FILE", str(settings.state_dir.parent / "no-zaiko.toml"))
        try:
            stack.up(with_services=True)
            yield settings
        finally:
            stack.down()


def graphql(port: int, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST a GraphQL request; return the decoded response (data and errors)."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/graphql", body, {"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result: dict[str, Any] = json.loads(response.read())
    return result


def health(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=10) as response:
        return int(response.status)


def test_both_apis_report_healthy(system: StackSettings) -> None:
    assert health(system.command_api_port) == 200
    assert health(system.query_api_port) == 200


def test_a_mutation_is_readable_through_the_query_api_with_its_token(
    system: StackSettings,
) -> None:
    product_id = f"PRD-{900000 + uuid.uuid4().int % 99999:06d}"
    fields = {"productId": product_id, "name": "E2E 天然水 2L", "sku": f"SKU-{product_id}",
              "category": "FOOD", "storageCondition": "AMBIENT", "unit": "本"}  # fmt: skip
    created = graphql(system.command_api_port, """
        mutation($input: CreateProductInput!) {
          createProduct(input: $input) { aggregateId version consistencyToken }
        }""", {"input": fields})  # fmt: skip
    assert "errors" not in created, created
    result = created["data"]["createProduct"]
    assert result == {"aggregateId": product_id, "version": 1,
                      "consistencyToken": f"{product_id}:1"}  # fmt: skip

    # the token makes the query wait (bounded) until the projector has applied version 1
    read = graphql(system.query_api_port, """
        query($id: ID!, $token: String) {
          product(id: $id, consistencyToken: $token) { id name sku storageCondition status }
        }""", {"id": product_id, "token": result["consistencyToken"]})  # fmt: skip
    assert "errors" not in read, read
    assert read["data"]["product"] == {"id": product_id, "name": "E2E 天然水 2L",
                                       "sku": f"SKU-{product_id}", "storageCondition": "AMBIENT",
                                       "status": "ACTIVE"}  # fmt: skip


@pytest.fixture(scope="module")
def business_day(system: StackSettings) -> SimulationRun:
    """Load a reduced D商事 (300 products) and play a business day of 400 movements."""
    console = Console(file=Path("/dev/null").open("w"))  # noqa: SIM115 - quiet progress bars
    loaded = run_load(SPEC, LoadOptions(system.kafka_bootstrap_servers,
                                        system.effective_database_url), console)  # fmt: skip
    assert not loaded.unanswered
    run = run_simulation(SPEC, DaySpec(7, 1, 400, True),
                         SimulateOptions(system.kafka_bootstrap_servers), console)  # fmt: skip
    assert not run.unanswered
    assert wait_until_settled(system.effective_database_url, timeout_s=180)
    return run


def test_after_the_day_no_stock_is_negative_nor_over_reserved(
    system: StackSettings, business_day: SimulationRun
) -> None:
    with psycopg.connect(system.effective_database_url, autocommit=True) as conn:
        rows, negative, over = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE 現在庫数 < 0 OR 有効在庫数 < 0),"
            " count(*) FILTER (WHERE 引当済数 > 現在庫数) FROM 在庫"
        ).fetchone() or (0, 0, 0)
    assert rows >= 300 and negative == 0 and over == 0  # one per product, and more


def test_every_alert_was_judged_against_its_zones_own_threshold(
    system: StackSettings, business_day: SimulationRun
) -> None:
    """The load seeds the thresholds before any stock moves, so none fired on the default."""
    with psycopg.connect(system.effective_database_url, autocommit=True) as conn:
        fired, other = conn.execute(
            "SELECT count(*), count(*) FILTER (WHERE a.発報閾値 IS DISTINCT FROM t.閾値)"
            " FROM 低在庫アラート状態 a JOIN 在庫 i USING (在庫ID)"
            " LEFT JOIN 区画別在庫閾値 t USING (倉庫コード, 区画番号)"
            " WHERE a.発報シーケンス番号 IS NOT NULL AND i.倉庫コード = ANY(%s)",
            (list(SPEC.warehouse_codes),),
        ).fetchone() or (0, 0)
    assert fired > 0 and other == 0, (fired, other)


def test_every_accepted_movement_of_the_day_is_in_the_ledger(
    system: StackSettings, business_day: SimulationRun
) -> None:
    accepted = [
        (m.aggregate_id, business_day.answers[m.command_id].version)
        for m in business_day.day.movements
        if m.command in MOVEMENT_COMMANDS and business_day.answers[m.command_id].accepted
    ]
    assert len(accepted) > 100
    with psycopg.connect(system.effective_database_url, autocommit=True) as conn:
        ledger = set(conn.execute("SELECT 在庫ID, シーケンス番号 FROM 受払履歴").fetchall())
    missing = [key for key in accepted if key not in ledger]
    assert not missing, f"{len(missing)} accepted movements not in 受払履歴, e.g. {missing[:5]}"


def test_the_day_had_its_anomalies_refused(business_day: SimulationRun) -> None:
    codes = {a.error_code for a in business_day.answers.values() if not a.accepted}
    assert {"INSUFFICIENT_STOCK", "STORAGE_CONDITION_VIOLATION"} <= codes, codes


def test_the_read_model_equals_a_fold_of_the_event_store(
    system: StackSettings, business_day: SimulationRun
) -> None:
    report = run_audit(system)
    assert report.aggregates > 600
    assert not report.differences, report.differences[:10]


def test_the_query_api_shows_the_inventories_the_read_model_holds(
    system: StackSettings, business_day: SimulationRun
) -> None:
    product_ids = sorted({m.aggregate_id.split("@")[0] for m in business_day.day.movements})[:5]
    assert product_ids
    with psycopg.connect(system.effective_database_url, autocommit=True) as conn:
        expected = {
            (r[0], r[1], r[2])
            for r in conn.execute(
                "SELECT 在庫ID, 現在庫数, 引当済数 FROM 在庫 WHERE 商品ID = ANY(%s)", (product_ids,)
            ).fetchall()
        }
    shown = set()
    for product_id in product_ids:
        answer = graphql(system.query_api_port, """
            query($id: ID!) { product(id: $id) { inventories { id onHand reserved
                zone { id warehouse { code } } } } }""", {"id": product_id})  # fmt: skip
        assert "errors" not in answer, answer
        for inv in answer["data"]["product"]["inventories"]:
            shown.add((inv["id"], inv["onHand"], inv["reserved"]))
            assert inv["zone"]["warehouse"]["code"] == inv["id"].split("@")[1][:3]
    assert shown == expected
