"""moto's base-table Query limited to one hash key: same answers, cost independent of size."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import boto3
import moto.core.responses as moto_responses
import pytest
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodbstreams.responses import DynamoDBStreamsHandler
from moto.moto_server.werkzeug_app import create_backend_app

from compose.moto_tuning import get_records, install
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


AUTH = ("AWS4-HMAC-SHA256 Credential=k/20260101/ap-northeast-1/dynamodb/aws4_request, "
        "SignedHeaders=host, Signature=0")  # fmt: skip
STREAM_TABLE = JOURNAL.name("s-")
BLOB = {"B": base64.b64encode(b"\x00\x01\xffpayload").decode()}


def _call(app: Any, target: str, body: dict[str, Any]) -> tuple[int, str, Any]:
    """POST one request to a moto backend app; return status, content type and JSON body."""
    reply = app.post("/", data=json.dumps(body), headers={
        "X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0",
        "Authorization": AUTH})  # fmt: skip
    return reply.status_code, reply.headers.get("Content-Type"), json.loads(reply.data)


@pytest.fixture(scope="module")
def streams() -> Iterator[tuple[Any, str, str]]:
    """A journal-shaped table written every way the stream records: the streams app, a shard."""
    install()
    with mock_aws():
        db = create_backend_app("dynamodb").test_client()
        streams = create_backend_app("dynamodbstreams").test_client()
        kwargs = JOURNAL.create_kwargs("s-")
        _call(db, "DynamoDB_20120810.CreateTable", kwargs)
        for a in range(5):
            _call(db, "DynamoDB_20120810.PutItem", {"TableName": STREAM_TABLE, "Item": {
                "aggregate_id": {"S": f"在庫-{a}"}, "seq_nr": {"N": "1"}, "price": {"N": "1.50"},
                "events": {"L": [{"M": {"event_type": {"S": "StockReceived_V1"},
                                        "payload": BLOB}}]},
                "blob": BLOB, "flag": {"BOOL": True}, "none": {"NULL": True},
                "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": [BLOB["B"]]},
                "m": {"M": {"k": {"S": "日本"}, "n": {"M": {"b": BLOB}}}}}})  # fmt: skip
        key = {"aggregate_id": {"S": "在庫-1"}, "seq_nr": {"N": "1"}}
        _call(db, "DynamoDB_20120810.UpdateItem", {
            "TableName": STREAM_TABLE, "Key": key, "UpdateExpression": "SET flag = :f",
            "ExpressionAttributeValues": {":f": {"BOOL": False}}})  # fmt: skip
        _call(db, "DynamoDB_20120810.DeleteItem", {"TableName": STREAM_TABLE, "Key": key})
        table = _call(db, "DynamoDB_20120810.DescribeTable", {"TableName": STREAM_TABLE})[2]
        arn = table["Table"]["LatestStreamArn"]
        described = _call(streams, "DynamoDBStreams_20120810.DescribeStream", {"StreamArn": arn})
        yield streams, described[2]["StreamDescription"]["Shards"][0]["ShardId"], arn


def _read(streams: Any, arn: str, shard: str, limit: int | None) -> list[tuple[int, str, Any]]:
    """Every GetRecords page of the shard from its start (iterators left out: random)."""
    status, _, body = _call(streams, "DynamoDBStreams_20120810.GetShardIterator", {
        "StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"})  # fmt: skip
    iterator, pages = body["ShardIterator"], []
    while True:
        request = {"ShardIterator": iterator} | ({} if limit is None else {"Limit": limit})
        status, kind, page = _call(streams, "DynamoDBStreams_20120810.GetRecords", request)
        iterator = page.pop("NextShardIterator", None)
        pages.append((status, kind, page))
        if status != 200 or not page["Records"]:
            return pages


@pytest.mark.parametrize("limit", [None, 1, 3])
def test_tuned_get_records_answers_as_motos_own(
    streams: tuple[Any, str, str], limit: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, shard, arn = streams
    tuned = _read(app, arn, shard, limit)
    with monkeypatch.context() as m:
        m.setattr(DynamoDBStreamsHandler, "get_records", get_records.__wrapped__)  # type: ignore[attr-defined]
        own = _read(app, arn, shard, limit)
    assert tuned == own
    records = [r for _, _, page in tuned for r in page["Records"]]
    assert [r["eventName"] for r in records] == ["INSERT"] * 5 + ["MODIFY", "REMOVE"]
    assert records[0]["dynamodb"]["NewImage"]["blob"] == BLOB


def test_an_unknown_iterator_fails_as_before(
    streams: tuple[Any, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app, _, arn = streams
    gone = {"ShardIterator": f"{arn}|1|bm90LWFuLWl0ZXJhdG9y"}
    with pytest.raises(KeyError):  # moto's own error: the server answers it with a 500
        _call(app, "DynamoDBStreams_20120810.GetRecords", gone)
    with monkeypatch.context() as m, pytest.raises(KeyError):
        m.setattr(DynamoDBStreamsHandler, "get_records", get_records.__wrapped__)  # type: ignore[attr-defined]
        _call(app, "DynamoDBStreams_20120810.GetRecords", gone)


def test_a_handlers_method_names_are_listed_once() -> None:
    install()
    listed = vars(moto_responses)["method_names_from_class"]
    assert listed(DynamoDBStreamsHandler) is listed(DynamoDBStreamsHandler)
    assert listed(DynamoDBStreamsHandler) == listed.__wrapped__(DynamoDBStreamsHandler)
    assert "get_records" in listed(DynamoDBStreamsHandler)
