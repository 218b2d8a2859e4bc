"""Every service logs one JSON shape, and a command's id is on its lines end to end.

A private stack with every service (worker, bridge, projector, both gateways) on its
own ports, as `make demo` runs them; one mutation through the Command API with an
X-Request-Id; then each service's log file (state_dir/logs/<name>.log) is read.
"""

from __future__ import annotations

import json
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from compose.settings import StackSettings
from compose.stack import Stack
from tests.integration.conftest import free_port_block, stack_settings_for

pytestmark = pytest.mark.integration

PORTS = free_port_block(27600, {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95,
                                "command_api": 96, "query_api": 97})  # fmt: skip
SERVICES = ("command-gateway", "query-gateway", "worker", "bridge", "projector")
REQUIRED = ["ts", "level", "logger", "msg", "service", "instance"]


@pytest.fixture(scope="module")
def system(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StackSettings]:
    """Start the whole system on test ports; stop every process of it afterwards."""
    settings = stack_settings_for(tmp_path_factory.mktemp("logs") / "state", PORTS)
    stack = Stack(settings)
    with pytest.MonkeyPatch.context() as env:  # the services inherit the environment
        env.setenv("ZAIKO_WORKER_WEB_PORT", "0")  # never the demo worker's 50510
        env.setenv("ZAIKO_CONFIG_FILE", str(settings.state_dir.parent / "no-zaiko.toml"))
        env.setenv("ZAIKO_LOG_FORMAT", "json")
        # the worker's line per answered command is DEBUG: on for this logger only
        env.setenv("ZAIKO_LOG_LEVELS", "zaiko.commands=DEBUG")
        try:
            stack.up(with_services=True)
            yield settings
        finally:
            stack.down()


def mutation(port: int, request_id: str, product_id: str) -> tuple[dict[str, Any], str | None]:
    """Create a product through the Command API; return the answer and its X-Request-Id."""
    fields = {"productId": product_id, "name": "ログ確認 緑茶 500ml", "sku": f"SKU-{product_id}",
              "category": "FOOD", "storageCondition": "AMBIENT", "unit": "本"}  # fmt: skip
    query = """mutation($input: CreateProductInput!) {
                 createProduct(input: $input) { commandId aggregateId version } }"""
    body = json.dumps({"query": query, "variables": {"input": fields}}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/graphql", body,
        {"Content-Type": "application/json", "X-Request-Id": request_id},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read()), response.headers.get("X-Request-Id")


def log_lines(settings: StackSettings, name: str) -> list[str]:
    path: Path = settings.state_dir / "logs" / f"{name}.log"
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def parsed(settings: StackSettings, name: str) -> list[dict[str, Any]]:
    """Return the service's log lines, each decoded (a line that is not JSON fails here)."""
    lines = []
    for line in log_lines(settings, name):
        try:
            lines.append(json.loads(line))
        except json.JSONDecodeError:
            pytest.fail(f"{name}.log has a line that is not JSON: {line[:300]!r}")
    return lines


def eventually(
    condition: Callable[[], list[dict[str, Any]]], timeout_s: float
) -> list[dict[str, Any]]:
    """Return ``condition()``'s first non-empty result; fail at the deadline."""
    deadline = time.monotonic() + timeout_s
    while True:
        found = condition()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


@pytest.fixture(scope="module")
def sent(system: StackSettings) -> dict[str, str]:
    """Send one command with a request id; return the ids the answer gave."""
    request_id = f"it-logs-{uuid.uuid4()}"
    product_id = f"PRD-{800000 + uuid.uuid4().int % 99999:06d}"
    answer, echoed = mutation(system.command_api_port, request_id, product_id)
    assert "errors" not in answer, answer
    result = answer["data"]["createProduct"]
    return {"request_id": request_id, "echoed": echoed or "", "command_id": result["commandId"],
            "aggregate_id": result["aggregateId"]}  # fmt: skip


def test_the_gateway_echoes_the_request_id(sent: dict[str, str]) -> None:
    assert sent["echoed"] == sent["request_id"]


def test_the_gateway_s_access_line_names_the_request_and_its_command(
    system: StackSettings, sent: dict[str, str]
) -> None:
    def access_lines() -> list[dict[str, Any]]:
        lines = parsed(system, "command-gateway")
        return [d for d in lines if d["logger"] == "zaiko.access"
                and d.get("correlation_id") == sent["request_id"]]  # fmt: skip

    (line,) = eventually(access_lines, 10)
    assert (line["command_id"], line["aggregate_id"]) == (sent["command_id"], sent["aggregate_id"])
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/graphql", 200)
    assert line["duration_ms"] > 0
    assert line["client"].startswith("127.0.0.1:")


def test_the_worker_s_lines_for_the_command_name_it(
    system: StackSettings, sent: dict[str, str]
) -> None:
    def worker_lines() -> list[dict[str, Any]]:
        return [d for d in parsed(system, "worker") if d.get("command_id") == sent["command_id"]]

    lines = eventually(worker_lines, 30)
    assert lines, "no worker line names the command"
    assert {d["aggregate_id"] for d in lines} == {sent["aggregate_id"]}
    assert any(d["msg"] == "command answered: ACCEPTED" for d in lines)
    # the command's own correlation id (its id: the mutation named none), not the request's
    assert {d["correlation_id"] for d in lines} == {sent["command_id"]}


def test_every_service_logs_json_lines_of_one_shape(
    system: StackSettings, sent: dict[str, str]
) -> None:
    for name in SERVICES:
        lines = parsed(system, name)
        assert lines, f"{name} logged nothing"
        for line in lines:
            assert list(line)[: len(REQUIRED)] == REQUIRED, (name, line)
            assert line["service"] == name
            assert line["instance"] == name
            assert line["ts"].endswith("Z") and len(line["ts"]) == len("2026-01-01T00:00:00.000Z")
