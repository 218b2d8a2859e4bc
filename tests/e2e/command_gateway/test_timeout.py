"""TIMEOUT when no worker answers, and the retry with the same key that learns the outcome.

No worker runs while this module starts (the other modules' workers are module-scoped and
stopped by then), so nothing can answer the first mutation: the TIMEOUT is certain, not a
race. The worker started afterwards (a new consumer group, from the earliest offset) then
applies that very command, and retries with the same idempotency key get its outcome.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from compose.stack import Stack
from tests.e2e.command_gateway.api import rejection, send
from tests.e2e.command_gateway.gateway_process import GatewayProcess, free_port
from tests.e2e.command_gateway.test_mutations import warehouse
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import unique_warehouse

pytestmark = pytest.mark.integration
RETRY_DEADLINE_S = 120  # a fresh worker group first answers whatever the session left on the topics


@pytest.fixture(scope="module")
def impatient(stack: Stack, run_dir: Path) -> Iterator[GatewayProcess]:
    """An open gateway (no API keys) that waits one second for an outcome."""
    process = GatewayProcess(stack.settings, run_dir, ZAIKO_COMMAND_TIMEOUT_S="1")
    try:
        yield process.start()
    finally:
        process.stop()


def test_no_outcome_in_time_is_a_timeout_and_the_keyed_retry_gets_the_one_outcome(
    stack: Stack, run_dir: Path, impatient: GatewayProcess
) -> None:
    w = unique_warehouse()
    key = f"e2e-timeout-{uuid.uuid4().hex[:12]}"
    data, errors = send(impatient, "createWarehouse", warehouse(w), key=key)
    assert data is None
    assert errors[0]["extensions"] == {"code": "TIMEOUT", "commandId": key, "aggregateId": w}
    assert "may still apply" in errors[0]["message"]
    worker = WorkerProcess(stack.settings, run_dir).start()
    try:
        deadline = time.monotonic() + RETRY_DEADLINE_S
        while True:  # what a client does after a TIMEOUT: retry with the same key
            data, errors = send(impatient, "createWarehouse", warehouse(w), key=key)
            if data is not None or time.monotonic() > deadline:
                break
            assert [e["extensions"]["code"] for e in errors] == ["TIMEOUT"]
        assert data is not None, errors
        assert (data["commandId"], data["version"]) == (key, 1)
        assert data["eventTypes"] == ["WarehouseCreated_V1"]
        again, _ = send(impatient, "createWarehouse", warehouse(w), key=key)
        assert again == data
        assert rejection(impatient, "createWarehouse", warehouse(w)) == "ALREADY_EXISTS"
    finally:
        worker.stop()


def test_the_open_default_warns_at_start_up(impatient: GatewayProcess) -> None:
    assert "API is OPEN" in impatient.log_tail(200)
    status, body = impatient.graphql("{ role }")
    assert (status, body["data"]) == (200, {"role": "operator"})


def test_without_kafka_health_is_503_and_a_mutation_is_unavailable(
    stack: Stack, run_dir: Path
) -> None:
    nowhere = GatewayProcess(stack.settings, run_dir, ZAIKO_COMMAND_TIMEOUT_S="1",
                             KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{free_port()}")  # fmt: skip
    try:
        nowhere.start(healthy=False)
        status, body = nowhere.health()
        assert status == 503 and body["kafka"]["reachable"] is False
        data, errors = send(nowhere, "activateWarehouse", {"warehouseId": unique_warehouse()})
        assert data is None
        assert errors[0]["extensions"]["code"] == "UNAVAILABLE"
    finally:
        nowhere.stop()
