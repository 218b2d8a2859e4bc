"""Run ``python -m compose worker`` as a subprocess pointed at the test stack."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path

from connectors.settings import ZaikoSettings

REPO = Path(__file__).resolve().parents[3]
_INHERITED_PREFIXES = ("ZAIKO_", "KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL")


class WorkerProcess:
    """One worker of a consumer group; start, wait until ready, kill or stop by pid."""

    def __init__(
        self,
        settings: ZaikoSettings,
        run_dir: Path,
        app_id: str | None = None,
        argv: Sequence[str] = ("-m", "compose", "worker"),
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self.app_id = app_id or f"zaiko-test-{uuid.uuid4().hex[:10]}"
        self.argv = tuple(argv)
        self.run_dir = run_dir
        self.ready_file = run_dir / f"{self.app_id}.ready"
        self.log_file = run_dir / f"{self.app_id}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED_PREFIXES)}
        env.update({
            "KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
            "REDIS_URL": settings.effective_redis_url,  # notifications' state (never the demo's)
            "ZAIKO_DYNAMODB_ENDPOINT_URL": settings.dynamodb_endpoint_url or "",
            "ZAIKO_TABLE_PREFIX": settings.table_prefix,
            "ZAIKO_TOPIC_PARTITIONS": str(settings.topic_partitions),
            "ZAIKO_APP_ID": self.app_id,
            "ZAIKO_WORKER_WEB_PORT": "0",
            "ZAIKO_READY_FILE": str(self.ready_file),
            "ZAIKO_LOG_FORMAT": "text",
            "ZAIKO_CONFIG_FILE": str(run_dir / "no-such-zaiko.toml"),
        })  # fmt: skip
        self.env = {**env, **(extra_env or {})}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout_s: float = 60.0) -> WorkerProcess:
        """Start the worker and wait until it has joined its group."""
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.ready_file.unlink(missing_ok=True)
        with self.log_file.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, *self.argv],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + ready_timeout_s
        while not self.ready_file.exists():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"worker not ready; log:\n{self.log_tail()}")
            time.sleep(0.1)
        return self

    def __enter__(self) -> WorkerProcess:
        """Start the worker (``with WorkerProcess(...) as worker``); it is stopped on leaving."""
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def kill9(self) -> None:
        """Kill the worker without warning (SIGKILL)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self, grace_s: float = 15.0) -> int | None:
        """Stop the worker with SIGTERM (SIGKILL after ``grace_s``); return its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace_s)
            except subprocess.TimeoutExpired:
                self.kill9()
        return self.proc.returncode

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
        return "\n".join(text.splitlines()[-lines:])
