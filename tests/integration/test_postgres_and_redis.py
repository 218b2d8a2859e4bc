"""Migrations in the embedded PostgreSQL; a round trip through the embedded Redis."""

from __future__ import annotations

import uuid

import psycopg
import pytest
import redis

from compose.migrate import apply_migrations, pending_migrations
from compose.stack import Stack

pytestmark = pytest.mark.integration


def test_migrations_are_applied_and_reapplying_changes_nothing(stack: Stack) -> None:
    url = stack.settings.effective_database_url
    assert pending_migrations(url) == []
    assert apply_migrations(url) == []
    with psycopg.connect(url) as conn:
        count = conn.execute("SELECT count(*) FROM _yoyo_migration").fetchone()
    assert count is not None and count[0] >= 1


def test_the_company_master_stores_japanese_names_and_checks_its_rules(stack: Stack) -> None:
    url = stack.settings.effective_database_url
    company_id = f"CMP-{uuid.uuid4().int % 10**6:06d}"
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO 企業 (企業ID, 企業名, 企業種別, 郵便番号) VALUES (%s, %s, %s, %s)",
            (company_id, "株式会社D商事", "自社", "100-0001"),
        )
        row = conn.execute("SELECT 企業名 FROM 企業 WHERE 企業ID = %s", (company_id,)).fetchone()
        assert row == ("株式会社D商事",)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(
                "INSERT INTO 企業 (企業ID, 企業名, 企業種別) VALUES (%s, %s, %s)",
                (company_id + "9", "x", "競合"),
            )


def test_redis_sets_and_gets(stack: Stack) -> None:
    client = redis.Redis.from_url(stack.settings.effective_redis_url)
    key = f"zaiko:test:{uuid.uuid4().hex}"
    try:
        client.set(key, "在庫", ex=60)
        assert client.get(key) == "在庫".encode()
    finally:
        client.delete(key)
        client.close()
