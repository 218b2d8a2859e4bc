"""The projector fills the read model from a realistic story, idempotently and gap-free."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.postgres import ApplyStatus, GapError, PostgresProjector, bulk
from domain.inventory import commands as c
from schemas import EventEnvelope
from tests.integration.projections.readmodel import snapshot
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@pytest.fixture
def conn(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


def apply_one_by_one(url: str, story: list[EventEnvelope[Any]], **kw: Any) -> list[ApplyStatus]:
    projector = PostgresProjector.connect(url, **kw)
    try:
        return [projector.apply(envelope) for envelope in story]
    finally:
        projector.close()


def test_a_realistic_story_fills_tables_ledger_and_summaries(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    story = s.full_story()
    assert set(apply_one_by_one(url, story)) == {ApplyStatus.APPLIED}
    model = snapshot(conn, s)
    stock = [row[:5] for row in model["在庫"]]
    assert stock == [("<P>@<W1>-01", 50, 10, 40, 0), ("<P>@<W2>-01", 25, 0, 25, 0)]
    ledger = [row[:5] for row in model["受払履歴"]]
    assert ledger == [
        ("<P>@<W1>-01", 2, "入庫", 100, 100),
        ("<P>@<W1>-01", 4, "出庫", -20, 80),
        ("<P>@<W1>-01", 6, "移動", -25, 55),
        ("<P>@<W1>-01", 8, "調整", -5, 50),
        ("<P>@<W2>-01", 2, "移動", 25, 25),
    ]
    assert model["受払履歴"][0][6:8] == ("山田", "初回入荷")
    assert model["受払履歴"][3][8] == "破損"
    assert model["受払履歴"][2][9:] == ("OUT", "<W1>", "<W2>")
    assert model["保管条件違反"] == [("<P>@<W1>-02", "常温", "冷蔵", 0)]
    assert model["商品"] == [("緑茶 500ml", "食品類", "常温", "有効")]
    assert model["商品別在庫集計"] == [(75, 10, 65, 0, 2)]
    assert model["倉庫別在庫集計"] == [("<W1>", 50, 10, 1), ("<W2>", 25, 0, 1)]
    utilisation = [(*row[:4], float(row[4])) for row in model["区画使用率"]]
    assert utilisation == [("<W1>", "01", 1000, 50, 0.05), ("<W2>", "01", 1000, 25, 0.025)]
    positions = {row[0]: row[2] for row in model["投影位置"]}
    assert positions["<P>@<W1>-01"] == 8 and positions["<P>@<W1>-02"] == 1


def test_ledger_rows_land_in_the_partition_of_their_month(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    apply_one_by_one(url, s.full_story())
    partitions = conn.execute(
        "SELECT DISTINCT c.relname FROM 受払履歴 h JOIN pg_class c ON c.oid = h.tableoid"
        " WHERE h.商品ID = %s",
        (s.product,),
    ).fetchall()
    assert partitions == [("受払履歴_2026_04",)]


def interleaved_twice(story: list[EventEnvelope[Any]]) -> list[EventEnvelope[Any]]:
    """Round-robin across aggregates, each event delivered again two events later."""
    streams: dict[str, list[EventEnvelope[Any]]] = {}
    for envelope in story:
        streams.setdefault(envelope.meta.aggregate_id, []).append(envelope)
    once = [e for batch in itertools.zip_longest(*streams.values()) for e in batch if e]
    twice: list[EventEnvelope[Any]] = []
    for i, envelope in enumerate(once):
        twice.append(envelope)
        if i >= 2:
            twice.append(once[i - 2])
    return twice + once[-2:]


def test_every_event_delivered_twice_interleaved_gives_the_same_model(url: str, conn: Any) -> None:
    once, twice, batched = Scenario.fresh(), Scenario.fresh(), Scenario.fresh()
    apply_one_by_one(url, once.full_story())
    statuses = apply_one_by_one(url, interleaved_twice(twice.full_story()))
    projector = PostgresProjector.connect(url)
    story = batched.full_story()
    redelivered = interleaved_twice(story)
    for start in range(0, len(redelivered), 7):
        projector.apply_batch(redelivered[start : start + 7])
    projector.close()
    assert statuses.count(ApplyStatus.SKIPPED) == len(story)
    assert snapshot(conn, twice) == snapshot(conn, once)
    assert snapshot(conn, batched) == snapshot(conn, once)


def test_one_batch_of_the_whole_story_twice_gives_the_same_model(url: str, conn: Any) -> None:
    once, batched = Scenario.fresh(), Scenario.fresh()
    apply_one_by_one(url, once.full_story())
    projector = PostgresProjector.connect(url)
    story = batched.full_story()
    first = projector.apply_batch(story + story)
    second = projector.apply_batch(story)
    projector.close()
    assert (first.applied, first.skipped, second.applied) == (len(story), len(story), 0)
    assert snapshot(conn, batched) == snapshot(conn, once)


def test_a_gap_is_healed_from_the_event_store(url: str, conn: Any) -> None:
    once, healed = Scenario.fresh(), Scenario.fresh()
    apply_one_by_one(url, once.full_story())
    story = healed.full_story()
    src = healed.inventory(healed.w1)
    lost = {
        e.meta.event_id
        for e in story
        if e.meta.aggregate_id == src and 3 <= e.meta.sequence_nr <= 6
    }
    projector = PostgresProjector.connect(url, healed.recorder.store())
    statuses = [projector.apply(e) for e in story if e.meta.event_id not in lost]
    projector.close()
    assert statuses.count(ApplyStatus.GAP_HEALED) == 1
    assert (projector.stats.gaps_healed, projector.stats.events_fetched) == (1, 4)
    assert snapshot(conn, healed) == snapshot(conn, once)


def test_a_gap_the_store_cannot_fill_is_refused_and_writes_nothing(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    story = s.full_story()
    src = s.inventory(s.w1)
    late = next(e for e in story if e.meta.aggregate_id == src and e.meta.sequence_nr == 5)
    projector = PostgresProjector.connect(url)
    projector.apply_batch([e for e in story if e.meta.aggregate_id != src])
    with pytest.raises(GapError):
        projector.apply(late)
    projector.close()
    assert conn.execute("SELECT count(*) FROM 在庫 WHERE 在庫ID = %s", (src,)).fetchone() == (0,)


@pytest.mark.parametrize(
    ("on_hand", "reserved"), [(-1, 0), (5, -1), (5, 6)], ids=["negative", "neg-reserved", "over"]
)
def test_check_constraints_refuse_impossible_stock(conn: Any, on_hand: int, reserved: int) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO 在庫 (在庫ID, 商品ID, 倉庫コード, 区画番号, 現在庫数, 引当済数,"
            " 最終更新日時) VALUES (%s, 'PRD-000001', 'TKY', '01', %s, %s, now())",
            (f"PRD-{uuid.uuid4().int % 10**9:09d}@TKY-01", on_hand, reserved),
        )


def test_a_reservation_is_not_a_ledger_movement(conn: Any) -> None:
    with pytest.raises(psycopg.errors.CheckViolation):
        conn.execute(
            "INSERT INTO 受払履歴 (受払履歴No, 受払日時, 在庫ID, シーケンス番号, 商品ID,"
            " 倉庫コード, 区画番号, 受払区分, 受払数量, 受払後在庫数) VALUES (%s, now(),"
            " 'PRD-000001@TKY-01', 1, 'PRD-000001', 'TKY', '01', '引当', 1, 1)",
            (uuid.uuid4().hex,),
        )


def test_a_zone_before_its_warehouse_leaves_a_placeholder_the_warehouse_fills(
    url: str, conn: Any
) -> None:
    s = Scenario.fresh()
    s.masters()
    warehouses = [
        e for e in s.recorder.envelopes if type(e.event).__name__ == "WarehouseCreated_V1"
    ]
    zones = [e for e in s.recorder.envelopes if type(e.event).__name__ == "ZoneCreated_V1"]
    projector = PostgresProjector.connect(url)
    projector.apply_batch(zones)
    placeholder = snapshot(conn, s)["倉庫"]
    projector.apply_batch(warehouses)
    projector.close()
    assert placeholder == [("<W1>", None, False), ("<W2>", None, False)]
    assert snapshot(conn, s)["倉庫"] == [("<W1>", "東京倉庫", True), ("<W2>", "大阪倉庫", True)]


def test_a_big_batch_goes_through_copy_and_stays_idempotent(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    inventory = s.inventory(s.w1)
    s.do(c.CreateInventory(inventory))
    for _ in range(bulk.COPY_THRESHOLD + 50):
        s.do(c.ReceiveStock(inventory, 2))
    story = s.recorder.envelopes
    projector = PostgresProjector.connect(url)
    projector.apply_batch(story[:-100])
    again = projector.apply_batch(story)
    projector.close()
    assert (again.applied, again.skipped) == (100, len(story) - 100)
    count = "SELECT count(*), sum(受払数量) FROM 受払履歴 WHERE 在庫ID = %s"
    assert conn.execute(count, (inventory,)).fetchone() == (len(story) - 1, 2 * (len(story) - 1))
    model = snapshot(conn, s)
    assert model["商品別在庫集計"] == [(2 * (len(story) - 1), 0, 2 * (len(story) - 1), 0, 1)]


def test_plain_and_irregular_groups_in_one_batch_give_the_same_model(url: str, conn: Any) -> None:
    once, mixed = Scenario.fresh(), Scenario.fresh()
    apply_one_by_one(url, once.full_story())
    story = mixed.full_story()
    src = mixed.inventory(mixed.w1)
    mine = [e for e in story if e.meta.aggregate_id == src]
    projector = PostgresProjector.connect(url)
    projector.apply_batch([e for e in story if e.meta.aggregate_id != src][:3] + mine[:2])
    # Fresh groups go through as prepared; this inventory's arrives reversed and from
    # its first event (two already applied): it is ordered and planned in the transaction.
    result = projector.apply_batch(story[3:] + mine[::-1])
    projector.close()
    assert len(mine) > 4
    assert (result.applied, result.skipped) == (len(story) - 5, len(mine) + 2)
    assert snapshot(conn, mixed) == snapshot(conn, once)
