"""What every aggregate shares: the "does not exist yet" state and folding events into state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from domain.errors import NotFoundError

S = TypeVar("S")
E = TypeVar("E")


@dataclass(frozen=True)
class Absent:
    """State of an aggregate that has not been created; `version` counts events seen anyway.

    Only a recorded StorageConditionViolated_V1 on a refused CreateInventory moves an absent
    stream's version past zero.
    """

    version: int = 0


INITIAL = Absent()


def fold_with(evolve: Callable[[S | Absent, E], S | Absent], events: Iterable[E]) -> S | Absent:
    """Apply `events` in order to the initial state."""
    state: S | Absent = INITIAL
    for event in events:
        state = evolve(state, event)
    return state


def keep_or(new: E | None, current: E) -> E:
    """Return `new` unless it is None (a partial update leaves that field alone)."""
    return current if new is None else new


def missing(kind: str, **ids: str) -> NotFoundError:
    """Build the rejection of a command sent to an aggregate that does not exist."""
    return NotFoundError(f"{kind} not found", **ids)
