"""``bench.settle``: the at-size round waits until the prefill is bridged and projected."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.settle import BRIDGED, PROJECTION_LAG, bridged, settle


class Exposition:
    """What a fake /metrics answers: the bridge's and the projector's two families."""

    def __init__(self) -> None:
        self.bridged, self.lag = 0, 0

    def text(self, path: str) -> bytes:
        if path == "/bridge":
            lines = [f"# TYPE {BRIDGED} counter",
                     f'{BRIDGED}{{outcome="published"}} {self.bridged}',
                     f'{BRIDGED}{{outcome="dead_lettered"}} 1']  # fmt: skip
        else:
            lines = [f"# TYPE {PROJECTION_LAG} gauge",
                     f'{PROJECTION_LAG}{{aggregate_type="inventory"}} {self.lag}']  # fmt: skip
        return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def stack() -> Iterator[tuple[Exposition, dict[str, str]]]:
    exposition = Exposition()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = exposition.text(self.path)
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield exposition, {"bridge": f"{base}/bridge", "projector": f"{base}/projector"}
    finally:
        server.shutdown()
        server.server_close()


def test_settle_returns_once_every_record_is_bridged_and_projected(
    stack: tuple[Exposition, dict[str, str]],
) -> None:
    exposition, endpoints = stack
    exposition.bridged = 10
    before = bridged(endpoints)
    assert before == 11  # published and dead-lettered both left the stream
    said: list[str] = []

    def progress(line: str) -> None:
        said.append(line)

    exposition.bridged, exposition.lag = 40, 0
    with pytest.raises(TimeoutError, match="30/50 bridged"):
        settle(endpoints, before, 50, timeout_s=1.5, say=progress)
    exposition.bridged, exposition.lag = 60, 7
    with pytest.raises(TimeoutError, match="projection lag 7"):
        settle(endpoints, before, 50, timeout_s=1.5, say=progress)
    exposition.lag = 0
    assert settle(endpoints, before, 50, timeout_s=5) < 1.5


def test_a_stack_without_bridge_or_projector_endpoints_is_not_waited_for() -> None:
    assert settle({}, 0.0, 50_000, timeout_s=0.5) < 0.5
