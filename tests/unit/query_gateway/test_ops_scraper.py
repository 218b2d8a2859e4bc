"""The page's scraper against a real /metrics endpoint and one that is down."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from prometheus_client import CollectorRegistry, Counter, start_http_server

from query_gateway.ops.scraper import Scraper


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_dead_endpoint_is_listed_as_down_and_the_live_ones_still_count() -> None:
    registry = CollectorRegistry()
    commands = Counter("zaiko_commands", "commands", ["status"], registry=registry)
    server, thread = start_http_server(0, addr="127.0.0.1", registry=registry)
    live = f"http://127.0.0.1:{server.server_port}/metrics"
    dead = f"http://127.0.0.1:{closed_port()}/metrics"
    sent: list[dict[str, Any]] = []

    async def on_point(update: dict[str, Any]) -> None:
        sent.append(update)

    async def scenario() -> list[dict[str, Any]]:
        scraper = Scraper([live, dead], interval_s=2.0, history_s=6.0, on_point=on_point)
        points = []
        for n in (3, 5, 0, 0):
            commands.labels("ACCEPTED").inc(n)
            points.append(await scraper.scrape())
        assert len(scraper.history.points) == 3  # 6 s of history at 2 s
        assert [e["up"] for e in scraper.history.endpoints] == [True, False]
        assert "Error" in scraper.history.endpoints[1]["error"]
        return points

    try:
        points = asyncio.run(scenario())
    finally:
        server.shutdown()
        thread.join(5)
    assert [p["commands_total"] for p in points] == [3, 8, 8, 8]
    assert points[0]["commands_per_s"] is None and points[1]["commands_per_s"] > 0
    assert points[0]["latency_p50_s"] is None  # no worker histogram exposed: "—"
