"""Values at every bound go through the whole pipeline into PostgreSQL exactly; beyond, refused.

commands -> worker -> journal -> bridge -> projector -> read model, on the test stack.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, example, given, settings

from compose.stack import Stack
from connectors.settings import ZaikoSettings
from domain import CreateInventory, ReceiveStock, ReserveStock, aggregate_type_of, limits
from domain.message import Command
from schemas import COMMAND_RESULTS_TOPIC, CommandOutcome, command_topic_for, encode
from tests.integration.bridge.helpers import bridge_settings, start_bridge, stop_process
from tests.integration.projector.helpers import ProjectorProcess, projected, wait_until
from tests.integration.projector.limits_cases import (
    Case,
    as_decimal,
    cases,
    expected_stock,
    extreme,
    masters,
    movements,
    zones,
)
from tests.integration.projector.limits_probes import beyond_bounds
from tests.integration.streams.kafka_io import TopicReader, collect_outcomes, producer
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.codes import unique_warehouse
from tests.unit.streams.builders import create_product, create_warehouse, create_zone, envelope

pytestmark = pytest.mark.integration
TIMEOUT_S = 90
Sent = tuple[str, str, str, bytes]  # command id, topic, key, value


@pytest.fixture(scope="module")
def pipeline(
    stack: Stack, projector: ProjectorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ZaikoSettings]:
    """A command worker and a stream bridge on the stack's journal, next to the projector."""
    run_dir = tmp_path_factory.mktemp("limits")
    worker = WorkerProcess(stack.settings, run_dir)
    bridge = start_bridge(bridge_settings(stack.settings, stack.settings.table_prefix),
                          run_dir / "bridge.log")  # fmt: skip
    try:
        worker.start()
        yield stack.settings
    finally:
        worker.stop()
        stop_process(bridge)


@pytest.fixture(scope="module")
def results(pipeline: ZaikoSettings) -> Iterator[TopicReader]:
    """One reader of command.results for the module: later outcomes come after its position."""
    reader = TopicReader(pipeline.kafka_bootstrap_servers, COMMAND_RESULTS_TOPIC)
    try:
        yield reader
    finally:
        reader.close()


def exchange(settings: ZaikoSettings, reader: TopicReader, sent: list[Sent]) -> list[Any]:
    """Produce in order (keyed by aggregate id); return each message's outcome."""
    out = producer(settings.kafka_bootstrap_servers)
    for _, topic, key, data in sent:
        out.produce(topic, key=key.encode(), value=data)
    assert out.flush(30) == 0
    found = collect_outcomes(reader, {command_id for command_id, *_ in sent}, TIMEOUT_S)
    missing = [c for c, outcomes in found.items() if not outcomes]
    assert not missing, f"no outcome for {missing}"
    return [found[command_id][0] for command_id, *_ in sent]


def commands(*items: Command) -> list[Sent]:
    envelopes = [envelope(c) for c in items]
    return [
        (e.meta.command_id, command_topic_for(aggregate_type_of(e.command)),
         e.meta.aggregate_id, encode(e))
        for e in envelopes
    ]  # fmt: skip


def accepted(settings: ZaikoSettings, reader: TopicReader, *items: Command) -> None:
    for outcome in exchange(settings, reader, commands(*items)):
        assert outcome.status == "ACCEPTED", outcome


def rows(url: str, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


@settings(max_examples=3, deadline=None, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))  # fmt: skip
@example(case=extreme(upper=True))
@example(case=extreme(upper=False))
@given(case=cases())
def test_values_at_every_bound_reach_the_read_model_exactly(
    pipeline: ZaikoSettings, results: TopicReader, case: Case
) -> None:
    url = pipeline.effective_database_url
    accepted(pipeline, results, *masters(case))
    accepted(pipeline, results, *zones(case))
    before, probe, after = movements(case)
    *moved, refused, transferred, out = exchange(
        pipeline, results, commands(*before, probe, *after)
    )
    assert all(o.status == "ACCEPTED" for o in [*moved, transferred, out]), [*moved, out]
    assert (refused.status, refused.error_code) == ("REJECTED", "STOCK_LIMIT_EXCEEDED")
    zone_ids = [f"{case.warehouse}-01", f"{case.warehouse}-02"]
    expected_positions = {
        case.product: 1,
        case.warehouse: 1,
        case.customer: 1,
        **dict.fromkeys(zone_ids, 1),
        case.source: 7,
        case.destination: 2,
    }
    wait_until(projected(url, expected_positions), TIMEOUT_S, "every event to be projected")
    check_masters(url, case)
    check_stock(url, case)


def check_masters(url: str, case: Case) -> None:
    product, warehouse, customer = masters(case)
    assert rows(
        url, "SELECT 商品名, SKU, 単位, 説明, 参考価格 FROM 商品 WHERE 商品ID = %s", case.product
    ) == [(product.name, product.sku, product.unit, product.description, case.reference_price)]
    assert rows(
        url,
        "SELECT 倉庫名, 所在地, 延べ床面積, 容量 FROM 倉庫 WHERE 倉庫コード = %s",
        case.warehouse,
    ) == [(warehouse.name, warehouse.location, as_decimal(case.floor_area), case.capacity)]
    low, high = case.temperatures
    assert (
        rows(
            url,
            "SELECT 区画名, 区画容量, 最低温度, 最高温度 FROM 倉庫別区画 "
            "WHERE 倉庫コード = %s ORDER BY 区画番号",
            case.warehouse,
        )
        == [(case.text(limits.NAME_LENGTH), case.capacity, as_decimal(low), as_decimal(high))] * 2
    )
    assert rows(
        url, "SELECT 取引先名, 企業ID, 住所, 連絡先 FROM 取引先 WHERE 取引先ID = %s", case.customer
    ) == [(customer.name, customer.company_id, customer.address, customer.contact)]


def check_stock(url: str, case: Case) -> None:
    stock = rows(
        url,
        "SELECT 在庫ID, 現在庫数, 引当済数, 有効在庫数, 移動中数 FROM 在庫 WHERE 在庫ID = ANY(%s)",
        [case.source, case.destination],
    )
    assert {r[0]: r[1:] for r in stock} == expected_stock(case)
    r, t = case.received, case.transferred
    who, note = case.text(limits.OPERATOR_LENGTH), case.text(limits.NOTE_LENGTH, lines=True)
    history = rows(
        url,
        "SELECT 受払区分, 受払数量, 受払後在庫数, 操作者, 備考, 移動ID, 移動先区画番号 "
        "FROM 受払履歴 WHERE 在庫ID = %s ORDER BY シーケンス番号",
        case.source,
    )
    assert history == [
        ("入庫", r, r, who, note, None, None),
        ("調整", -r, 0, who, note, None, None),
        ("入庫", r, r, who, note, None, None),
        ("移動", -t, r - t, who, note, case.transfer, "02"),
    ]
    assert rows(
        url,
        "SELECT 現在庫数, 引当済数, 移動中数 FROM 商品別在庫集計 WHERE 商品ID = %s",
        case.product,
    ) == [(r, case.reserved or 1, 0)]


def test_values_just_beyond_each_bound_are_refused_and_change_nothing(
    pipeline: ZaikoSettings, results: TopicReader
) -> None:
    probes = beyond_bounds()
    sent = [(p.command_id, p.topic, p.aggregate_id, p.data) for p in probes]
    outcomes = exchange(pipeline, results, sent)
    refused = {p.label: (o.status, o.error_code) for p, o in zip(probes, outcomes, strict=True)}
    assert refused == {p.label: ("REJECTED", "VALIDATION") for p in probes}
    ids = [p.aggregate_id for p in probes]
    assert rows(pipeline.effective_database_url,
                "SELECT 集約ID FROM 投影位置 WHERE 集約ID = ANY(%s)", ids) == []  # fmt: skip


def test_an_inventory_takes_the_maximum_of_open_reservations_and_refuses_one_more(
    pipeline: ZaikoSettings, results: TopicReader
) -> None:
    product, warehouse = f"PRD-{uuid.uuid4().int % 900_000 + 100_000}", unique_warehouse()
    inventory, most = f"{product}@{warehouse}-01", limits.MAX_OPEN_RESERVATIONS
    accepted(pipeline, results, create_product(product), create_warehouse(warehouse))
    accepted(pipeline, results, create_zone(f"{warehouse}-01"))
    reserve = [ReserveStock(inventory, f"R-{n:04d}", 2) for n in range(most + 1)]
    sent = [CreateInventory(inventory), ReceiveStock(inventory, 2 * most), *reserve]
    *done, one_more = exchange(pipeline, results, commands(*sent))
    assert all(isinstance(o, CommandOutcome) and o.status == "ACCEPTED" for o in done)
    assert (one_more.status, one_more.error_code) == ("REJECTED", "TOO_MANY_OPEN_RESERVATIONS")
    url = pipeline.effective_database_url
    wait_until(projected(url, {inventory: 2 + most}), TIMEOUT_S, "the reservations to project")
    assert rows(url, "SELECT 現在庫数, 引当済数, 有効在庫数 FROM 在庫 WHERE 在庫ID = %s",
                inventory) == [(2 * most, 2 * most, 0)]  # fmt: skip
