"""Fixtures of the command-side integration tests: a worker subprocess, stores, readers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from schemas import COMMAND_RESULTS_TOPIC
from tests.integration.streams.kafka_io import TopicReader
from tests.integration.streams.worker_process import WorkerProcess


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workers")


@pytest.fixture(scope="module")
def worker(stack: Stack, run_dir: Path) -> Iterator[WorkerProcess]:
    """One command worker (its own consumer group) shared by a module's tests."""
    with WorkerProcess(stack.settings, run_dir) as process:
        yield process


@pytest.fixture(scope="module")
def stores(stack: Stack) -> DynamoDBStores:
    return build_stores(dynamodb_client(stack.settings), stack.settings.table_prefix)


@pytest.fixture(scope="module")
def bootstrap(stack: Stack) -> str:
    return stack.settings.kafka_bootstrap_servers


@pytest.fixture
def results(bootstrap: str) -> Iterator[TopicReader]:
    reader = TopicReader(bootstrap, COMMAND_RESULTS_TOPIC)
    try:
        yield reader
    finally:
        reader.close()
