"""A bounded window of the ids most recently closed, oldest first."""

from __future__ import annotations

from collections.abc import Iterable, Iterator


class RecentIds:
    """The last ids closed, oldest first, at most a `limits.*_KEPT` of them.

    Immutable: `add` returns a new window. Membership is O(1) and adding copies one
    bounded dict (an insertion-ordered dict keeps the order). Deterministic: the window
    after an event depends only on the window before it and the event, so every worker
    folding the same journal holds the same window.
    """

    __slots__ = ("_ids",)

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self._ids: dict[str, None] = dict.fromkeys(ids)

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the ids, oldest first."""
        return tuple(self._ids)

    def add(self, new_id: str, keep: int) -> RecentIds:
        """Return the window with `new_id` last and the oldest dropped beyond `keep` ids."""
        ids = self._ids.copy()
        ids.pop(new_id, None)
        ids[new_id] = None
        while len(ids) > keep:
            del ids[next(iter(ids))]
        window = RecentIds()
        window._ids = ids
        return window

    def __contains__(self, item: object) -> bool:
        return item in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RecentIds):
            return NotImplemented
        return list(self._ids) == list(other._ids)

    __hash__ = None  # type: ignore[assignment]  # equal windows would need equal hashes

    def __repr__(self) -> str:
        return f"RecentIds({list(self._ids)!r})"
