"""Conditional writes and the journal's stream on the embedded DynamoDB."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from botocore.exceptions import ClientError

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import JOURNAL

pytestmark = pytest.mark.integration


def test_conditional_put_is_refused_on_a_duplicate_key_and_the_item_reaches_the_stream(
    stack: Stack,
) -> None:
    settings = stack.settings
    client = dynamodb_client(settings)
    table = JOURNAL.name(settings.table_prefix)
    aggregate_id = f"PRD-{uuid.uuid4().int % 10**6:06d}"
    item = {"aggregate_id": {"S": aggregate_id}, "seq_nr": {"N": "1"}, "v": {"S": "first"}}
    condition = "attribute_not_exists(seq_nr)"
    client.put_item(TableName=table, Item=item, ConditionExpression=condition)
    with pytest.raises(ClientError) as refused:
        client.put_item(
            TableName=table, Item={**item, "v": {"S": "second"}}, ConditionExpression=condition
        )
    assert refused.value.response["Error"]["Code"] == "ConditionalCheckFailedException"

    streams = dynamodb_client(settings, service="dynamodbstreams")
    arn = client.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    images = _new_images_of(streams, arn, aggregate_id, deadline_s=20)
    assert [image["v"] for image in images] == [{"S": "first"}]


def _new_images_of(streams: Any, arn: str, aggregate_id: str, deadline_s: float) -> list[Any]:
    """Read every shard from TRIM_HORIZON to its end; return the aggregate's new images."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        images = []
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            iterator = streams.get_shard_iterator(
                StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
            )["ShardIterator"]
            while iterator:
                page = streams.get_records(ShardIterator=iterator, Limit=1000)
                for record in page["Records"]:
                    image = record["dynamodb"].get("NewImage", {})
                    if image.get("aggregate_id") == {"S": aggregate_id}:
                        images.append(image)
                # An open shard always returns a next iterator: stop at the first empty page.
                iterator = page.get("NextShardIterator") if page["Records"] else None
        if images:
            return images
    return []
