"""区画別受払集計 on a known 受払履歴: the CSV against hand-computed figures and plain SQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from compose.cli import app
from compose.stack import Stack
from connectors.reports.zone_movements import HEADERS
from tests.integration.reports.helpers import cli_env, read_csv

pytestmark = pytest.mark.integration

ZONES = [("TKY", "01", "常温区画", "常温"), ("TKY", "02", "冷蔵区画", "冷蔵"),
         ("OSK", "01", "常温区画", "常温"), ("OSK", "09", "空き区画", "常温")]  # fmt: skip
A, B, C = "PRD-000001@TKY-01", "PRD-000001@OSK-01", "PRD-000002@TKY-02"
# 在庫ID, seq, JST time, 受払区分, 受払数量, 受払後在庫数, 調整理由, 移動ID, 移動方向
MOVEMENTS = [
    (A, 1, "2026-11-30 10:00", "入庫", 100, 100, None, None, None),
    (A, 2, "2026-12-01 00:00", "出庫", -30, 70, None, None, None),  # the first instant: in
    (A, 3, "2026-12-02 23:59:59", "移動", -20, 50, None, "TRF-1", "OUT"),
    (A, 4, "2026-12-03 00:00", "入庫", 5, 55, None, None, None),  # the day after: out
    (B, 1, "2026-12-02 12:00", "移動", 20, 20, None, "TRF-1", "IN"),
    (B, 2, "2026-12-02 13:00", "調整", -2, 18, "破損", None, None),
    (C, 1, "2026-11-01 09:00", "入庫", 40, 40, None, None, None),
    (C, 2, "2026-12-01 09:00", "調整", 3, 43, "棚卸差異", None, None),
    (C, 3, "2026-12-01 10:00", "移動", -10, 33, None, "TRF-2", "OUT"),
    (C, 4, "2026-12-01 11:00", "移動", 10, 43, None, "TRF-2", "RETURN"),
]
# 期首, 入庫 n/q, 出庫 n/q, 移動入 n/q, 移動出 n/q, 調整 n/q, 期末 over 2026-12-01 .. 12-02
EXPECTED = {
    ("TKY", "01"): [100, 0, 0, 1, 30, 0, 0, 1, 20, 0, 0, 50],
    ("TKY", "02"): [40, 0, 0, 0, 0, 1, 10, 1, 10, 1, 3, 43],
    ("OSK", "01"): [0, 0, 0, 0, 0, 1, 20, 0, 0, 1, -2, 18],
    ("OSK", "09"): [0] * 12,
}


def load(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for code, name in (("TKY", "東京倉庫"), ("OSK", "大阪倉庫")):
            conn.execute("INSERT INTO 倉庫 (倉庫コード, 倉庫名, 有効フラグ) VALUES (%s, %s, true)",
                         (code, name))  # fmt: skip
        for code, no, name, kind in ZONES:
            conn.execute(
                "INSERT INTO 倉庫別区画 (倉庫コード, 区画番号, 区画名, 区画タイプ, 区画容量,"
                " 有効フラグ, 作成日時, 更新日時)"
                " VALUES (%s, %s, %s, %s, 1000, true, now(), now())",
                (code, no, name, kind),
            )
        for n, (inv, seq, at, kind, qty, after, reason, transfer, way) in enumerate(MOVEMENTS):
            product, zone = inv.split("@")
            code, no = zone.split("-")
            conn.execute(
                "INSERT INTO 受払履歴 (受払履歴No, 受払日時, 在庫ID, シーケンス番号, 商品ID,"
                " 倉庫コード, 区画番号, 受払区分, 受払数量, 受払後在庫数, 調整理由, 移動ID,"
                " 移動方向)"
                " VALUES (%s, (%s::timestamp AT TIME ZONE 'Asia/Tokyo'), %s, %s, %s, %s, %s,"
                " %s, %s, %s, %s, %s, %s)",
                (f"EV-{n}", at, inv, seq, product, code, no, kind, qty, after, reason, transfer,
                 way),
            )  # fmt: skip


def run(url: str, stack: Stack, out: Path, *period: str) -> list[list[str]]:
    result = CliRunner().invoke(app, ["report", "zone-movements", *period, "--out", str(out)],
                                env=cli_env(stack.settings, url))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "区画別受払集計" in result.output and "合計" in result.output
    return read_csv(out)


def test_zone_movements_over_two_jst_days_match_the_hand_computed_figures(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    load(database_url)
    rows = run(database_url, stack, tmp_path / "z.csv", "--from", "2026-12-01", "--to",
               "2026-12-02")  # fmt: skip
    assert tuple(rows[0]) == HEADERS
    found = {(r[0], r[2]): [int(v) for v in r[4:]] for r in rows[1:]}
    assert found == EXPECTED
    names = {(r[0], r[2]): (r[1], r[3]) for r in rows[1:]}
    assert names[("OSK", "01")] == ("大阪倉庫", "常温区画")
    for figures in found.values():  # 期首 + 入庫 - 出庫 + 移動入 - 移動出 + 調整 = 期末
        opening, _, i, _, o, _, ti, _, to, _, adj, closing = figures
        assert opening + i - o + ti - to + adj == closing


def test_zone_movements_agree_with_plain_sql_over_each_single_day(
    stack: Stack, database_url: str, tmp_path: Path
) -> None:
    load(database_url)
    for day in ("2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03"):
        rows = run(database_url, stack, tmp_path / f"{day}.csv", "--from", day)
        with psycopg.connect(database_url, autocommit=True) as conn:
            moved = conn.execute(
                "SELECT 倉庫コード, 区画番号, count(*), sum(受払数量) FROM 受払履歴"
                " WHERE (受払日時 AT TIME ZONE 'Asia/Tokyo')::date = %s::date GROUP BY 1, 2",
                (day,),
            ).fetchall()
            closing = dict(conn.execute(
                "SELECT 倉庫コード || 区画番号, sum(受払数量) FROM 受払履歴"
                " WHERE (受払日時 AT TIME ZONE 'Asia/Tokyo')::date <= %s::date GROUP BY 1",
                (day,),
            ).fetchall())  # fmt: skip
        expected = {(w, z): (n, total) for w, z, n, total in moved}
        counted = {}
        for r in rows[1:]:
            figures = [int(v) for v in r[4:]]
            count, net = sum(figures[1:11:2]), figures[-1] - figures[0]
            assert figures[-1] == closing.get(r[0] + r[2], 0), (day, r)
            if count:
                counted[(r[0], r[2])] = (count, net)
        assert counted == expected, day


def test_a_period_that_ends_before_it_starts_is_refused(stack: Stack, database_url: str) -> None:
    result = CliRunner().invoke(
        app, ["report", "zone-movements", "--from", "2026-12-02", "--to", "2026-12-01"],
        env=cli_env(stack.settings, database_url),
    )  # fmt: skip
    assert result.exit_code == 2 and "before it starts" in result.output
