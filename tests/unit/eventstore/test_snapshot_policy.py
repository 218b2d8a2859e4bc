"""A snapshot is due whenever a command crosses a multiple of N."""

from __future__ import annotations

import pytest

from connectors.eventstore import should_snapshot


@pytest.mark.parametrize(
    ("previous", "new", "every", "due"),
    [
        (0, 1, 100, False),
        (99, 100, 100, True),
        (98, 103, 100, True),
        (100, 101, 100, False),
        (100, 199, 100, False),
        (150, 420, 100, True),
        (0, 5, 0, False),
    ],
)
def test_snapshot_is_due_when_a_multiple_is_crossed(
    previous: int, new: int, every: int, due: bool
) -> None:
    assert should_snapshot(previous, new, every) is due
