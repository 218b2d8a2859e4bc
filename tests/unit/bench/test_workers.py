"""When ``zaiko bench workers`` calls the partitions of a topic split between its workers."""

from __future__ import annotations

from bench.workers import split


def test_disjoint_non_empty_sets_covering_the_topic_are_a_split() -> None:
    assert split([frozenset({0, 1, 2}), frozenset({3, 4, 5, 6, 7})], 8)


def test_a_worker_holding_nothing_a_partition_held_twice_or_one_unheld_is_not() -> None:
    assert not split([frozenset(range(8)), frozenset()], 8)
    assert not split([frozenset({0, 1, 2, 3, 4}), frozenset({4, 5, 6, 7})], 8)
    assert not split([frozenset({0, 1, 2}), frozenset({4, 5, 6, 7})], 8)
