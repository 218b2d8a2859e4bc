"""Cursors, page sizes and keyset conditions."""

from __future__ import annotations

import datetime as dt

import pytest

from query_gateway.errors import Code, GatewayError
from query_gateway.pagination import Keyset, checked_page_size, decode_cursor, encode_cursor
from query_gateway.settings import QueryGatewaySettings


def test_a_cursor_round_trips_its_sort_key() -> None:
    at = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)
    cursor = encode_cursor([at, "受払-1"])
    assert decode_cursor(cursor, 2) == [at.isoformat(), "受払-1"]


@pytest.mark.parametrize("cursor", ["not-base64!", encode_cursor(["a"]), "e30="])
def test_a_foreign_cursor_is_a_validation_error(cursor: str) -> None:
    with pytest.raises(GatewayError) as raised:
        decode_cursor(cursor, 2)
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
