"""Fixtures of the bridge tests: a journal of the test's own and a watcher of its events."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import ensure_tables
from connectors.settings import ZaikoSettings
from tests.integration.bridge.helpers import EventWatcher, unique


@pytest.fixture
def prefix(settings: ZaikoSettings) -> str:
    """A table prefix of this test's own, with the journal (and its stream) created."""
    name = unique("zaiko-test-bridge-") + "-"
    ensure_tables(dynamodb_client(settings), name)
    return name


@pytest.fixture
def watcher(settings: ZaikoSettings) -> Iterator[EventWatcher]:
    w = EventWatcher(settings.kafka_bootstrap_servers, key_prefix=unique("PRD-") + "@")
    yield w
    w.close()
