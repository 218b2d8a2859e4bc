"""Integration fixtures: the real embedded stack on test ports (never the demo's)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compose.settings import StackSettings
from compose.stack import Stack
from connectors.settings import ZaikoSettings

# The demo uses 9092 and 50501-50505; tests keep clear of both.
TEST_PORTS = {"kafka": 59092, "dynamodb": 59503, "postgres": 59504, "redis": 59505}


def stack_settings_for(state_dir: Path, ports: dict[str, int] = TEST_PORTS) -> StackSettings:
    """Return stack settings for an embedded stack on ``ports``, ignoring the environment."""
    return StackSettings(
        state_dir=state_dir,
        kafka_bootstrap_servers=f"127.0.0.1:{ports['kafka']}",
        dynamodb_endpoint_url=f"http://127.0.0.1:{ports['dynamodb']}",
        database_url=None,
        redis_url=None,
        postgres_port=ports["postgres"],
        redis_port=ports["redis"],
        embedded_kafka=True,
        embedded_dynamodb=True,
        table_prefix="zaiko-test-",
        topic_partitions=4,
        ready_timeout_s=60,
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole embedded stack, started once per test session and stopped after it."""
    settings = stack_settings_for(tmp_path_factory.mktemp("stack") / "state")
    stack = Stack(settings)
    try:
        stack.up()
        yield stack
    finally:
        stack.down()


@pytest.fixture(scope="session")
def settings(stack: Stack) -> ZaikoSettings:
    """Connection settings pointing at the test stack."""
    return stack.settings


@pytest.fixture(scope="session")
def dynamodb_settings(stack: Stack) -> ZaikoSettings:
    """Settings whose DynamoDB endpoint has Zaiko's tables (under the test prefix)."""
    return stack.settings
