"""The ``zaiko stack`` commands as a user runs them, on ports of their own."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from compose.processes import PidRecord, is_ours
from tests.integration.conftest import free_port_block

pytestmark = pytest.mark.integration

PORTS = free_port_block(29100)
ZAIKO = [sys.executable, "-m", "compose"]


def _env(state_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        ZAIKO_STATE_DIR=str(state_dir),
        KAFKA_BOOTSTRAP_SERVERS=f"127.0.0.1:{PORTS['kafka']}",
        ZAIKO_DYNAMODB_ENDPOINT_URL=f"http://127.0.0.1:{PORTS['dynamodb']}",
        ZAIKO_POSTGRES_PORT=str(PORTS["postgres"]),
        ZAIKO_REDIS_PORT=str(PORTS["redis"]),
        ZAIKO_TOPIC_PARTITIONS="2",
    )
    env.update(extra)
    return env


def _zaiko(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ZAIKO, *args], env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture()
def state_dir(tmp_path: Path) -> Iterator[Path]:
    state = tmp_path / "state"
    yield state
    _zaiko(_env(state), "stack", "down")  # never leave a process behind, even on failure


def _our_records(state_dir: Path) -> list[PidRecord]:
    records = [PidRecord.load(p) for p in (state_dir / "run").glob("*.pid")]
    return [r for r in records if r is not None]


def test_up_twice_is_harmless_and_status_reports_every_component_healthy(state_dir: Path) -> None:
    env = _env(state_dir)
    assert _zaiko(env, "stack", "up").returncode == 0
    first = {r.pid for r in _our_records(state_dir)}
    second = _zaiko(env, "stack", "up")
    assert second.returncode == 0, second.stderr
    assert {r.pid for r in _our_records(state_dir)} == first  # nothing restarted

    status = _zaiko(env, "stack", "status", "--json")
    assert status.returncode == 0, status.stdout
    report = json.loads(status.stdout)
    assert report["healthy"] is True
    assert set(report["components"]) == {"kafka", "dynamodb", "postgres", "redis"}
    assert report["components"]["kafka"]["url"] == f"127.0.0.1:{PORTS['kafka']}"
    assert report["components"]["dynamodb"]["url"] == f"http://127.0.0.1:{PORTS['dynamodb']}"
    assert str(PORTS["postgres"]) in report["components"]["postgres"]["url"]
    assert report["components"]["redis"]["url"] == f"redis://127.0.0.1:{PORTS['redis']}/0"


def test_down_leaves_no_process_and_postgres_data_survives_until_reset(state_dir: Path) -> None:
    env = _env(state_dir)
    assert _zaiko(env, "stack", "up").returncode == 0
    url = f"postgresql://postgres@127.0.0.1:{PORTS['postgres']}/zaiko"
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO 企業 (企業ID, 企業名, 企業種別) VALUES ('CMP-7777', 'D商事', '自社')"
        )
    records = _our_records(state_dir)
    assert len(records) == 4

    assert _zaiko(env, "stack", "down").returncode == 0
    assert not any(is_ours(r) for r in records)
    assert _zaiko(env, "stack", "status", "--json").returncode == 1

    assert _zaiko(env, "stack", "up").returncode == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM 企業 WHERE 企業ID = 'CMP-7777'").fetchone() == (
            1,
        )

    assert _zaiko(env, "stack", "up", "--reset").returncode == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM 企業").fetchone() == (0,)


def test_a_port_taken_by_a_foreign_process_is_named_with_its_variable(state_dir: Path) -> None:
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", PORTS["redis"]))
        squatter.listen()
        result = _zaiko(_env(state_dir), "stack", "up")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"port {PORTS['redis']} is already in use" in message
    assert "ZAIKO_REDIS_PORT" in message
    # the components it had started before reaching redis are stopped again
    assert not [r for r in _our_records(state_dir) if is_ours(r)]


def test_up_refuses_a_read_model_whose_journal_started_over_and_leaves_nothing_running(
    state_dir: Path,
) -> None:
    env = _env(state_dir)
    assert _zaiko(env, "stack", "up").returncode == 0
    url = f"postgresql://postgres@127.0.0.1:{PORTS['postgres']}/zaiko"
    with psycopg.connect(url) as conn:  # the read model has projected an aggregate
        conn.execute(
            "INSERT INTO 投影位置 (集約ID, 集約種別, 適用済シーケンス番号, 最終イベントID)"
            " VALUES ('PRD-777777', 'product', 3, 'evt-3')"
        )
    assert _zaiko(env, "stack", "down").returncode == 0

    # the embedded DynamoDB keeps its journal in memory: it comes back empty
    refused = _zaiko(env, "stack", "up")
    assert refused.returncode == 2, refused.stdout + refused.stderr
    message = " ".join(refused.stderr.split())
    assert "zaiko stack up --reset" in message
    assert not [r for r in _our_records(state_dir) if is_ours(r)], "half-started stack left"

    assert _zaiko(env, "stack", "up", "--reset").returncode == 0
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT count(*) FROM 投影位置").fetchone() == (0,)
