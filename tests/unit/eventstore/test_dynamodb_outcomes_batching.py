"""Batched outcome writes resend what DynamoDB leaves unprocessed, 25 items per call."""

from __future__ import annotations

from typing import Any

from connectors.eventstore.dynamodb_outcomes import DynamoDBOutcomeStore
from tests.contract.outcome_store_contract import accepted


class ThrottlingClient:
    """Answers BatchGetItem with nothing found and leaves one item unprocessed per write."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.write_calls = 0

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        return {"Responses": {"t": []}}

    def batch_write_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.write_calls += 1
        requests = RequestItems["t"]
        assert len(requests) <= 25
        done, left = (requests[:-1], requests[-1:]) if len(requests) > 1 else (requests, [])
        self.written += [r["PutRequest"]["Item"]["command_id"]["S"] for r in done]
        return {"UnprocessedItems": {"t": left}} if left else {}


def test_unprocessed_items_are_resent_until_all_are_written() -> None:
    client = ThrottlingClient()
    batch = [accepted() for _ in range(30)]
    assert DynamoDBOutcomeStore(client, "t").record_outcomes(batch) == batch
    assert sorted(client.written) == sorted(o.command_id for o in batch)
    assert client.write_calls == 4  # 25 + its leftover, 5 + its leftover
