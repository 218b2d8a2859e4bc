"""The read model remembers its journal's epoch and refuses a journal that started over.

Each test has a database and a table prefix of its own on the session's stack.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest

from compose.migrate import apply_migrations
from compose.stack import Stack
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL, ensure_tables
from connectors.eventstore import NewEvent
from connectors.eventstore.wiring import build_stores
from connectors.read_model_epoch import ADOPTED, MATCH, MISMATCH, RECORDED, check_epoch

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]


@dataclass
class World:
    prefix: str
    url: str
    dynamodb: Any
    conn: psycopg.Connection[Any]

    def check(self, record: bool = True) -> Any:
        return check_epoch(self.conn, self.dynamodb, self.prefix, record)

    def recorded(self) -> str | None:
        row = self.conn.execute("SELECT ジャーナル世代 FROM 参照モデル世代").fetchone()
        return row[0] if row else None

    def project(self, aggregate_id: str) -> None:
        """Note a position as the projector would after applying the aggregate's events."""
        self.conn.execute(
            "INSERT INTO 投影位置 (集約ID, 集約種別, 適用済シーケンス番号, 最終イベントID)"
            " VALUES (%s, 'product', 1, 'evt')",
            (aggregate_id,),
        )

    def append(self, aggregate_id: str) -> None:
        events = build_stores(self.dynamodb, self.prefix).events
        new = NewEvent(uuid.uuid4().hex, "ProductCreated_V1", b"{}", 0)
        events.append(aggregate_id, "product", 0, [new], uuid.uuid4().hex, "corr")

    def start_journal_over(self) -> None:
        """Drop and re-create the journal table, as the embedded DynamoDB restarted empty."""
        self.dynamodb.delete_table(TableName=JOURNAL.name(self.prefix))
        self.dynamodb.get_waiter("table_not_exists").wait(TableName=JOURNAL.name(self.prefix))
        ensure_tables(self.dynamodb, self.prefix)


@pytest.fixture
def world(stack: Stack) -> Iterator[World]:
    name = f"epoch_{uuid.uuid4().hex[:8]}"
    stack.postgres.ensure_database(name)
    url = stack.settings.model_copy(update={"postgres_db": name}).effective_database_url
    apply_migrations(url)
    prefix = f"zaiko-rme-{uuid.uuid4().hex[:8]}-"
    client = dynamodb_client(stack.settings)
    ensure_tables(client, prefix)
    with psycopg.connect(url, autocommit=True) as conn:
        yield World(prefix, url, client, conn)


def test_an_empty_read_model_records_the_journal_epoch(world: World) -> None:
    first = world.check()
    assert (first.verdict, first.ok) == (RECORDED, True)
    assert world.recorded() == read_epoch(world.dynamodb, world.prefix)
    assert world.check().verdict == MATCH


def test_positions_of_a_journal_that_started_over_are_refused_naming_reset(world: World) -> None:
    world.check()
    world.append("PRD-100001")
    world.project("PRD-100001")
    before = world.recorded()
    world.start_journal_over()

    refused = world.check()
    assert (refused.verdict, refused.ok) == (MISMATCH, False)
    assert "zaiko stack up --reset" in refused.describe()
    assert world.recorded() == before, "a refused check records nothing"


def test_an_emptied_read_model_belongs_to_the_new_journal(world: World) -> None:
    world.check()
    world.start_journal_over()
    assert world.check().verdict == RECORDED  # no positions: nothing to contradict
    assert world.recorded() == read_epoch(world.dynamodb, world.prefix)


def test_a_read_model_older_than_the_epoch_is_adopted_when_the_journal_has_its_history(
    world: World,
) -> None:
    for n in range(5):
        world.append(f"PRD-20000{n}")
        world.project(f"PRD-20000{n}")
    assert world.check().verdict == ADOPTED
    assert world.recorded() == read_epoch(world.dynamodb, world.prefix)


def test_a_read_model_older_than_the_epoch_is_refused_when_the_journal_is_empty(
    world: World,
) -> None:
    world.project("PRD-300001")
    assert world.check().verdict == MISMATCH
    assert world.recorded() is None


def test_the_projector_refuses_to_start_on_a_read_model_of_another_epoch(
    world: World, stack: Stack, tmp_path: Path
) -> None:
    world.check()
    world.append("PRD-400001")
    world.project("PRD-400001")
    world.start_journal_over()
    inherited = ("ZAIKO_", "KAFKA_BOOTSTRAP_SERVERS", "DATABASE_URL", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env.update({
        "KAFKA_BOOTSTRAP_SERVERS": stack.settings.kafka_bootstrap_servers,
        "ZAIKO_DYNAMODB_ENDPOINT_URL": stack.settings.dynamodb_endpoint_url or "",
        "ZAIKO_TABLE_PREFIX": world.prefix,
        "DATABASE_URL": world.url,
        "REDIS_URL": stack.settings.effective_redis_url,
        "ZAIKO_CONFIG_FILE": str(tmp_path / "no-such-zaiko.toml"),
    })  # fmt: skip
    result = subprocess.run([sys.executable, "-m", "compose", "projector"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2, result.stderr[-2000:]
    assert "refusing to project" in result.stderr
    assert "zaiko stack up --reset" in result.stderr
