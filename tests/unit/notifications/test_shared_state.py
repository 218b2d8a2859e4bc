"""Notification state in Redis: one evaluator at a time, and restarts continue, never repeat."""

from __future__ import annotations

import redis

from connectors.notifications import (
    AllocationWatch,
    Answered,
    BusinessHours,
    Evaluator,
    SharedState,
    SiteWatch,
    ThresholdTracker,
)
from schemas import Notification

ALL_DAY = BusinessHours.parse("00:00-24:00", range(7))
INV = "PRD-000001@TKY-01"


def evaluator(client: redis.Redis, name: str, window_s: float = 10.0) -> Evaluator:
    shared = SharedState(client, "worker", name, prefix="test")
    return Evaluator(shared, ThresholdTracker(5.0, window_s), 1.0, SiteWatch(60.0, ALL_DAY))


def published(found: list[Notification]) -> list[tuple[str, str, str]]:
    return [(n.kind.value, n.state.value, n.subject) for n in found]


def test_only_the_lease_holder_evaluates_until_its_lease_runs_out(client: redis.Redis) -> None:
    a, b = (SharedState(client, "worker", name, prefix="test") for name in ("a", "b"))
    assert a.lead(60) and not b.lead(60) and a.lead(60)
    client.delete(a.leader_key)  # as if a's lease expired (a died)
    assert b.lead(60) and not a.lead(60)


def test_two_workers_raise_one_delay_and_a_restarted_one_clears_it_once(
    client: redis.Redis,
) -> None:
    first, second = evaluator(client, "w1"), evaluator(client, "w2")
    changes = []
    for now in range(1000, 1015):
        for e, late in ((first, 9.0), (second, 0.5)):  # the worst of the two counts
            r = e.round({"command-outcome": late}, float(now))
            changes += r.notifications
            r.commit()
    assert published(changes) == [("PROCESSING_DELAYED", "RAISED", "command-outcome")]
    assert changes[0].observed == 9.0 and changes[0].threshold == 5.0
    client.delete(first.shared.leader_key)  # first dies; a new worker takes over
    restarted = evaluator(client, "w3")
    cleared = []
    for now in range(1020, 1040):
        r = restarted.round({"command-outcome": 0.2}, float(now))
        cleared += r.notifications
        r.commit()
        second.round({}, float(now)).commit()  # second reports nothing: only w3 counts
    assert published(cleared) == [("PROCESSING_DELAYED", "CLEARED", "command-outcome")]


def test_a_silent_warehouse_is_raised_once_and_cleared_when_it_speaks(client: redis.Redis) -> None:
    e = evaluator(client, "w1")
    e.shared.touch_sites({"TKY": 1000.0, "OSK": 1000.0})
    e.shared.touch_sites({"TKY": 999.0})  # an older time never moves it back
    found = []
    for now in (1030.0, 1061.0, 1062.0):
        r = e.round({}, now)
        found += r.notifications
        r.commit()
    assert sorted(published(found)) == [("SITE_SILENT", "RAISED", "OSK"),
                                        ("SITE_SILENT", "RAISED", "TKY")]  # fmt: skip
    e.shared.touch_sites({"TKY": 1070.0})
    r = evaluator(client, "restarted").round({}, 1071.0)  # the lease is w1's still
    assert r.notifications == []
    client.delete(e.shared.leader_key)
    r = evaluator(client, "restarted").round({}, 1071.0)
    r.commit()
    assert published(r.notifications) == [("SITE_SILENT", "CLEARED", "TKY")]
    assert r.notifications[0].notification_id != found[0].notification_id


def test_an_allocation_failure_is_raised_once_and_cleared_by_the_next_accepted_reservation(
    client: redis.Redis,
) -> None:
    shared = SharedState(client, "worker", "w1", prefix="test")
    short = Answered("c-1", "ReserveStock", INV, False, "RESERVATION_EXCEEDS_ON_HAND", "5 > 2")
    again = Answered("c-2", "ReserveStock", INV, False, "RESERVATION_EXCEEDS_ON_HAND", "5 > 2")
    found, closing = AllocationWatch(shared).notice([short, again])
    [raised] = found
    assert (raised.state, raised.code, raised.product_id, raised.warehouse_id, raised.zone_id) == (
        "RAISED",
        "RESERVATION_EXCEEDS_ON_HAND",
        "PRD-000001",
        "TKY",
        "TKY-01",
    ) and closing == []
    redelivered, _ = AllocationWatch(shared).notice([short])  # a restarted worker
    assert [n.notification_id for n in redelivered] == [raised.notification_id]
    other = Answered("c-3", "ReceiveStock", INV, True)
    ok = Answered("c-4", "ReserveStock", INV, True)
    found, closing = AllocationWatch(shared).notice([other, ok, ok])
    assert [(n.state, n.subject) for n in found] == [("CLEARED", INV)] and closing == [INV]
    shared.close_allocations(closing)
    assert AllocationWatch(shared).notice([ok]) == ([], [])  # no CLEARED without a RAISED


def test_refusals_that_are_not_allocation_failures_are_not_notified(client: redis.Redis) -> None:
    shared = SharedState(client, "worker", "w1", prefix="test")
    dup = Answered("c-1", "ReserveStock", INV, False, "DUPLICATE_RESERVATION")
    issue = Answered("c-2", "IssueStock", INV, False, "INSUFFICIENT_STOCK")
    storage = Answered("c-3", "ReceiveStock", INV, False, "STORAGE_CONDITION_VIOLATION")
    found, _ = AllocationWatch(shared).notice([dup, issue, storage])
    assert [(n.code, n.state) for n in found] == [("STORAGE_CONDITION_VIOLATION", "RAISED")]


def test_a_batch_of_many_reservations_costs_two_redis_calls_not_one_per_command(
    client: redis.Redis,
) -> None:
    calls: list[str] = []
    execute = client.execute_command

    def counted(*args: object, **options: object) -> object:
        calls.append(str(args[0]))
        return execute(*args, **options)

    client.execute_command = counted  # type: ignore[method-assign]
    watch = AllocationWatch(SharedState(client, "worker", "w1", prefix="test"))
    inventories = [f"PRD-{n:06d}@TKY-01" for n in range(1, 201)]
    batch = [Answered(f"c-{i}", "ReserveStock", inv, i % 2 == 0,
                      None if i % 2 == 0 else "RESERVATION_EXCEEDS_ON_HAND")
             for i, inv in enumerate(inventories)]  # fmt: skip
    raised, _ = watch.notice(batch)
    assert len(raised) == 100 and calls == ["HMGET", "HSET"]
    calls.clear()
    later = [Answered(f"d-{i}", "ReserveStock", inv, True) for i, inv in enumerate(inventories)]
    cleared, closing = watch.notice(later)
    assert len(cleared) == len(closing) == 100 and calls == ["HMGET"]


def test_a_raised_delay_nobody_reports_any_more_stays_raised_until_measured_again(
    client: redis.Redis,
) -> None:
    e = evaluator(client, "p1", window_s=0.0)
    found = []
    for now, seen in ((1000.0, {"projection:inventory": 9.0}), (1001.0, {}), (1050.0, {})):
        r = e.round(seen, now)  # its only projector died after the first round
        found += r.notifications
        r.commit()
    assert published(found) == [("PROCESSING_DELAYED", "RAISED", "projection:inventory")]
    r = e.round({"projection:inventory": 0.3}, 1060.0)
    r.commit()
    assert published(r.notifications) == [("PROCESSING_DELAYED", "CLEARED", "projection:inventory")]
