"""The whole pipeline: commands -> worker -> journal -> bridge -> projector -> alerts, audit."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from typer.testing import CliRunner

from compose.cli import app
from compose.stack import Stack
from connectors.audit import run_audit
from connectors.settings import ZaikoSettings
from domain import CreateInventory, IssueStock, ReceiveStock, ReserveStock
from domain.message import Command
from schemas import COMMAND_RESULTS_TOPIC, INVENTORY_ALERTS_TOPIC, decode_alert
from tests.integration.bridge.helpers import bridge_settings, start_bridge, stop_process
from tests.integration.projector.helpers import ProjectorProcess, projected, wait_until
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
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def pipeline(
    stack: Stack, projector: ProjectorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ZaikoSettings]:
    """A command worker and a stream bridge on the stack's journal, next to the projector."""
    run_dir = tmp_path_factory.mktemp("pipeline")
    worker = WorkerProcess(stack.settings, run_dir)
    bridge = start_bridge(
        bridge_settings(stack.settings, stack.settings.table_prefix), run_dir / "bridge.log"
    )
    try:
        worker.start()
        yield stack.settings
    finally:
        worker.stop()
        stop_process(bridge)


def run(settings: ZaikoSettings, commands: list[Command]) -> dict[str, int]:
    """Send commands in order, wait until all are accepted; return each aggregate's version."""
    envelopes = [envelope(c) for c in commands]
    reader = TopicReader(settings.kafka_bootstrap_servers, COMMAND_RESULTS_TOPIC)
    try:
        send_commands(settings.kafka_bootstrap_servers, envelopes)
        found = collect_outcomes(reader, {e.meta.command_id for e in envelopes}, TIMEOUT_S)
    finally:
        reader.close()
    versions: dict[str, int] = {}
    for e in envelopes:
        outcomes = found[e.meta.command_id]
        assert outcomes and outcomes[0].status == "ACCEPTED", (type(e.command), outcomes)
        versions[outcomes[0].aggregate_id] = outcomes[0].version or 0
    return versions


def stocked(
    settings: ZaikoSettings, *movements: Callable[[str], Command]
) -> tuple[str, str, dict[str, int]]:
    """Create a product, warehouse, zone and inventory, then run ``movements``."""
    product, warehouse = f"PRD-{unique_number()}", unique_warehouse()
    zone = f"{warehouse}-01"
    inventory = f"{product}@{zone}"
    versions = run(settings, [create_product(product), create_warehouse(warehouse)])
    versions |= run(settings, [create_zone(zone)])
    versions |= run(settings, [CreateInventory(inventory), *[m(inventory) for m in movements]])
    return product, warehouse, versions


def alerts_until(settings: ZaikoSettings, inventory: str, last_id: str) -> list[Any]:
    """Return the inventory's alerts, reading until the one with ``last_id`` has arrived."""
    reader = TopicReader(settings.kafka_bootstrap_servers, INVENTORY_ALERTS_TOPIC)
    try:
        found = reader.read_until(
            lambda m: m.key() == inventory.encode(),
            lambda kept: any(decode_alert(m.value()).alert_id == last_id for m in kept),
            TIMEOUT_S,
        )
    finally:
        reader.close()
    return [decode_alert(m.value()) for m in found]


def test_alerts_fire_once_per_crossing_and_rearm(pipeline: ZaikoSettings) -> None:
    product, warehouse, versions = stocked(
        pipeline,
        lambda i: ReceiveStock(i, 100),  # seq 2: 100
        lambda i: IssueStock(i, 95),  # 3: 5 < 10, fires
        lambda i: IssueStock(i, 1),  # 4: 4, still below: silent
        lambda i: ReceiveStock(i, 30),  # 5: 34, re-armed
        lambda i: ReserveStock(i, "RSV-1", 30),  # 6: available 4, fires again
        lambda i: ReceiveStock(i, 1),  # 7: 5, still below: silent
        lambda i: ReceiveStock(i, 100),  # 8: 105, re-armed
        lambda i: IssueStock(i, 96),  # 9: 9 < 10, fires: the last one, read up to it
    )
    inventory = f"{product}@{warehouse}-01"
    assert versions[inventory] == 9
    alerts = alerts_until(pipeline, inventory, f"{inventory}:9")
    assert [(a.alert_id, a.available, a.threshold) for a in alerts] == [
        (f"{inventory}:3", 5, 10),
        (f"{inventory}:6", 4, 10),
        (f"{inventory}:9", 9, 10),
    ]
    assert {(a.product_id, a.warehouse_id, a.zone_id) for a in alerts} == {
        (product, warehouse, f"{warehouse}-01")
    }
    result = CliRunner().invoke(app, ["alerts", "tail", "--from-beginning", "--product", product,
                                      "--count", "3", "--json", "--timeout", "30"],
                                env=cli_env(pipeline))  # fmt: skip
    assert result.exit_code == 0, result.output
    shown = [json.loads(line)["alert_id"] for line in result.output.splitlines() if line]
    assert shown == [a.alert_id for a in alerts]


def cli_env(settings: ZaikoSettings) -> dict[str, str]:
    return {
        "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
        "ZAIKO_TABLE_PREFIX": settings.table_prefix,
        "DATABASE_URL": settings.effective_database_url,
        "ZAIKO_CONFIG_FILE": str(Path("/nonexistent/zaiko.toml")),
    }


def test_audit_is_clean_after_the_pipeline_and_reports_a_corrupted_row(
    pipeline: ZaikoSettings,
) -> None:
    url = pipeline.effective_database_url
    product, warehouse, versions = stocked(
        pipeline, lambda i: ReceiveStock(i, 40), lambda i: ReserveStock(i, "RSV-9", 15)
    )
    inventory = f"{product}@{warehouse}-01"
    wait_until(projected(url, versions), TIMEOUT_S, "the pipeline to project every event")
    scope = f"^({product}|{warehouse})"
    clean = run_audit(pipeline, match=scope, segments=4)
    assert clean.differences == [] and clean.aggregates == 4
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE 在庫 SET 現在庫数 = 現在庫数 + 7 WHERE 在庫ID = %s", (inventory,))
    try:
        result = CliRunner().invoke(app, ["audit", "--match", scope], env=cli_env(pipeline))
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("UPDATE 在庫 SET 現在庫数 = 現在庫数 - 7 WHERE 在庫ID = %s", (inventory,))
    assert result.exit_code == 1, result.output
    assert inventory in result.output and "現在庫数 47" in result.output
