"""Zone thresholds are looked up once per TTL and fall back to the default."""

from __future__ import annotations

from typing import Any

import pytest

from connectors.alerts import ThresholdCache


class FakeCursor:
    def __init__(self, answers: dict[tuple[str, str], int | None]) -> None:
        self.answers, self.calls = answers, 0
        self._row: tuple[Any, ...] | None = None

    def execute(self, _sql: str, params: tuple[str, str, int]) -> FakeCursor:
        self.calls += 1
        answer = self.answers.get((params[0], params[1]))
        self._row = (params[2] if answer is None else answer,)
        return self

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._row


def test_a_zone_threshold_is_cached_until_its_ttl_expires() -> None:
    now = [0.0]
    cache = ThresholdCache(10, ttl_s=30, clock=lambda: now[0])
    cursor = FakeCursor({("TKY", "01"): 50})
    assert cache.get(cursor, "TKY", "01") == 50  # type: ignore[arg-type]
    now[0] = 29.0
    assert cache.get(cursor, "TKY", "01") == 50  # type: ignore[arg-type]
    assert cursor.calls == 1
    cursor.answers[("TKY", "01")] = 5
    now[0] = 31.0
    assert cache.get(cursor, "TKY", "01") == 5  # type: ignore[arg-type]
    assert cursor.calls == 2


def test_a_zone_without_a_row_uses_the_default() -> None:
    assert ThresholdCache(10).get(FakeCursor({}), "OSK", "02") == 10  # type: ignore[arg-type]


def test_a_negative_default_is_refused() -> None:
    with pytest.raises(ValueError):
        ThresholdCache(-1)
