"""The business day: deterministic, a realistic mix, and outcomes the author expects."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from simulation.day import Day, DaySpec, generate_day
from simulation.masterdata import generate
from simulation.model import MasterData, MasterDataSpec
from simulation.movement import ACCEPTED, CLOSE_S, OPEN_S, Movement
from tests.unit.simulation.replay import replay


@pytest.fixture(scope="module")
def data() -> MasterData:
    return generate(MasterDataSpec(seed=11, products=600, customers=86))


@pytest.fixture(scope="module")
def day(data: MasterData) -> Day:
    return generate_day(data, DaySpec(seed=11, day=1, movements=2000))


def test_the_same_inputs_give_the_same_day(data: MasterData, day: Day) -> None:
    assert generate_day(data, DaySpec(seed=11, day=1, movements=2000)) == day
    assert [m.command_id for m in generate_day(data, DaySpec(seed=11, day=1)).movements] == [
        m.command_id for m in day.movements
    ]


def test_another_day_has_other_command_and_reservation_ids(data: MasterData, day: Day) -> None:
    other = generate_day(data, DaySpec(seed=11, day=2, movements=2000))
    assert not {m.command_id for m in other.movements} & {m.command_id for m in day.movements}
    refs = {m.fields.get("reservation_id") for m in day.movements} - {None}
    assert not refs & {m.fields.get("reservation_id") for m in other.movements}


def test_a_day_has_the_asked_number_of_movements_in_business_hours(day: Day) -> None:
    assert len(day.movements) == 2000
    assert len({m.command_id for m in day.movements}) == 2000
    assert all(OPEN_S <= m.at_s <= CLOSE_S for m in day.movements)
    assert [m.at_s for m in day.movements] == sorted(m.at_s for m in day.movements)


def test_the_mix_covers_every_movement_channel_warehouse_and_category(day: Day) -> None:
    commands = Counter(m.command for m in day.movements)
    shares = {c: n / len(day.movements) for c, n in commands.items()}
    assert 0.22 < shares["ReserveStock"] < 0.36
    assert 0.25 < shares["IssueStock"] < 0.42
    assert 0.12 < shares["ReceiveStock"] < 0.24
    assert 0.02 < shares["ReleaseStock"] < 0.06
    assert 0.03 < shares["TransferStockOut"] < 0.10
    assert 0.05 < shares["AdjustStock"] < 0.13
    assert {m.channel for m in day.movements} == {
        "スーパー", "コンビニ", "飲食店", "小売店", "仕入", "倉庫間移動", "在庫管理",
    }  # fmt: skip
    warehouses = Counter(m.warehouse_id for m in day.movements)
    assert warehouses["TKY"] > warehouses["OSK"] > warehouses["FUK"] > 0
    assert {m.zone_type for m in day.movements} == {"常温", "冷蔵", "冷凍"}
    assert {m.category for m in day.movements} == {"食品類", "日用品"}


def test_receipts_come_in_the_morning_and_stock_counts_in_the_evening(day: Day) -> None:
    receipts = [m.at_s for m in day.movements if m.command == "ReceiveStock" and m.kind == "normal"]
    counts = [m.at_s for m in day.movements if m.fields.get("reason") == "棚卸差異"]
    assert sorted(receipts)[len(receipts) // 2] < 12 * 3600
    assert min(counts) >= 17 * 3600


def test_anomalies_of_every_kind_are_planned(day: Day) -> None:
    kinds = Counter(m.kind for m in day.movements)
    assert kinds["shortage"] == 20 and kinds["violation"] == 10
    assert kinds["competing"] >= 15 and kinds["misplaced-transfer"] >= 1
    assert generate_day(day_data(), DaySpec(movements=200, anomalies=False)).movements
    assert not [m for m in generate_day(day_data(), DaySpec(anomalies=False)).movements
                if m.kind != "normal"]  # fmt: skip


def day_data() -> MasterData:
    return generate(MasterDataSpec(seed=11, products=600, customers=86))


def test_competing_reservations_target_an_inventory_nothing_else_touches(day: Day) -> None:
    contests: dict[str, list[Movement]] = defaultdict(list)
    for m in day.movements:
        if m.contest:
            contests[m.contest].append(m)
    contested = {ms[0].aggregate_id for ms in contests.values()}
    for members in contests.values():
        assert 3 <= len(members) <= 4
        assert len({m.aggregate_id for m in members}) == 1
        assert len({m.channel for m in members}) == len(members)
    assert not [m for m in day.movements if m.aggregate_id in contested and not m.contest]


def test_in_time_order_every_outcome_is_the_expected_one(data: MasterData, day: Day) -> None:
    _assert_expected(day, replay(data, day.movements))


def test_any_interleaving_of_the_channels_gives_the_same_outcomes(
    data: MasterData, day: Day
) -> None:
    """Channels are separate producers: Zaiko keeps each one's order, not theirs."""
    rng = random.Random(5)
    queues: dict[str, list[Movement]] = defaultdict(list)
    for m in day.movements:
        queues[m.channel].append(m)
    shuffled: list[Movement] = []
    while queues:
        channel = rng.choice(sorted(queues))
        shuffled.append(queues[channel].pop(0))
        if not queues[channel]:
            del queues[channel]
    _assert_expected(day, replay(data, shuffled))


def _assert_expected(day: Day, outcomes: dict[str, str]) -> None:
    winners: Counter[str] = Counter()
    for m in day.movements:
        got = outcomes[m.command_id]
        if m.contest:
            assert got in (ACCEPTED, m.expect), m
            winners[m.contest] += got == ACCEPTED
        else:
            assert got == m.expect, (m, got)
    assert winners and set(winners.values()) == {1}
