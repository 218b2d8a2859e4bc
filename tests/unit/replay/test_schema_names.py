"""Shadow and backup schema names are plain identifiers derived from the live one."""

from __future__ import annotations

import datetime as dt

import pytest

from connectors.replay.schemas import backup_name, shadow_name, with_query


def test_names_derive_from_the_live_schema() -> None:
    assert shadow_name("public") == "public_shadow"
    at = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)
    assert backup_name("public", at) == "public_backup_20260401093000"


def test_a_name_that_would_need_quoting_is_refused() -> None:
    with pytest.raises(ValueError):
        shadow_name('x"; DROP SCHEMA public; --')


def test_the_schema_goes_into_the_url_query() -> None:
    url = with_query("postgresql://u@h:5/db?sslmode=disable", schema="public_shadow")
    assert url == "postgresql://u@h:5/db?sslmode=disable&schema=public_shadow"
