"""Run the Query API in a thread of the test process (uvicorn on a free port) and call it."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.request
from typing import Any

import uvicorn
from fastapi import FastAPI

from query_gateway.app import bootstrap
from query_gateway.settings import QueryGatewaySettings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class GatewayServer:
    """A real HTTP server around ``bootstrap(settings)``; stop() joins its thread."""

    def __init__(self, settings: QueryGatewaySettings) -> None:
        self.app: FastAPI = bootstrap(settings)
        self.port = free_port()
        config = uvicorn.Config(
            self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def statements(self) -> int:
        gateway = self.app.state.gateway
        return int(gateway.db.statements + gateway.positions.statements)

    def start(self, timeout_s: float = 20.0) -> GatewayServer:
        self.thread.start()
        deadline = time.monotonic() + timeout_s
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the query gateway did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def post(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(
            f"{self.url}/api/graphql",
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        return _send(request)

    def query(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        return self.post(body, headers)

    def data(self, query: str, **variables: Any) -> Any:
        """Return ``data`` of a query that must succeed."""
        status, body = self.query(query, variables)
        assert status == 200 and "errors" not in body, body
        return body["data"]

    def get(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(f"{self.url}{path}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def _send(request: urllib.request.Request) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())
