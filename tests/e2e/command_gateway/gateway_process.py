"""Run ``python -m compose command-gateway`` against the test stack and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from connectors.settings import ZaikoSettings

REPO = Path(__file__).resolve().parents[3]
_INHERITED_PREFIXES = ("ZAIKO_", "KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL")


def free_port() -> int:
    """Return a TCP port that was free a moment ago (never a demo port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class GatewayProcess:
    """One Command API process on a free port; start, wait until healthy, stop by pid."""

    def __init__(self, settings: ZaikoSettings, run_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_file = run_dir / f"command-gateway-{self.port}.log"
        self.run_dir = run_dir
        base = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_PREFIXES)}
        self.env = {
            **base,
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "DATABASE_URL": settings.effective_database_url,
            "ZAIKO_COMMAND_API_PORT": str(self.port),
            "ZAIKO_LOG_FORMAT": "text",
            "ZAIKO_CONFIG_FILE": str(run_dir / "no-such-zaiko.toml"),
            **env,
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout_s: float = 60.0, healthy: bool = True) -> GatewayProcess:
        """Start the gateway; wait until its health says Kafka is connected (or just answers)."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "compose", "command-gateway"],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + ready_timeout_s
        while self.health()[0] not in ((200,) if healthy else (200, 503)):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"command gateway not healthy; log:\n{self.log_tail()}")
            time.sleep(0.2)
        return self

    def stop(self, grace_s: float = 15.0) -> None:
        """Stop the gateway with SIGTERM (SIGKILL after ``grace_s``)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def log_tail(self, lines: int = 60) -> str:
        text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def health(self) -> tuple[int, Any]:
        return request(f"{self.url}/api/health")

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None, key: str | None = None
    ) -> tuple[int, Any]:
        """POST a GraphQL request; return (HTTP status, decoded body)."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = {"Content-Type": "application/json", **({"X-API-Key": key} if key else {})}
        return request(f"{self.url}/api/graphql", body, headers)


def request(url: str, body: bytes | None = None, headers: dict[str, str] | None = None,
            timeout_s: float = 90.0) -> tuple[int, Any]:  # fmt: skip
    """Send one HTTP request; return (status, JSON or text); connection errors are status 0."""
    req = urllib.request.Request(url, data=body, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout_s) as response:
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")
