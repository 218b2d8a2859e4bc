"""Row mapping (Postgres and cached JSON alike), tokens, and what errors reveal."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest
from graphql import GraphQLError

from query_gateway import rows
from query_gateway.consistency import checked_token
from query_gateway.errors import Code, GatewayError, format_error


def test_postgres_and_cached_rows_map_to_the_same_fields() -> None:
    at = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)
    from_pg = {
        "倉庫コード": "TKY",
        "倉庫名": "東京倉庫",
        "延べ床面積": Decimal("5000.50"),
        "作成日時": at,
        "更新日時": at,
    }
    cached = {k: rows.jsonable(v) for k, v in from_pg.items()}
    assert (
        rows.english(from_pg, rows.WAREHOUSE)
        == rows.english(cached, rows.WAREHOUSE)
        == {
            "code": "TKY",
            "name": "東京倉庫",
            "floor_area": 5000.5,
            "created_at": at,
            "updated_at": at,
        }
    )


def test_zone_ids_split_into_warehouse_and_number() -> None:
    assert rows.split_zone_id("TKY-01") == ("TKY", "01")
    for bad in ("TKY01", "tk-01", "TKY-1", "TKY-0a"):
        with pytest.raises(ValueError):
            rows.split_zone_id(bad)


def test_a_consistency_token_names_an_aggregate_and_a_version() -> None:
    token = checked_token("PRD-000001@TKY-01:7")
    assert (token.aggregate_id, token.version) == ("PRD-000001@TKY-01", 7)
    for bad in ("PRD-000001", "PRD-000001:0", ":3", "PRD-000001:x", "X:²", "TKY:１"):
        with pytest.raises(GatewayError) as raised:
            checked_token(bad)
        assert raised.value.code is Code.VALIDATION_ERROR
        assert raised.value.extensions["field"] == "consistencyToken"  # type: ignore[index]


def test_an_unexpected_exception_reaches_the_client_as_internal_error_only() -> None:
    leaked = GraphQLError("boom", original_error=RuntimeError("password=secret in SQL"))
    body = format_error(leaked)
    assert body == {"message": "internal error", "extensions": {"code": "INTERNAL_ERROR"}}


def test_typed_errors_keep_their_code_and_details() -> None:
    error = GraphQLError(
        "x", original_error=GatewayError(Code.NOT_FOUND, "gone", id="P"), path=["a"]
    )
    assert format_error(error) == {
        "message": "gone",
        "path": ["a"],
        "extensions": {"code": "NOT_FOUND", "id": "P"},
    }


def test_the_query_gateway_imports_no_domain_and_no_command_gateway() -> None:
    code = (
        "import sys, query_gateway.app, query_gateway.main, query_gateway.sdl;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('domain', 'command_gateway')"
        " or m.startswith('connectors.redis')]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
