"""Run a Faust worker of its own (unique app id) for the benchmark, as a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType

from connectors.settings import ZaikoSettings

REPO = Path(__file__).resolve().parents[1]


class BenchWorker:
    """``python -m compose worker`` in its own consumer group; a context manager.

    ``app_id``: join that group instead (several workers sharing the partitions).
    """

    def __init__(
        self, settings: ZaikoSettings, ready_timeout_s: float = 90.0, app_id: str | None = None
    ) -> None:
        self.app_id = app_id or f"zaiko-bench-{uuid.uuid4().hex[:8]}"
        self.dir = Path(tempfile.mkdtemp(prefix="zaiko-bench-"))
        self.ready_file, self.log_file = self.dir / "ready", self.dir / "worker.log"
        self.timeout_s = ready_timeout_s
        self.metrics_port = _free_port()  # so its DynamoDB requests can be counted
        self.env = {
            **os.environ,
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
            "REDIS_URL": settings.effective_redis_url,  # notifications' lease: the stack's own
            "ZAIKO_TABLE_PREFIX": settings.table_prefix,
            "ZAIKO_TOPIC_PARTITIONS": str(settings.topic_partitions),
            "ZAIKO_APP_ID": self.app_id,
            "ZAIKO_WORKER_WEB_PORT": "0",
            "ZAIKO_METRICS_PORT": str(self.metrics_port),
            "ZAIKO_READY_FILE": str(self.ready_file),
            "ZAIKO_LOG_LEVEL": "WARNING",
        }
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def metrics_url(self) -> str:
        """Return where the worker serves its Prometheus metrics."""
        return f"http://127.0.0.1:{self.metrics_port}/metrics"

    def __enter__(self) -> BenchWorker:
        with self.log_file.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "compose", "worker"],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + self.timeout_s
        while not self.ready_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"bench worker not ready; see {self.log_file}")
            time.sleep(0.1)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """SIGTERM the worker this object started (SIGKILL after a grace period)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def _free_port() -> int:
    """Return a port nothing listens on now (the kernel's pick; free until someone binds it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
