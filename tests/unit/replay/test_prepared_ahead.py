"""A replay prepares batch n+1 in a second thread while batch n is applied, in order."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from connectors.replay.projection import prepared_ahead

DEADLINE_S = 10


def test_batches_come_out_prepared_and_in_order() -> None:
    batches: list[Any] = [[1, 2], [3], [4, 5, 6]]
    assert list(prepared_ahead(batches, lambda b: sum(b))) == [3, 3, 15]


def test_the_next_batch_is_prepared_while_the_current_one_is_applied() -> None:
    second_prepared = threading.Event()
    threads: list[str] = []

    def prepare(batch: Any) -> Any:
        threads.append(threading.current_thread().name)
        if batch == [2]:
            second_prepared.set()
        return batch

    consumed = []
    for prepared in prepared_ahead([[1], [2]], prepare):
        if prepared == [1]:  # "applying" batch 1: batch 2 gets prepared meanwhile
            assert second_prepared.wait(DEADLINE_S), "batch 2 was not prepared ahead"
        consumed.append(prepared)
    assert consumed == [[1], [2]]
    assert all(name != threading.current_thread().name for name in threads)


def test_a_failure_while_preparing_or_reading_reaches_the_caller() -> None:
    def batches() -> Iterator[Any]:
        yield [1]
        raise ConnectionError("topic gone")

    seen = []
    with pytest.raises(ConnectionError, match="topic gone"):
        for prepared in prepared_ahead(batches(), lambda b: b):
            seen.append(prepared)
    assert seen == [[1]]
