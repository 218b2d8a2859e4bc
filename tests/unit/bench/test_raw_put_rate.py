"""The raw PutItem rate: every put on a fresh key, ``count`` in all, the median of rounds."""

from __future__ import annotations

from typing import Any

from connectors.dynamodb.putitem import put_rate


class CountingClient:
    """Takes conditional puts like DynamoDB would (a repeated key would be refused)."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def put_item(self, **request: Any) -> dict[str, Any]:
        assert request["ConditionExpression"] == "attribute_not_exists(seq_nr)"
        self.keys.append(request["Item"]["aggregate_id"]["S"])
        return {}


def test_count_puts_in_all_each_on_its_own_key() -> None:
    client = CountingClient()
    assert put_rate(client, "bench-table", 2000) > 0
    assert len(client.keys) == 2000
    assert len(set(client.keys)) == 2000


def test_fewer_puts_than_rounds_still_measures() -> None:
    client = CountingClient()
    assert put_rate(client, "bench-table", 2, rounds=3) > 0
    assert len(client.keys) == 2
