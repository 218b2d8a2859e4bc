"""Run the ``zaiko`` CLI as an operator does, against a stack on ports of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import PORT_OFFSETS

# two spare ports for services that listen (gateways), so none falls back to a demo port
SERVICE_PORT_OFFSETS = {**PORT_OFFSETS, "command_api": 96, "query_api": 97}
ZAIKO = [sys.executable, "-m", "compose"]
_INHERITED = ("ZAIKO_", "KAFKA_", "DATABASE_URL", "REDIS_URL")


def cli_env(state_dir: Path, ports: dict[str, int], **extra: str) -> dict[str, str]:
    """Return the CLI's environment for a stack on ``ports`` (none of the caller's settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_INHERITED)}
    env.update(
        ZAIKO_STATE_DIR=str(state_dir),
        ZAIKO_CONFIG_FILE=str(state_dir.parent / "no-such-zaiko.toml"),
        KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{ports['kafka']}",
        ZAIKO_DYNAMODB_ENDPOINT_URL=f"http://127.0.0.1:{ports['dynamodb']}",
        ZAIKO_POSTGRES_PORT=str(ports["postgres"]),
        ZAIKO_REDIS_PORT=str(ports["redis"]),
        ZAIKO_TOPIC_PARTITIONS="2",
        ZAIKO_COMMAND_API_PORT=str(ports["command_api"]),
        ZAIKO_QUERY_API_PORT=str(ports["query_api"]),
        # base+100 … base+140: never the demo's 50510…, nor another session's
        ZAIKO_METRICS_BASE_PORT=str(ports["kafka"] + 8),
    )
    env.update(extra)
    return env


def run_zaiko(
    state_dir: Path, ports: dict[str, int], *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m compose *args`` to its end (at most 240 s); return what it printed."""
    env = cli_env(state_dir, ports, **extra)
    return subprocess.run([*ZAIKO, *args], env=env, capture_output=True, text=True, timeout=240)
