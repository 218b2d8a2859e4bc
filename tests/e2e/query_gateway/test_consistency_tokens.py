"""Consistency tokens under abuse: strict parsing, a bound per request, one shared poll,
parked aggregates that fail fast, and positions claimed at 0 that satisfy nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from connectors.settings import ZaikoSettings
from tests.e2e.query_gateway.conftest import gateway_settings
from tests.e2e.query_gateway.server import GatewayServer

PRODUCT = """query($id: ID, $token: String) { product(id: $id, consistencyToken: $token) {
  name } }"""
# 投影保留 as sql/migrations/0008 creates it (a no-op where it ran); the gateway works
# with and without the table.
PARKING = """CREATE TABLE IF NOT EXISTS 投影保留 (
  集約ID text PRIMARY KEY, 集約種別 text NOT NULL, 保留シーケンス番号 bigint NOT NULL,
  イベントID text NOT NULL, 理由 text NOT NULL, 試行回数 integer NOT NULL,
  保留日時 timestamptz NOT NULL DEFAULT now(), 更新日時 timestamptz NOT NULL DEFAULT now())"""
# Positions claimed at 0 ("nothing applied yet"), as 0008 allows them inside the claiming
# transaction; here one is committed, as a reader could see it should that ever change.
CLAIMABLE_AT_ZERO = """DO $$ DECLARE c text; BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = '投影位置'::regclass
    AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%適用済シーケンス番号%'
  LOOP EXECUTE format('ALTER TABLE 投影位置 DROP CONSTRAINT %I', c); END LOOP; END $$"""


def execute(url: str, statement: str, *params: Any) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement, params or None)


@pytest.fixture(scope="module")
def patient(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    """A gateway that would wait 20 s for a version: anything faster is not a timeout."""
    server = GatewayServer(
        gateway_settings(settings, database_url, read_your_writes_timeout_s=20.0)
    ).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def small_pool(settings: ZaikoSettings, database_url: str) -> Iterator[GatewayServer]:
    """Two pooled connections, a 1.5 s wait and at most 8 distinct tokens per request."""
    extra = {"db_pool_min_size": 1, "db_pool_max_size": 2, "read_your_writes_timeout_s": 1.5}
    server = GatewayServer(gateway_settings(settings, database_url, **extra)).start()
    try:
        yield server
    finally:
        server.stop()


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


@pytest.mark.parametrize(
    "token",
    ["X:²", "PRD-000001:²", "PRD-１２３４５６:1", "PRD-000001:1.0", "PRD-000001: 1",
     "PRD-000001:99999999999999999999", "PRD-000001:0", "'; DROP TABLE x; --:1", "TKY:-1",
     "tky:1", "PRD-000001@TKY-1:1", ""],
)  # fmt: skip
def test_a_malformed_token_is_a_validation_error(patient: GatewayServer, token: str) -> None:
    status, body = patient.query(PRODUCT, {"id": "PRD-000001", "token": token})
    assert status == 200 and body["data"] == {"product": None}
    assert codes(body) == ["VALIDATION_ERROR"]
    assert body["errors"][0]["extensions"]["field"] == "consistencyToken"


def test_more_distinct_tokens_than_allowed_are_refused(small_pool: GatewayServer) -> None:
    fields = " ".join(
        f'p{i}: product(id: "PRD-00000{i}", consistencyToken: "PRD-00000{i}:1") {{ id }}'
        for i in range(1, 10)
    )
    status, body = small_pool.query("{" + fields + "}")
    assert status == 200
    assert sorted(codes(body)) == ["VALIDATION_ERROR"]  # the ninth; the first eight answer
    assert body["errors"][0]["extensions"]["maxTokens"] == 8


def test_waiting_requests_share_one_poll_and_leave_the_pool_free(
    small_pool: GatewayServer,
) -> None:
    """20 requests x 8 tokens that never arrive: one poller, no pooled connection held."""
    fields = " ".join(
        f'p{i}: product(id: "PRD-00000{i + 1}", consistencyToken: "PRD-00000{i + 1}:{90 + i}")'
        " { name }"
        for i in range(8)
    )
    answers: list[tuple[float, Any]] = []

    def wait() -> None:
        started = time.monotonic()
        answer = small_pool.query("{" + fields + "}")
        answers.append((time.monotonic() - started, answer))

    pool_before, poller = small_pool.app.state.gateway.db, small_pool.app.state.gateway.positions
    statements_before, polls_before = pool_before.statements, poller.statements
    threads = [threading.Thread(target=wait) for _ in range(20)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # let them all wait (nothing below depends on it: it only loads the test)
    plain_started = time.monotonic()
    assert small_pool.data('{ warehouse(code: "TKY") { code } }') == {"warehouse": {"code": "TKY"}}
    plain_s = time.monotonic() - plain_started
    for thread in threads:
        thread.join(timeout=30)
    elapsed = time.monotonic() - started
    assert len(answers) == 20
    for seconds, (status, body) in answers:
        assert status == 200 and codes(body) == ["CONSISTENCY_TIMEOUT"] * 8
        assert seconds < 1.5 + 2.0  # one deadline for the request, not one per token
    assert plain_s < 1.0
    assert pool_before.statements - statements_before <= 2  # the plain query's only
    assert poller.statements - polls_before <= elapsed / poller.interval_s + 5
    print(f"20 requests x 8 tokens: {poller.statements - polls_before} polls in {elapsed:.2f} s;"
          f" a plain query meanwhile took {plain_s * 1000:.0f} ms")  # fmt: skip


def test_a_parked_aggregate_fails_fast_instead_of_timing_out(
    patient: GatewayServer, database_url: str
) -> None:
    execute(database_url, PARKING)
    execute(
        database_url,
        "INSERT INTO 投影保留 (集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由, 試行回数)"
        " VALUES ('PRD-000005', 'product', 2, 'evt-poison', 'integer out of range', 3)",
    )
    patient.app.state.gateway.positions.forget_parking()  # as if 30 s had passed
    started = time.monotonic()
    status, body = patient.query(PRODUCT, {"id": "PRD-000005", "token": "PRD-000005:3"})
    seconds = time.monotonic() - started
    assert status == 200 and body["data"] == {"product": None}
    assert body["errors"][0]["extensions"] == {
        "code": "PROJECTION_PARKED",
        "aggregateId": "PRD-000005",
        "version": 3,
        "appliedVersion": 1,
        "parkedVersion": 2,
    }
    assert seconds < 5.0  # the timeout is 20 s
    # a version applied before the parked event is still readable
    assert patient.data(PRODUCT, id="PRD-000005", token="PRD-000005:1")["product"]["name"]


def test_a_position_claimed_at_zero_satisfies_no_token(
    settings: ZaikoSettings, database_url: str
) -> None:
    execute(database_url, CLAIMABLE_AT_ZERO)
    execute(
        database_url,
        "INSERT INTO 投影位置 (集約ID, 集約種別, 適用済シーケンス番号, 最終イベントID)"
        " VALUES ('CUS-9001', 'customer', 0, '')",
    )
    extra = {"read_your_writes_timeout_s": 0.5}
    server = GatewayServer(gateway_settings(settings, database_url, **extra)).start()
    try:
        query = '{ customer(id: "CUS-9001", consistencyToken: "CUS-9001:1") { id } }'
        _, body = server.query(query)
        assert body["errors"][0]["extensions"] == {
            "code": "CONSISTENCY_TIMEOUT",
            "aggregateId": "CUS-9001",
            "version": 1,
            "appliedVersion": 0,
        }
    finally:
        server.stop()
