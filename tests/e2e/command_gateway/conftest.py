"""Fixtures of the Command API end-to-end tests: a worker and gateway processes on the stack."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compose.stack import Stack
from tests.e2e.command_gateway.gateway_process import GatewayProcess
from tests.integration.streams.worker_process import WorkerProcess

KEYS = {"operator": "e2e-operator-key", "channel": "e2e-channel-key", "reader": "e2e-reader-key"}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("command-gateway")


@pytest.fixture(scope="module")
def worker(stack: Stack, run_dir: Path) -> Iterator[WorkerProcess]:
    """The real command worker (its own consumer group), for one module."""
    with WorkerProcess(stack.settings, run_dir) as process:
        yield process


@pytest.fixture(scope="module")
def gateway(stack: Stack, run_dir: Path) -> Iterator[GatewayProcess]:
    """The Command API with API keys for the three roles and a generous timeout."""
    keys = ",".join(f"{key}:{role}" for role, key in KEYS.items())
    process = GatewayProcess(stack.settings, run_dir, ZAIKO_API_KEYS=keys,
                             ZAIKO_COMMAND_TIMEOUT_S="45")  # fmt: skip
    try:
        yield process.start()
    finally:
        process.stop()
