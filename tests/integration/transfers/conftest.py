"""A worker (with the transfer agent) and a stream bridge, both subprocesses on the test stack."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from compose.stack import Stack
from connectors.bridge_settings import BridgeSettings
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import ensure_tables
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from connectors.settings import ZaikoSettings
from schemas import COMMAND_RESULTS_TOPIC
from tests.integration.bridge.helpers import bridge_settings, start_bridge, stop_process
from tests.integration.streams.kafka_io import TopicReader
from tests.integration.streams.worker_process import WorkerProcess


class Bridge:
    """The stream bridge as a subprocess that can be paused (stopped) and resumed."""

    def __init__(self, settings: BridgeSettings, log: Path) -> None:
        self.settings, self.log = settings, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Bridge:
        self.proc = start_bridge(self.settings, self.log)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_process(self.proc)
            self.proc = None


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("transfers")


@pytest.fixture(scope="module")
def settings(stack: Stack) -> ZaikoSettings:
    """The test stack with journal tables of this module's own.

    A fresh prefix keeps the bridge from first replaying every other test's journal.
    """
    prefix = f"tr{uuid.uuid4().hex[:8]}-"
    ensure_tables(dynamodb_client(stack.settings), prefix)
    return stack.settings.model_copy(update={"table_prefix": prefix})


@pytest.fixture(scope="module")
def bridge(settings: ZaikoSettings, run_dir: Path) -> Iterator[Bridge]:
    settings = bridge_settings(settings, settings.table_prefix)
    process = Bridge(settings, run_dir / "bridge.log").start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture(scope="module")
def worker(settings: ZaikoSettings, run_dir: Path, bridge: Bridge) -> Iterator[WorkerProcess]:
    with WorkerProcess(settings, run_dir) as process:
        yield process


@pytest.fixture(scope="module")
def stores(settings: ZaikoSettings) -> DynamoDBStores:
    return build_stores(dynamodb_client(settings), settings.table_prefix)


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


def wait_until(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}")
        time.sleep(0.1)
