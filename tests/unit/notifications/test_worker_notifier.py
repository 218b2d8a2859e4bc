"""The worker's notifier: a transfer IN leg its zone refuses is an 引当失敗; Redis down is quiet."""

from __future__ import annotations

import redis

from connectors.eventstore.port import CommandOutcome
from connectors.notifications import BusinessHours, Evaluator, SharedState, ThresholdTracker
from connectors.notifications.shared import notification_client
from streams.notify import WorkerNotifier
from streams.transfers.manager import Drive, Settlement
from streams.transfers.model import Transfer

SOURCE, DESTINATION = "PRD-000001@TKY-01", "PRD-000001@OSK-02"


def notifier(client: redis.Redis) -> WorkerNotifier:
    shared = SharedState(client, "worker", "w1", prefix="test")
    return WorkerNotifier(shared, Evaluator(shared, ThresholdTracker(5, 0), 1.0), topic=None)


def outcome(command_id: str, inventory_id: str, code: str | None = None) -> CommandOutcome:
    status = "ACCEPTED" if code is None else "REJECTED"
    text = "frozen product refused by AMBIENT zone" if code else None
    return CommandOutcome(command_id, inventory_id, "inventory", status, None, (), code, text, 0)


def drive(*outcomes: CommandOutcome) -> Drive:
    return Drive(Transfer("TRF-1", SOURCE), Settlement.COMPENSATED, outcomes)


def test_an_in_leg_the_destination_zone_refuses_raises_and_a_later_accepted_one_clears(
    client: redis.Redis,
) -> None:
    refused = drive(outcome("in-1", DESTINATION, "STORAGE_CONDITION_VIOLATION"),
                    outcome("compensate-1", SOURCE))  # fmt: skip
    notices = notifier(client).notice_transfer_legs([refused])
    [raised] = notices.notifications
    assert (raised.subject, raised.state, raised.code) == (
        DESTINATION, "RAISED", "STORAGE_CONDITION_VIOLATION"
    )  # fmt: skip
    assert (raised.warehouse_id, raised.zone_id) == ("OSK", "OSK-02")
    placed = notifier(client).notice_transfer_legs([drive(outcome("in-2", DESTINATION))])
    assert [(n.subject, n.state) for n in placed.notifications] == [(DESTINATION, "CLEARED")]
    assert placed.closing == [DESTINATION]


def test_with_redis_unreachable_a_batch_gets_no_notifications_and_no_error() -> None:
    down = notification_client("redis://127.0.0.1:9/0", timeout_s=0.2)  # nothing listens
    watch = notifier(down)
    refused = drive(outcome("in-1", DESTINATION, "STORAGE_CONDITION_VIOLATION"))
    assert watch.notice_transfer_legs([refused]).notifications == []
    assert watch.notice_transfer_legs([refused]).notifications == []  # paused: no new timeout


def test_business_hours_default_to_weekdays_eight_to_eight() -> None:
    assert BusinessHours() == BusinessHours.parse("08:00-20:00", [0, 1, 2, 3, 4])
