"""One projector subprocess (own consumer group and cache prefix) for the package's tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compose.stack import Stack
from tests.integration.projector.helpers import ProjectorProcess


@pytest.fixture(scope="package")
def projector(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectorProcess]:
    process = ProjectorProcess(stack.settings, tmp_path_factory.mktemp("projector"))
    try:
        yield process.start()
    finally:
        process.stop()
