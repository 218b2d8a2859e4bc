"""schemathesis fuzzes every mutation of the Command API: no 5xx, no INTERNAL_ERROR.

The gateway runs in this process over an in-memory command bus that accepts every
command (the worker is not what is fuzzed here) and the real company store on the
test stack's PostgreSQL, where odd strings would reach the driver.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from command_gateway.bootstrap import bootstrap
from command_gateway.settings import CommandGatewaySettings
from compose.stack import Stack
from tests.e2e.command_gateway.gateway_process import free_port
from tests.e2e.fuzzing import fuzz
from tests.unit.command_gateway.fakes import FakeCommandBus

pytestmark = pytest.mark.integration
EXAMPLES = 8  # per root field: about 20 s on a loaded 2-core machine


@pytest.fixture(scope="module")
def in_process_gateway(stack: Stack) -> Iterator[str]:
    settings = CommandGatewaySettings(
        database_url=stack.settings.effective_database_url, api_keys=None
    )
    app = bootstrap(settings, commands=FakeCommandBus()).app
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the gateway did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/api/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_generated_mutations_get_typed_answers_only(in_process_gateway: str) -> None:
    report = fuzz(in_process_gateway, EXAMPLES)
    print(report.line())
    assert report.requests >= 100
    assert report.failures == []
