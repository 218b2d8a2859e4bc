"""The comparison's report names each differing table, its counts and sample keys."""

from __future__ import annotations

from connectors.replay.compare import (
    PROJECTED,
    PROJECTION_TIME,
    Comparison,
    TableDiff,
    TableSummary,
    describe,
)


def test_equal_models_describe_no_difference() -> None:
    same = TableSummary(3, 42)
    assert describe(Comparison("public", "public_shadow", {"在庫": (same, same)}, [])) == []


def test_a_difference_names_the_table_counts_and_keys_on_each_side() -> None:
    key = ("PRD-000001@TKY-01",)
    diff = TableDiff("在庫", TableSummary(2, 1), TableSummary(2, 5), [key], [key])
    lines = describe(Comparison("public", "public_shadow", {}, [diff]))
    assert lines[0] == "在庫: public 2 rows, public_shadow 2 rows, checksums differ"
    assert lines[1] == "  only in public (first 5): PRD-000001@TKY-01"
    assert lines[2] == "  only in public_shadow (first 5): PRD-000001@TKY-01"


def test_only_projection_time_columns_are_ignored() -> None:
    assert set(PROJECTION_TIME) <= set(PROJECTED)
    assert all(columns == {"更新日時"} for columns in PROJECTION_TIME.values())
    assert "在庫" not in PROJECTION_TIME  # 最終更新日時 is the event's time: compared
