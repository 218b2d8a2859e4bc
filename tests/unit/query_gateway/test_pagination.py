"""Cursors, page sizes and keyset conditions."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from query_gateway.errors import Code, GatewayError
from query_gateway.pagination import Keyset, checked_page_size, decode_cursor, encode_cursor
from query_gateway.settings import QueryGatewaySettings

MOVEMENTS = Keyset(("受払日時", "受払履歴No"), descending=True)


def test_a_cursor_round_trips_its_sort_key() -> None:
    at = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)
    cursor = encode_cursor([at, "受払-1"])
    assert decode_cursor(cursor, MOVEMENTS) == [at, "受払-1"]


def _raw(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        encode_cursor(["a"]),
        "e30=",
        encode_cursor(["yesterday", "受払-1"]),  # not a timestamp
        encode_cursor(["2026-04-01T09:30:00", "受払-1"]),  # no time zone
        encode_cursor(["2026-04-01T09:30:00+00:00", 7]),  # not text
        encode_cursor(["2026-04-01T09:30:00+00:00", {"a": 1}]),
        encode_cursor(["2026-04-01T09:30:00+00:00", None]),
        encode_cursor(["2026-04-01T09:30:00+00:00", "a\x00b"]),
        _raw('["2026-04-01T09:30:00+00:00", "\\ud800"]'),  # a lone surrogate
        _raw("[" * 5000 + "]" * 5000),
        _raw("\xff\xfe"),
    ],
)
def test_a_foreign_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(GatewayError) as raised:
        decode_cursor(cursor, MOVEMENTS)
    assert raised.value.code is Code.VALIDATION_ERROR


def test_page_size_defaults_and_is_capped() -> None:
    settings = QueryGatewaySettings(max_page_size=50, default_page_size=20)
    assert checked_page_size(None, settings) == 20
    assert checked_page_size(50, settings) == 50
    for bad in (0, -1, 51):
        with pytest.raises(GatewayError) as raised:
            checked_page_size(bad, settings)
        assert raised.value.extensions == {
            "code": "VALIDATION_ERROR",
            "field": "first",
            "maxPageSize": 50,
        }


def test_descending_keyset_continues_below_the_cursor() -> None:
    keyset = Keyset(("受払日時", "受払履歴No"), descending=True)
    assert keyset.order_by() == '"受払日時" DESC, "受払履歴No" DESC'
    assert keyset.after() == '("受払日時", "受払履歴No") < (%s, %s)'
