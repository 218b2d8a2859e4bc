"""Every DynamoDB call is counted: boto3's clients (on moto) and the wire client (scripted)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from moto import mock_aws
from prometheus_client import REGISTRY

from connectors.dynamodb.metrics import instrument, outcome_of
from tests.unit.eventstore.test_wire_client import (  # noqa: F401 (the fixture)
    Endpoint,
    client_for,
    endpoint,
    failed,
    ok,
)

TABLE = "metrics-t"


def requests(operation: str, outcome: str) -> float:
    labels = {"operation": operation, "outcome": outcome}
    return REGISTRY.get_sample_value("zaiko_dynamodb_requests_total", labels) or 0.0


def calls_timed(operation: str) -> float:
    labels = {"operation": operation}
    return REGISTRY.get_sample_value("zaiko_dynamodb_request_seconds_count", labels) or 0.0


def retries(operation: str) -> float:
    labels = {"operation": operation}
    return REGISTRY.get_sample_value("zaiko_dynamodb_retries_total", labels) or 0.0


@pytest.fixture
def client() -> Iterator[Any]:
    with mock_aws():
        c = instrument(boto3.client("dynamodb", region_name="ap-northeast-1"))
        c.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
        )  # fmt: skip
        yield c


def test_error_codes_map_to_bounded_outcomes() -> None:
    assert outcome_of(None) == "ok"
    assert outcome_of("ConditionalCheckFailedException") == "conditional_failed"
    assert outcome_of("ProvisionedThroughputExceededException") == "throttled"
    assert outcome_of("ValidationException") == "error"


def test_a_boto3_call_is_counted_once_with_its_latency(client: Any) -> None:
    ok_before, timed_before = requests("PutItem", "ok"), calls_timed("PutItem")
    client.put_item(TableName=TABLE, Item={"k": {"S": "a"}})
    assert requests("PutItem", "ok") == ok_before + 1
    assert calls_timed("PutItem") == timed_before + 1


def test_a_failed_condition_counts_as_conditional_failed_not_error(client: Any) -> None:
    put = {"TableName": TABLE, "Item": {"k": {"S": "b"}},
           "ConditionExpression": "attribute_not_exists(k)"}  # fmt: skip
    client.put_item(**put)
    failed_before, errors_before = (
        requests("PutItem", "conditional_failed"),
        requests("PutItem", "error"),
    )
    with pytest.raises(ClientError):
        client.put_item(**put)
    assert requests("PutItem", "conditional_failed") == failed_before + 1
    assert requests("PutItem", "error") == errors_before


def test_a_boto3_error_counts_as_error(client: Any) -> None:
    before = requests("GetItem", "error")
    with pytest.raises(ClientError):
        client.get_item(TableName="no-such-table", Key={"k": {"S": "a"}})
    assert requests("GetItem", "error") == before + 1


def test_instrumenting_a_client_twice_counts_its_calls_once(client: Any) -> None:
    instrument(client)
    before = requests("GetItem", "ok")
    client.get_item(TableName=TABLE, Key={"k": {"S": "a"}})
    assert requests("GetItem", "ok") == before + 1


def test_a_wire_call_with_retries_is_one_call_and_its_retries(endpoint: Endpoint) -> None:  # noqa: F811
    endpoint.replies = [failed(500, "InternalServerError"), ok({"Items": []})]
    wire, _ = client_for(endpoint)
    ok_before, retries_before = requests("Query", "ok"), retries("Query")
    wire.query(TableName="t", KeyConditionExpression="k = :k",
               ExpressionAttributeValues={":k": {"S": "a"}})  # fmt: skip
    assert requests("Query", "ok") == ok_before + 1
    assert retries("Query") == retries_before + 1


def test_a_wire_condition_failure_counts_as_conditional_failed(endpoint: Endpoint) -> None:  # noqa: F811
    endpoint.replies = [
        failed(400, "ConditionalCheckFailedException", "The conditional request failed")
    ]
    wire, _ = client_for(endpoint)
    before = requests("PutItem", "conditional_failed")
    with pytest.raises(ClientError):
        wire.put_item(TableName="t", Item={"k": {"S": "a"}},
                      ConditionExpression="attribute_not_exists(k)")  # fmt: skip
    assert requests("PutItem", "conditional_failed") == before + 1


def test_wire_throttling_that_never_ends_counts_as_throttled(endpoint: Endpoint) -> None:  # noqa: F811
    endpoint.replies = [failed(400, "ThrottlingException", "slow down") for _ in range(3)]
    wire, _ = client_for(endpoint, max_attempts=3)
    before, retries_before = requests("BatchWriteItem", "throttled"), retries("BatchWriteItem")
    with pytest.raises(ClientError):
        wire.batch_write_item(RequestItems={"t": [{"PutRequest": {"Item": {"k": {"S": "a"}}}}]})
    assert requests("BatchWriteItem", "throttled") == before + 1
    assert retries("BatchWriteItem") == retries_before + 2


def test_a_boto3_call_that_was_retried_counts_its_retries(endpoint: Endpoint) -> None:  # noqa: F811
    endpoint.replies = [failed(500, "InternalServerError"), ok({})]
    boto = instrument(boto3.session.Session().client(
        "dynamodb", region_name="ap-northeast-1", endpoint_url=f"http://127.0.0.1:{endpoint.port}",
        aws_access_key_id="k", aws_secret_access_key="s",
    ))  # fmt: skip
    ok_before, retries_before = requests("DeleteItem", "ok"), retries("DeleteItem")
    boto.delete_item(TableName="t", Key={"k": {"S": "a"}})
    assert len(endpoint.seen) == 2
    assert requests("DeleteItem", "ok") == ok_before + 1
    assert retries("DeleteItem") == retries_before + 1


def test_a_boto3_call_without_an_answer_counts_as_an_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]  # nothing listens once the socket is closed
    boto = instrument(boto3.session.Session().client(
        "dynamodb", region_name="ap-northeast-1", endpoint_url=f"http://127.0.0.1:{closed}",
        aws_access_key_id="k", aws_secret_access_key="s",
        config=Config(retries={"total_max_attempts": 2, "mode": "standard"}),
    ))  # fmt: skip
    errors, retries_before = requests("UpdateItem", "error"), retries("UpdateItem")
    with pytest.raises(EndpointConnectionError):
        boto.update_item(TableName="t", Key={"k": {"S": "a"}})
    assert requests("UpdateItem", "error") == errors + 1
    assert retries("UpdateItem") == retries_before + 1
