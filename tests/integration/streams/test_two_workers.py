"""Two workers in one consumer group split the command partitions and answer each command once.

Runs ``zaiko bench workers`` small (its figures are not asserted: rates are the
bench's business, never a test's): one worker holds every partition of
inventory.commands, then a second one with the same app id takes some of them over.
"""

from __future__ import annotations

import pytest

from bench.workers import run, split
from compose.stack import Stack

pytestmark = pytest.mark.integration
COMMANDS = 200


def test_a_second_worker_in_the_group_takes_over_part_of_the_partitions(stack: Stack) -> None:
    result = run(stack.settings, commands=COMMANDS, inventories=40, split_timeout_s=60)
    partitions = frozenset(range(stack.settings.topic_partitions))

    (alone,) = result.one.shares
    assert alone.partitions == partitions
    assert alone.answered == COMMANDS

    first, second = result.two.shares
    assert split([first.partitions, second.partitions], len(partitions))
    assert first.answered > 0 and second.answered > 0  # 40 inventories land on both halves
    assert first.answered + second.answered == COMMANDS  # none answered by both
    assert result.one.rejected == result.two.rejected == 0
