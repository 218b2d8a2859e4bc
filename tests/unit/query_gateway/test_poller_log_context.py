"""The position poller outlives the request that starts it: its lines name no request."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import socket

import pytest

from connectors.logs import JsonFormatter, log_context
from query_gateway.errors import GatewayError
from query_gateway.positions import PositionPoller


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_poller_s_lines_carry_no_correlation_id_of_the_request_that_started_it() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("query-gateway"))
    poller_log = logging.getLogger("query_gateway.positions")
    poller_log.addHandler(handler)
    poller = PositionPoller(f"postgresql://postgres@127.0.0.1:{closed_port()}/zaiko?connect_timeout=1",
                            poll_timeout_s=1.0)  # fmt: skip

    async def request() -> None:
        loop = asyncio.get_running_loop()
        with log_context(correlation_id="req-1"), pytest.raises(GatewayError):
            await poller.wait("PRD-000001", 1, loop.time() + 2.0)
        await poller.stop()

    try:
        asyncio.run(request())
    finally:
        poller_log.removeHandler(handler)

    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    failed = [d for d in lines if d["msg"].startswith("polling 投影位置 failed")]
    assert failed, lines
    assert all("correlation_id" not in d for d in failed)
