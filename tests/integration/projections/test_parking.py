"""An event the read model refuses parks its aggregate; the rest of the batch is projected."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest

from compose.stack import Stack
from connectors.eventstore.memory import InMemoryEventStore
from connectors.postgres import PostgresProjector, bulk
from connectors.postgres.isolation import Isolator
from connectors.postgres.parking import find_parked
from domain.enums import Category, ProductStatus, StorageCondition
from domain.inventory import events as ev
from domain.product.events import ProductCreated_V1
from domain.warehouse.events import WarehouseCreated_V1
from schemas import EventEnvelope, EventMeta
from tests.unit.codes import unique_warehouse
from tests.unit.projections.builders import Recorder, Scenario

pytestmark = pytest.mark.integration
Envelope = EventEnvelope[Any]
TWO_BILLION = 2_000_000_000


@pytest.fixture
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@pytest.fixture
def conn(url: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(url, autocommit=True) as connection:
        yield connection


def isolator(url: str, aggregate_type: str, store: Any = None) -> Isolator:
    return Isolator(PostgresProjector.connect(url, store), aggregate_type, 3, sleep=lambda _: None)


def position(conn: Any, aggregate_id: str) -> int | None:
    row = conn.execute(
        "SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s", (aggregate_id,)
    ).fetchone()
    return None if row is None else int(row[0])


def received(inventory_id: str, quantity: int, on_hand_after: int) -> ev.StockReceived_V1:
    product_id, _, zone_id = inventory_id.partition("@")
    return ev.StockReceived_V1(inventory_id, product_id, zone_id[:3], zone_id, quantity,
                               on_hand_after, 0, on_hand_after, None, None)  # fmt: skip


def created(inventory_id: str) -> ev.InventoryCreated_V1:
    product_id, _, zone_id = inventory_id.partition("@")
    return ev.InventoryCreated_V1(inventory_id, product_id, zone_id[:3], zone_id)


def test_two_receipts_of_two_billion_park_that_inventory_and_project_the_others(
    url: str, conn: Any
) -> None:
    s = Scenario.fresh()
    poison, healthy = s.inventory(s.w1), s.inventory(s.w2)
    r = s.recorder
    r.record(created(poison), created(healthy))
    r.record(received(poison, TWO_BILLION, TWO_BILLION), received(healthy, 5, 5))
    r.record(received(poison, TWO_BILLION, 2 * TWO_BILLION), received(healthy, 5, 10))
    r.record(received(poison, 1, 2 * TWO_BILLION + 1))
    batch = list(r.envelopes)
    refused = next(e for e in batch if e.meta.aggregate_id == poison and e.meta.sequence_nr == 3)

    applied = isolator(url, "inventory").apply(batch)

    assert (position(conn, poison), position(conn, healthy)) == (2, 3)
    parked = find_parked(conn, poison)
    assert parked is not None
    assert (parked.sequence_nr, parked.event_id, parked.attempts) == (3, refused.meta.event_id, 3)
    assert parked.reason.startswith("NumericValueOutOfRange")
    assert [(p.parked.aggregate_id, p.envelope.meta.event_id) for p in applied.parked] == [
        (poison, refused.meta.event_id)
    ]
    stock = conn.execute(
        "SELECT 現在庫数 FROM 商品別在庫集計 WHERE 商品ID = %s", (s.product,)
    ).fetchone()
    assert stock == (TWO_BILLION + 10,)  # exact: the refused receipts counted nowhere


def test_later_events_of_a_parked_aggregate_are_held_not_applied(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    poison, healthy = s.inventory(s.w1), s.inventory(s.w2)
    r = s.recorder
    r.record(created(poison), created(healthy), received(poison, TWO_BILLION, TWO_BILLION))
    r.record(received(poison, TWO_BILLION, 2 * TWO_BILLION))
    isolator(url, "inventory").apply(r.envelopes)
    first = len(r.envelopes)
    r.record(received(poison, 1, 1), received(healthy, 7, 7))

    later = isolator(url, "inventory").apply(r.envelopes[first:])

    assert (position(conn, poison), position(conn, healthy)) == (2, 2)
    assert set(later.held) == {poison} and later.parked == []
    assert find_parked(conn, poison) is not None


def test_a_bulk_ledger_value_beyond_integer_is_refused_not_wrapped(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    r = s.recorder
    fillers = [f"{s.product[:-3]}{i:03d}@{s.w1}-01" for i in range(bulk.COPY_THRESHOLD)]
    for inventory in fillers:
        r.record(created(inventory), received(inventory, 5, 5))
    poison = s.inventory(s.w2)
    product_id, _, zone_id = poison.partition("@")
    # +2**32+5 then -(2**32-1): binary COPY would store +5 and +1, the 在庫 row 6 fits
    r.record(created(poison), received(poison, 2**32 + 5, 2**32 + 5))
    r.record(ev.StockIssued_V1(poison, product_id, zone_id[:3], zone_id, 2**32 - 1, None, 6, 0, 6,
                               None, None))  # fmt: skip

    isolator(url, "inventory").apply(r.envelopes)

    assert position(conn, fillers[0]) == 2 and position(conn, poison) == 1
    parked = find_parked(conn, poison)
    assert parked is not None and parked.sequence_nr == 2
    ledger = conn.execute("SELECT count(*) FROM 受払履歴 WHERE 在庫ID = %s", (poison,)).fetchone()
    assert ledger == (0,)


@dataclass(frozen=True)
class Poison:
    aggregate_type: str
    build: Callable[[], tuple[Recorder, str, str]]  # events, the poison aggregate, a healthy one
    reason: str


def _product(product_id: str, name: str = "緑茶") -> ProductCreated_V1:
    return ProductCreated_V1(product_id, name, "SKU-1", Category.FOOD, StorageCondition.AMBIENT,
                             "本", "", 100, ProductStatus.ACTIVE)  # fmt: skip


def _fresh_product() -> str:
    return f"PRD-{uuid.uuid4().int % 10**9:09d}"


def _products(bad: ProductCreated_V1) -> tuple[Recorder, str, str]:
    r, good = Recorder(), _fresh_product()
    r.record(bad, _product(good))
    return r, bad.product_id, good


def _full_width_digits() -> tuple[Recorder, str, str]:
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    digits = f"{uuid.uuid4().int % 10**9:09d}".translate(wide)
    return _products(_product(f"PRD-{digits}"))


def _nul_in_text() -> tuple[Recorder, str, str]:
    return _products(_product(_fresh_product(), "緑\x00茶"))


def _too_long_inventory_id() -> tuple[Recorder, str, str]:
    long_product = f"PRD-{uuid.uuid4().int % 10**30:030d}"
    good = Scenario.fresh().inventory(unique_warehouse())
    r = Recorder()
    r.record(created(f"{long_product}@TKY-01"), created(good))
    return r, f"{long_product}@TKY-01", good


def _floor_area_beyond_numeric() -> tuple[Recorder, str, str]:
    bad, good = unique_warehouse(), unique_warehouse()
    r = Recorder()
    r.record(WarehouseCreated_V1(bad, "巨大倉庫", "東京", 1e12, 10, True),
             WarehouseCreated_V1(good, "倉庫", "大阪", 100.0, 10, True))  # fmt: skip
    return r, bad, good


@dataclass(frozen=True)
class Unknown_V1:
    """An event class no handler knows."""

    product_id: str


def _unknown_event_class() -> tuple[Recorder, str, str]:
    r, bad = Recorder(), _fresh_product()
    r.record(_product(_fresh_product()))
    good = r.envelopes[0].meta.aggregate_id
    meta = EventMeta(
        event_id=uuid.uuid4().hex,
        aggregate_id=bad,
        sequence_nr=1,
        occurred_at=dt.datetime.now(dt.UTC),
        causation_id="c",
        correlation_id="c",
    )
    r.envelopes.append(EventEnvelope(meta, Unknown_V1(bad)))
    return r, bad, good


POISONS = {
    "non-ASCII digits": Poison("product", _full_width_digits, "CheckViolation"),
    "NUL in text": Poison("product", _nul_in_text, "DataError"),
    "id longer than its varchar": Poison("inventory", _too_long_inventory_id,
                                         "StringDataRightTruncation"),
    "floor area beyond numeric(10,2)": Poison("warehouse", _floor_area_beyond_numeric,
                                              "NumericValueOutOfRange"),
    "unknown event class": Poison("product", _unknown_event_class, "UnprojectableEventError"),
}  # fmt: skip


@pytest.mark.parametrize("poison", POISONS.values(), ids=list(POISONS))
def test_each_value_the_read_model_refuses_parks_only_its_aggregate(
    url: str, conn: Any, poison: Poison
) -> None:
    recorder, bad, good = poison.build()

    applied = isolator(url, poison.aggregate_type).apply(recorder.envelopes)

    assert position(conn, good) == 1
    assert position(conn, bad) is None  # a claim at 0 is never committed
    parked = find_parked(conn, bad)
    assert parked is not None and parked.sequence_nr == 1
    assert parked.reason.startswith(poison.reason), parked.reason
    assert [p.parked.aggregate_id for p in applied.parked] == [bad]


def test_a_gap_the_event_store_cannot_fill_parks_after_bounded_queries(url: str, conn: Any) -> None:
    s = Scenario.fresh()
    lonely, healthy = s.inventory(s.w1), s.inventory(s.w2)
    s.recorder.record(created(lonely), created(healthy), received(lonely, 5, 5))
    s.recorder.record(received(lonely, 5, 10))
    store = CountingStore()  # holds nothing: the gap 1..2 cannot be filled
    late = [e for e in s.recorder.envelopes if e.meta.aggregate_id == healthy or
            e.meta.sequence_nr == 3]  # fmt: skip

    isolator(url, "inventory", store).apply(late)
    queries = store.queries
    isolator(url, "inventory", store).apply(late)  # redelivered: parked, no Query again

    assert position(conn, healthy) == 1
    parked = find_parked(conn, lonely)
    assert parked is not None and parked.reason.startswith("GapError")
    assert parked.sequence_nr == 1  # the first event not applied
    assert 1 <= queries <= 5 and store.queries == queries


class CountingStore(InMemoryEventStore):
    """An event store that counts the reads of history (a Query on DynamoDB)."""

    def __init__(self) -> None:
        super().__init__()
        self.queries = 0

    def load_events(self, *args: Any, **kwargs: Any) -> Any:
        self.queries += 1
        return super().load_events(*args, **kwargs)


def test_a_parked_row_names_its_columns_as_the_plan_fixes_them(conn: Any) -> None:
    columns = conn.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = '投影保留' ORDER BY ordinal_position"
    ).fetchall()
    assert columns == [
        ("集約id", "text"), ("集約種別", "text"), ("保留シーケンス番号", "bigint"),
        ("イベントid", "text"), ("理由", "text"), ("試行回数", "integer"),
        ("保留日時", "timestamp with time zone"), ("更新日時", "timestamp with time zone"),
    ]  # fmt: skip
