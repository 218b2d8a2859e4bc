"""A consistencyToken makes a query wait for the projection, bounded by the setting."""

from __future__ import annotations

import datetime as dt
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from connectors.postgres import PostgresProjector
from connectors.settings import ZaikoSettings
from domain.enums import Category
from domain.product.events import ProductUpdated_V2
from schemas import EventEnvelope, EventMeta
from tests.e2e.query_gateway.conftest import gateway_settings
from tests.e2e.query_gateway.server import GatewayServer

PRODUCT = """query($id: ID, $token: String) { product(id: $id, consistencyToken: $token) {
  name } }"""


@pytest.fixture(scope="module")
def slow_gateway(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    server = GatewayServer(
        gateway_settings(settings, database_url, read_your_writes_timeout_s=20.0)
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def hasty_gateway(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    server = GatewayServer(
        gateway_settings(settings, database_url, read_your_writes_timeout_s=0.3)
    ).start()
    try:
        yield server
    finally:
        server.stop()


def rename(database_url: str, product_id: str, version: int, name: str) -> None:
    """Project a ProductUpdated event at ``version`` (what the projector does live)."""
    meta = EventMeta(
        event_id=uuid.uuid4().hex,
        aggregate_id=product_id,
        sequence_nr=version,
        occurred_at=dt.datetime.now(dt.UTC),
        causation_id="cmd-ryw",
        correlation_id="ryw",
    )
    event = ProductUpdated_V2(
        product_id, name, f"SKU-{product_id[-4:]}", Category.FOOD, "", "個", 100
    )
    projector = PostgresProjector.connect(database_url)
    try:
        projector.apply(EventEnvelope(meta, event))
    finally:
        projector.close()


def wait_for(condition: Any, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_a_query_waits_for_a_version_that_arrives_later(
    slow_gateway: GatewayServer, database_url: str
) -> None:
    # cached at version 1 first, so the answer below proves the stale entry was bypassed
    assert slow_gateway.data(PRODUCT, id="PRD-000001")["product"]["name"] == "テスト商品001"
    answers: list[Any] = []
    before = slow_gateway.statements
    waiter = threading.Thread(
        target=lambda: answers.append(
            slow_gateway.query(PRODUCT, {"id": "PRD-000001", "token": "PRD-000001:2"})
        )
    )
    waiter.start()
    wait_for(lambda: slow_gateway.statements >= before + 2)  # it polls 投影位置: it is waiting
    assert not answers
    rename(database_url, "PRD-000001", 2, "改名後の商品")
    waiter.join(timeout=30)
    assert answers == [(200, {"data": {"product": {"name": "改名後の商品"}}})]
    # the fill replaced the cached version 1: later reads without a token see the new name
    assert slow_gateway.data(PRODUCT, id="PRD-000001")["product"]["name"] == "改名後の商品"


def test_a_version_already_applied_answers_at_once(slow_gateway: GatewayServer) -> None:
    before = slow_gateway.statements
    data = slow_gateway.data(PRODUCT, id="PRD-000002", token="PRD-000002:1")
    assert data == {"product": {"name": "テスト商品002"}}
    assert slow_gateway.statements - before <= 2  # one position check, at most one read


def test_a_version_that_never_arrives_times_out_with_a_typed_error(
    hasty_gateway: GatewayServer,
) -> None:
    status, body = hasty_gateway.query(PRODUCT, {"id": "PRD-000003", "token": "PRD-000003:9"})
    assert status == 200 and body["data"] == {"product": None}
    assert body["errors"][0]["extensions"] == {
        "code": "CONSISTENCY_TIMEOUT",
        "aggregateId": "PRD-000003",
        "version": 9,
        "appliedVersion": 1,
    }
    assert body["errors"][0]["path"] == ["product"]


def test_a_malformed_token_is_a_validation_error(hasty_gateway: GatewayServer) -> None:
    _, body = hasty_gateway.query(PRODUCT, {"id": "PRD-000003", "token": "PRD-000003"})
    assert body["errors"][0]["extensions"] == {
        "code": "VALIDATION_ERROR",
        "field": "consistencyToken",
    }


def test_every_root_field_honours_the_token(hasty_gateway: GatewayServer) -> None:
    query = """{ warehouses(consistencyToken: "TKY:5") { code }
      categorySummaries(consistencyToken: "TKY:1") { products } }"""
    _, body = hasty_gateway.query(query)
    assert body["data"]["warehouses"] is None and body["data"]["categorySummaries"]
    assert [e["extensions"]["code"] for e in body["errors"]] == ["CONSISTENCY_TIMEOUT"]
