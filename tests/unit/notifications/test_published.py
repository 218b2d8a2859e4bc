"""A published notification is counted by kind and state and logged as one structured line."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import REGISTRY

from connectors.notifications import outgoing, published
from connectors.notifications.parked import parked_cleared, parked_raised
from schemas import INVENTORY_NOTIFICATIONS_TOPIC, decode_notification


def count(kind: str, state: str) -> float:
    labels = {"kind": kind, "state": state}
    return REGISTRY.get_sample_value("zaiko_notifications_total", labels) or 0.0


def test_publishing_counts_the_kind_and_state_and_logs_one_line_with_its_fields(
    caplog: pytest.LogCaptureFixture,
) -> None:
    raised = parked_raised("PRD-000001@TKY-01", "inventory", "evt-9", "GapError: seq 3")
    before = count("AGGREGATE_PARKED", "RAISED")
    with caplog.at_level(logging.INFO, logger="connectors.notifications.records"):
        published(raised)
    assert count("AGGREGATE_PARKED", "RAISED") == before + 1
    [line] = caplog.records
    fields = line.fields  # type: ignore[attr-defined]
    assert fields["event"] == "notification" and fields["notification_id"] == raised.notification_id
    assert (fields["kind"], fields["state"], fields["subject"]) == (
        "AGGREGATE_PARKED", "RAISED", "PRD-000001@TKY-01"
    )  # fmt: skip
    assert line.levelno == logging.WARNING and "集約の停止発生" in line.getMessage()


def test_the_message_is_keyed_by_subject_and_typed_like_every_other_record() -> None:
    cleared = parked_cleared("PRD-000001@TKY-01", "inventory", "evt-9")
    topic, key, value, headers = outgoing(cleared)
    assert (topic, key) == (INVENTORY_NOTIFICATIONS_TOPIC, b"PRD-000001@TKY-01")
    assert headers == {"zaiko-message-type": b"zaiko.alerts.Notification"}
    assert decode_notification(value) == cleared
    raised = parked_raised("PRD-000001@TKY-01", "inventory", "evt-9", "other words")
    assert raised.notification_id != cleared.notification_id
    assert raised.notification_id == parked_raised("PRD-000001@TKY-01", "inventory", "evt-9",
                                                   "GapError").notification_id  # fmt: skip
