"""Integration fixtures: the real embedded stack on test ports (never the demo's)."""

from __future__ import annotations

import fcntl
import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from compose.settings import StackSettings
from compose.stack import Stack
from connectors.settings import ZaikoSettings

# The demo uses 9092 and 50501-50505; tests keep clear of both. A block of ports is
# chosen per session (29xxx first: below the ephemeral range 32768-60999, where a
# client's outgoing connection could hold the port) so sessions never collide.
PORT_OFFSETS = {"kafka": 92, "dynamodb": 93, "postgres": 94, "redis": 95}


_HELD_LOCKS: list[object] = []  # kept open for the whole session


def free_port_block(
    first_base: int = 29000, offsets: dict[str, int] = PORT_OFFSETS
) -> dict[str, int]:
    """Return ports ``base + offset`` for the first base that is free and not claimed.

    A block is claimed with an exclusive lock file held until the session ends, so
    two sessions starting at the same moment never pick the same block.
    """
    lock_dir = Path(tempfile.gettempdir()) / "zaiko-test-ports"
    lock_dir.mkdir(exist_ok=True)
    for base in range(first_base, first_base - 20_000, -1000):
        lock = (lock_dir / f"{base}.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        ports = {name: base + offset for name, offset in offsets.items()}
        if all(_bindable(port) for port in ports.values()):
            _HELD_LOCKS.append(lock)
            return ports
        lock.close()
    raise RuntimeError("no free block of test ports")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def stack_settings_for(state_dir: Path, ports: dict[str, int]) -> StackSettings:
    """Return stack settings for an embedded stack on ``ports``, ignoring the environment."""
    return StackSettings(
        state_dir=state_dir,
        kafka_bootstrap_servers=f"127.0.0.1:{ports['kafka']}",
        dynamodb_endpoint_url=f"http://127.0.0.1:{ports['dynamodb']}",
        database_url=None,
        redis_url=None,
        postgres_port=ports["postgres"],
        redis_port=ports["redis"],
        embedded_kafka=True,
        embedded_dynamodb=True,
        table_prefix="zaiko-test-",
        topic_partitions=4,
        ready_timeout_s=60,
        # gateways started with --services must never fall back to the demo's 50501/50502
        command_api_port=ports.get("command_api", ports["kafka"] + 4),
        query_api_port=ports.get("query_api", ports["kafka"] + 5),
        metrics_base_port=ports.get("metrics", ports["kafka"] + 8),  # base+100 … base+140
    )


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The whole embedded stack, started once per test session and stopped after it."""
    settings = stack_settings_for(tmp_path_factory.mktemp("stack") / "state", free_port_block())
    stack = Stack(settings)
    try:
        stack.up()
        yield stack
    finally:
        stack.down()


@pytest.fixture(scope="session")
def settings(stack: Stack) -> ZaikoSettings:
    """Connection settings pointing at the test stack."""
    return stack.settings


@pytest.fixture(scope="session")
def dynamodb_settings(stack: Stack) -> ZaikoSettings:
    """Settings whose DynamoDB endpoint has Zaiko's tables (under the test prefix)."""
    return stack.settings
