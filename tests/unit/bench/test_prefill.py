"""The size bench's prefill: journal entries and outcomes the store can read; the server's pid."""

from __future__ import annotations

import os
import socket

import boto3
from moto import mock_aws

from bench.prefill import cpu_s, prefill, server_process
from connectors.dynamodb.tables import JOURNAL, OUTCOMES
from connectors.eventstore.dynamodb_outcomes import DynamoDBOutcomeStore
from connectors.eventstore.dynamodb_store import DynamoDBEventStore


def test_prefill_writes_as_many_entries_and_outcomes_as_asked() -> None:
    with mock_aws():
        client = boto3.client("dynamodb", region_name="ap-northeast-1")
        for spec in (JOURNAL, OUTCOMES):
            client.create_table(**spec.create_kwargs("t-"))
        prefill(client, "t-", 60)
        journal = client.scan(TableName=JOURNAL.name("t-"))["Items"]
        outcomes = client.scan(TableName=OUTCOMES.name("t-"))["Items"]
        assert len(journal) == len(outcomes) == 60
        first = journal[0]["aggregate_id"]["S"]
        assert DynamoDBEventStore(client, JOURNAL.name("t-")).follow(first)  # readable chain
        store = DynamoDBOutcomeStore(client, OUTCOMES.name("t-"))
        found = store.find_outcome(outcomes[0]["command_id"]["S"])
        assert found is not None and found.status == "ACCEPTED"


def test_the_server_is_the_process_listening_on_the_endpoints_port() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        found = server_process(f"http://127.0.0.1:{port}")
        assert found is not None and found.pid == os.getpid()
        assert (cpu_s(found) or 0.0) > 0.0
    assert server_process("https://dynamodb.ap-northeast-1.amazonaws.com") is None
    assert server_process(None) is None
