"""在庫差異 from the audit: a journal on moto, a read model projected from it, then drift."""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from compose.cli import app
from compose.stack import Stack
from connectors.audit import run_audit
from connectors.dynamodb.client import dynamodb_client
from connectors.dynamodb.tables import JOURNAL, ensure_tables
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from connectors.reports.variance import CLEAN, HEADERS
from tests.integration.journal_story import journal_and_project
from tests.integration.reports.helpers import cli_env, read_csv
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration


def journal_and_model(stack: Stack, url: str) -> tuple[str, Scenario]:
    """Write one story to a fresh journal and project it into ``url``; return the prefix."""
    prefix = f"zaiko-report-{uuid.uuid4().hex[:8]}-"
    client = dynamodb_client(stack.settings.model_copy(update={"table_prefix": prefix}))
    ensure_tables(client, prefix)
    journal = build_stores(client, prefix).events
    story = Scenario.fresh()
    projector = PostgresProjector.connect(url)
    try:
        journal_and_project(journal, projector, story)
    finally:
        projector.close()
    return prefix, story


def variance(stack: Stack, url: str, prefix: str, out: Path) -> tuple[int, list[list[str]], str]:
    result = CliRunner().invoke(app, ["report", "variance", "--segments", "2", "--out", str(out)],
                                env=cli_env(stack.settings, url, prefix))  # fmt: skip
    return result.exit_code, read_csv(out), result.output


def test_a_faithful_read_model_gives_a_header_and_no_difference(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    prefix, _ = journal_and_model(stack, database_url)
    code, rows, output = variance(stack, database_url, prefix, tmp_path / "clean.csv")
    assert code == 0, output
    assert rows == [list(HEADERS), [CLEAN]]
    assert CLEAN in output and "9 aggregates" in output


def test_the_audit_reports_its_progress_through_the_whole_scan(
    stack: Stack, database_url: str
) -> None:
    prefix, story = journal_and_model(stack, database_url)
    settings = stack.settings.model_copy(update={"table_prefix": prefix,
                                                 "database_url": database_url})  # fmt: skip
    steps: list[str] = []
    report = run_audit(settings, segments=3, progress=steps.append)
    assert report.differences == []
    scanned = [s for s in steps if s.startswith("scanning the journal")]
    assert scanned[-1] == f"scanning the journal: {len(story.recorder.envelopes)} items read"
    assert steps[-1].startswith("reading the read model (9 aggregates")


def test_each_drifted_figure_and_each_unreadable_item_is_one_row(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    prefix, story = journal_and_model(stack, database_url)
    victim = story.inventory(story.w1)  # journal: 現在庫数 50, 引当済数 10
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE 在庫 SET 現在庫数 = 現在庫数 + 7, 引当済数 = 引当済数 + 3"
                     " WHERE 在庫ID = %s", (victim,))  # fmt: skip
        journal_seq = conn.execute("SELECT 適用済シーケンス番号 FROM 投影位置 WHERE 集約ID = %s",
                                   (story.product,)).fetchone()  # fmt: skip
        conn.execute("UPDATE 投影位置 SET 適用済シーケンス番号 = 適用済シーケンス番号 + 1"
                     " WHERE 集約ID = %s", (story.product,))  # fmt: skip
    assert journal_seq is not None
    client = dynamodb_client(stack.settings.model_copy(update={"table_prefix": prefix}))
    client.put_item(TableName=JOURNAL.name(prefix), Item={
        "aggregate_id": {"S": f"{story.product}-junk"}, "seq_nr": {"N": "1"}})  # fmt: skip
    code, rows, output = variance(stack, database_url, prefix, tmp_path / "drift.csv")
    assert code == 1, output
    assert rows[0] == list(HEADERS)
    seq = int(journal_seq[0])
    assert sorted(rows[1:]) == sorted([
        ["在庫数量", victim, "現在庫数", "57", "50", "7"],
        ["在庫数量", victim, "引当済数", "13", "10", "3"],
        ["投影位置", story.product, "投影位置", str(seq + 1), str(seq), "1"],
        ["読めない記録", f"{story.product}-junk/1", "読めない記録", "-", rows_error(rows), ""],
    ])  # fmt: skip
    assert "4 件の差異" in output


def rows_error(rows: list[list[str]]) -> str:
    """Return the unreadable item's message as the report wrote it (it names the item)."""
    found = [r[4] for r in rows if r[0] == "読めない記録"]
    assert len(found) == 1 and "is not an entry" in found[0], rows
    return found[0]
