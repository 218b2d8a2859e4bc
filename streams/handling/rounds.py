"""How a batch is cut into rounds, and the refs check that opens each round."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from domain.message import Command
from domain.messages import aggregate_type_of
from streams.handling.aggregates import KINDS
from streams.handling.cache import RECENT_COMMANDS
from streams.handling.refs import ref_keys

if TYPE_CHECKING:
    from streams.handling.handler import CommandHandler

log = logging.getLogger(__name__)
ROUND = RECENT_COMMANDS // 2  # commands of one aggregate per round
ROUND_COMMANDS = 64  # commands per round in all


def rounds(
    groups: Mapping[str, list[int]], per_aggregate: int, total: int
) -> Iterator[list[list[int]]]:
    """Yield rounds of per-aggregate chunks, each aggregate's commands in order.

    A round holds at most ``per_aggregate`` commands of one aggregate and ``total`` in
    all; its outcomes are recorded while the next round runs, and before the one after
    that starts. So after a crash the journal entries without a recorded outcome lie in
    two rounds, among an aggregate's last RECENT_COMMANDS (= 2 x ``per_aggregate``),
    which a cold load knows (handler step 3), and a round is short
    enough for the refs checked at its start to stay within their allowed age.
    """
    queues = [deque(g) for g in groups.values()]
    while queues:
        chunks, room = [], total
        for queue in queues:
            take = min(per_aggregate, len(queue), room)
            if take <= 0:
                break
            chunks.append([queue.popleft() for _ in range(take)])
            room -= take
        queues = [q for q in queues if q]
        yield chunks


def revalidate_refs(handler: CommandHandler, commands: Sequence[Command]) -> None:
    """Check every aged ref the commands need in one round trip instead of one each."""
    try:
        keys = []
        for command in commands:
            if KINDS[aggregate_type_of(command)].needs_refs(command):
                keys.extend(ref_keys(command))
        if keys:
            # renew refs past a quarter of their allowed age: they stay fresh all round
            handler.loader.revalidate(keys, handler.config.refs_max_age_s / 4)
    except Exception:  # only a shortcut: each command still catches up what it needs
        log.warning("revalidating refs failed", exc_info=True)
