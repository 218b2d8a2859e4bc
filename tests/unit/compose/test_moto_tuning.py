"""moto's base-table Query limited to one hash key: same answers, cost independent of size."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table

from compose.moto_tuning import install
from connectors.dynamodb.tables import JOURNAL, OUTCOMES

JOURNAL_TABLE, OUTCOMES_TABLE = JOURNAL.name("t-"), OUTCOMES.name("t-")
AGGREGATES, ENTRIES = 30, 10


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    install()
    with mock_aws():
        c = boto3.client("dynamodb", region_name="ap-northeast-1")
        for spec in (JOURNAL, OUTCOMES):
            c.create_table(**spec.create_kwargs("t-"))
        for a in range(AGGREGATES):
            for seq in range(1, ENTRIES + 1):
                c.put_item(TableName=JOURNAL_TABLE, Item={
                    "aggregate_id": {"S": f"INV-{a:03d}"}, "seq_nr": {"N": str(seq)},
                    "last_seq_nr": {"N": str(seq)}, "command_id": {"S": f"c-{a}-{seq}"},
                    "pad": {"S": "x" * (seq * 40)}})  # fmt: skip
            outcome = {"command_id": {"S": f"c-{a}"}, "status": {"S": "ACCEPTED"}}
            c.put_item(TableName=OUTCOMES_TABLE, Item=outcome)
        yield c


def _pages(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every page of a Query, following LastEvaluatedKey (metadata dropped)."""
    pages = []
    while True:
        page = {k: v for k, v in client.query(**kwargs).items() if k != "ResponseMetadata"}
        pages.append(page)
        if "LastEvaluatedKey" not in page:
            return pages
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _journal(condition: str, values: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"TableName": JOURNAL_TABLE, "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values, **extra}  # fmt: skip


A = {":a": {"S": "INV-007"}}
QUERIES = [
    _journal("aggregate_id = :a", A),
    _journal("aggregate_id = :a", A, ScanIndexForward=False, Limit=1, ConsistentRead=True),
    _journal("aggregate_id = :a AND seq_nr > :v", {**A, ":v": {"N": "4"}}),
    _journal("aggregate_id = :a AND seq_nr <= :v", {**A, ":v": {"N": "9"}},
             ScanIndexForward=False, Limit=1, ProjectionExpression="last_seq_nr"),
    _journal("aggregate_id = :a AND seq_nr BETWEEN :l AND :h",
             {**A, ":l": {"N": "3"}, ":h": {"N": "8"}}, Limit=2),
    _journal("aggregate_id = :a", {**A, ":m": {"N": "6"}}, Limit=3,
             FilterExpression="last_seq_nr >= :m"),
    _journal("aggregate_id = :a", {":a": {"S": "INV-999"}}),  # no such aggregate
    {"TableName": OUTCOMES_TABLE, "KeyConditionExpression": "command_id = :c",
     "ExpressionAttributeValues": {":c": {"S": "c-3"}}},
]  # fmt: skip


@pytest.mark.parametrize("query", QUERIES, ids=range(len(QUERIES)))
def test_a_tuned_query_answers_as_motos_own(
    client: Any, query: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    tuned = _pages(client, **query)
    with monkeypatch.context() as m:
        m.setattr(Table, "query", Table.query.__wrapped__)  # type: ignore[attr-defined]
        own = _pages(client, **query)
    assert tuned == own
    assert sum(p["Count"] for p in tuned) == sum(p["Count"] for p in own)


def test_a_query_no_longer_sorts_the_whole_table(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    comparisons = 0
    less_than = DynamoType.__lt__

    def counting(self: DynamoType, other: DynamoType) -> bool:
        nonlocal comparisons
        comparisons += 1
        return less_than(self, other)

    monkeypatch.setattr(DynamoType, "__lt__", counting)
    query = QUERIES[1]
    client.query(**query)
    tuned, comparisons = comparisons, 0
    monkeypatch.setattr(Table, "query", Table.query.__wrapped__)  # type: ignore[attr-defined]
    client.query(**query)
    # sorting one aggregate's 10 entries against sorting all 300 items
    assert tuned < 4 * ENTRIES < AGGREGATES * ENTRIES < comparisons


def test_install_is_idempotent() -> None:
    install()
    query = Table.query
    install()
    assert Table.query is query
