"""The audit on moto and the embedded Postgres: a parallel journal scan against the read model."""

from __future__ import annotations

import uuid

import psycopg
import pytest

from compose.stack import Stack
from connectors.audit import run_audit
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import ensure_tables
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from tests.integration.journal_story import journal_and_project
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


def test_the_audit_finds_nothing_on_a_faithful_model_and_reports_a_drifted_one(
    stack: Stack,
) -> None:
    prefix = f"zaiko-audit-{uuid.uuid4().hex[:8]}-"
    settings = stack.settings.model_copy(update={"table_prefix": prefix})
    client = dynamodb_client(settings)
    ensure_tables(client, prefix)
    journal = build_stores(client, prefix).events
    stories = [Scenario.fresh() for _ in range(3)]
    url = settings.effective_database_url
    projector = PostgresProjector.connect(url)
    try:
        for s in stories:
            journal_and_project(journal, projector, s)
    finally:
        projector.close()
    scope = "^(" + "|".join(f"{s.product}|{s.w1}|{s.w2}" for s in stories) + ")"
    clean = run_audit(settings, match=scope, segments=4, client=client)
    assert clean.differences == []
    assert clean.aggregates == 3 * 9  # per story: 2 warehouses, 3 zones, 1 product, 3 inventories
    victim = stories[1].inventory(stories[1].w2)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE 在庫 SET 引当済数 = 引当済数 + 3 WHERE 在庫ID = %s", (victim,))
        conn.execute("DELETE FROM 投影位置 WHERE 集約ID = %s", (stories[2].product,))
    drifted = run_audit(settings, match=scope, segments=4, client=client)
    assert {(d.check, d.subject) for d in drifted.differences} == {
        ("在庫数量", victim),
        ("投影位置", stories[2].product),
    }
