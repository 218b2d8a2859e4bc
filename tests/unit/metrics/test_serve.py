"""A service's metrics endpoint: served on its port, and a taken port never stops the service."""

from __future__ import annotations

import socket
import urllib.request

from compose.processes import wait_until
from connectors.metrics import counter, serve


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
        return str(response.read().decode())


def test_a_taken_port_is_retried_until_it_comes_free_and_then_served() -> None:
    counter("zaiko_test_serve_total", "A counter the test scrapes.").inc()
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        assert serve(port, retry_s=0.1) == port  # returns: the service goes on starting
    finally:
        holder.close()
    assert wait_until(lambda: "zaiko_test_serve_total 1.0" in _scrape(port), 10)


def test_port_zero_is_off_and_a_second_call_is_a_no_op() -> None:
    assert serve(0) is None
    port = _free_port()
    assert serve(port) == serve(port) == port
    assert "python_info" in _scrape(port) or "zaiko_" in _scrape(port)
