"""``zaiko alerts tail --notifications``: kinds asked for, filter, and how a row reads."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from rich.console import Console

from connectors.notifications import notification
from connectors.notifications.tail import (
    NotificationFilter,
    notification_json,
    notification_row,
    parse_kinds,
)
from schemas import Notification, NotificationKind, NotificationState, decode_notification, encode

AT = dt.datetime(2026, 12, 7, 0, 35, tzinfo=dt.UTC)


def a_notification(state: NotificationState = NotificationState.RAISED) -> Notification:
    return notification(NotificationKind.SITE_SILENT, state, "TKY", "1000.0",
                        "倉庫 TKY から 1900 秒コマンドがありません", warehouse_id="TKY",
                        observed=1900.0, threshold=1800.0, at=AT)  # fmt: skip


def test_kinds_are_named_in_english_or_japanese_repeated_or_comma_separated() -> None:
    assert parse_kinds(["引当失敗,site_silent", "AGGREGATE_PARKED"]) == {
        NotificationKind.ALLOCATION_FAILED,
        NotificationKind.SITE_SILENT,
        NotificationKind.AGGREGATE_PARKED,
    }
    assert parse_kinds([]) == frozenset()
    with pytest.raises(ValueError, match="unknown notification kind 'LATE'"):
        parse_kinds(["LATE"])


def test_the_filter_keeps_notifications_since_the_start_and_of_the_kinds_asked_for() -> None:
    n = a_notification()
    assert NotificationFilter().keeps(0, n)
    assert not NotificationFilter(since_ms=1_000).keeps(999, n)
    assert NotificationFilter(kinds=frozenset({NotificationKind.SITE_SILENT})).keeps(0, n)
    assert not NotificationFilter(kinds=frozenset({NotificationKind.AGGREGATE_PARKED})).keeps(0, n)


def test_a_notification_survives_its_avro_encoding_and_reads_as_a_json_line() -> None:
    n = a_notification()
    assert decode_notification(encode(n)) == n
    document = json.loads(notification_json(n))
    assert (document["kind"], document["state"], document["subject"]) == (
        "SITE_SILENT",
        "RAISED",
        "TKY",
    )
    assert document["title"] == "拠点死活発生" and document["threshold"] == 1800.0


def test_a_row_shows_japanese_headers_once_kind_state_and_the_time_in_japan() -> None:
    out = io.StringIO()
    console = Console(file=out, width=200, color_system=None)
    console.print(notification_row(a_notification(), header=True))
    console.print(notification_row(a_notification(NotificationState.CLEARED), header=False))
    text = out.getvalue()
    assert text.count("発生日時 (JST)") == 1 and text.count("拠点死活") == 2
    assert "発生" in text and "解消" in text and "内容" in text
    assert "2026-12-07 09:35:00" in text  # 00:35 UTC is 09:35 in Tokyo
