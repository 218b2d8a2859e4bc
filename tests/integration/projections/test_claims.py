"""Two projectors never both apply an aggregate's events, not even its first ones."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.postgres import PostgresProjector, claims
from tests.integration.projections.readmodel import snapshot
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
SUMMARIES = ("在庫", "商品別在庫集計", "倉庫別在庫集計", "区画使用率", "受払履歴", "投影位置")


@pytest.fixture
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@pytest.fixture
def conn(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


def test_a_second_projector_waits_for_the_first_one_s_claim_on_a_new_aggregate(
    url: str, conn: Any
) -> None:
    s = Scenario.fresh()
    story = s.full_story()
    first = story[0]
    aggregate_id = first.meta.aggregate_id
    other = PostgresProjector.connect(url)
    done = threading.Event()
    with psycopg.connect(url, autocommit=True) as holder, holder.transaction():
        claims.lock(holder, [aggregate_id], {aggregate_id: "warehouse"})
        thread = threading.Thread(target=lambda: (other.apply(first), done.set()), daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not waiting_on_a_lock(conn):
            assert not done.is_set(), "the second projector did not wait for the claim"
            assert time.monotonic() < deadline, "the second projector never blocked"
            time.sleep(0.02)
        with holder.cursor() as cursor:
            claims.release(cursor, {aggregate_id: 0})  # as a projector that applied nothing
    thread.join(10)
    other.close()
    assert done.is_set()
    assert conn.execute(
        "SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s", (aggregate_id,)
    ).fetchone() == (1,)


def waiting_on_a_lock(conn: Any) -> bool:
    row = conn.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        " AND query LIKE '%%投影位置%%'"
    ).fetchone()
    return bool(row and row[0])


def test_two_projectors_applying_the_same_events_at_once_keep_the_summaries_exact(
    url: str, conn: Any
) -> None:
    reference = Scenario.fresh()
    solo = PostgresProjector.connect(url)
    solo.apply_batch(reference.full_story())
    solo.close()
    expected = masked(snapshot(conn, reference))
    projectors = [PostgresProjector.connect(url), PostgresProjector.connect(url)]
    try:
        for _ in range(8):
            s = Scenario.fresh()
            story = s.full_story()
            barrier = threading.Barrier(2)
            errors: list[BaseException] = []

            def run(projector: PostgresProjector, story: Any = story, barrier: Any = barrier,
                    errors: list[BaseException] = errors) -> None:  # fmt: skip
                barrier.wait()
                try:
                    projector.apply_batch(story)
                except BaseException as e:  # a deadlock would show here
                    errors.append(e)

            threads = [threading.Thread(target=run, args=(p,)) for p in projectors]
            for t in threads:
                t.start()
            for t in threads:
                t.join(30)
            assert errors == []
            assert masked(snapshot(conn, s)) == expected
    finally:
        for p in projectors:
            p.close()


def masked(model: dict[str, Any]) -> dict[str, Any]:
    """The tables that double when two projectors apply the same events."""
    return {table: model[table] for table in SUMMARIES if table in model}
