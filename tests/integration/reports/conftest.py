"""A private, migrated read-model database per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compose.stack import Stack
from tests.integration.replay.helpers import private_database


@pytest.fixture
def database_url(stack: Stack) -> Iterator[str]:
    """A database of its own on the test stack's server, dropped afterwards."""
    with private_database(stack.settings.effective_database_url) as url:
        yield url
