"""The Command API served by uvicorn in a thread of the test process, over a fake command bus."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from command_gateway.bootstrap import bootstrap
from command_gateway.settings import CommandGatewaySettings
from tests.e2e.command_gateway.gateway_process import free_port
from tests.unit.command_gateway.fakes import FakeCommandBus


@contextmanager
def serve(settings: CommandGatewaySettings) -> Iterator[str]:
    """Serve the app of ``settings`` (commands accepted in memory); yield its GraphQL URL."""
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
