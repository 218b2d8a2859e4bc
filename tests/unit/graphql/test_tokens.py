"""Consistency tokens are parsed strictly, and their id formats follow the domain's."""

from __future__ import annotations

import pytest

from connectors.graphql.tokens import MAX_VERSION, MalformedTokenError, format_token, parse_token
from domain.ids import CustomerId, InventoryId, ProductId, WarehouseId, ZoneId


@pytest.mark.parametrize(
    "text",
    ["PRD-000001:1", "PRD-000001@TKY-01:7", "CUS-0001:3", "TKY:2", "TKY-01:12",
     f"PRD-123456:{MAX_VERSION}"],
)  # fmt: skip
def test_a_token_the_command_api_writes_round_trips(text: str) -> None:
    token = parse_token(text)
    assert format_token(token.aggregate_id, token.version) == str(token) == text


@pytest.mark.parametrize(
    "text",
    ["X:²", "PRD-000001:²", "PRD-000001:١", "PRD-１２３４５６:1", "PRD-000001:0",
     "PRD-000001:-1", "PRD-000001:+1", "PRD-000001: 1", "PRD-000001:1 ", "PRD-000001:",
     ":1", "PRD-000001", f"PRD-000001:{MAX_VERSION + 1}", "PRD-000001:" + "9" * 30,
     "prd-000001:1", "TKY-1:1", "CMP-0001:1", "PRD-000001@TKY:1", "a" * 65 + ":1",
     "PRD-000001:1:2", "PRD-000001\x00:1", ""],
)  # fmt: skip
def test_anything_else_is_malformed(text: str) -> None:
    with pytest.raises(MalformedTokenError):
        parse_token(text)


@pytest.mark.parametrize(
    ("kind", "value"),
    [(ProductId, "PRD-000001"), (CustomerId, "CUS-0001"), (WarehouseId, "TKY"),
     (ZoneId, "TKY-01"), (InventoryId, "PRD-000001@TKY-01")],
)  # fmt: skip
def test_every_aggregate_id_the_domain_accepts_makes_a_token(kind: type, value: str) -> None:
    assert kind(value) == value
    assert parse_token(f"{value}:1").aggregate_id == value


@pytest.mark.parametrize("digits", range(0, 16))
def test_token_ids_accept_exactly_the_domain_ids(digits: int) -> None:
    number = "1" * digits
    kinds = (ProductId, CustomerId, WarehouseId, ZoneId, InventoryId)
    for value in (f"PRD-{number}", f"CUS-{number}", f"PRD-{number}@TKY-01", f"TKY-{number}"):
        domain = any(kind.pattern.fullmatch(value) for kind in kinds)
        assert domain == _parses(f"{value}:1"), value


def _parses(text: str) -> bool:
    try:
        parse_token(text)
    except MalformedTokenError:
        return False
    return True
