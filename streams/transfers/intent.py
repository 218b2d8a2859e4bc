"""Write a transfer's open-transfers entry before its OUT leg reaches the journal."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from connectors.eventstore.port import EventStore, JournalEntry, NewEvent
from connectors.open_transfers import OpenTransfer, OpenTransferIndex
from schemas import decode_event
from streams.transfers.model import LEG_TYPES, opening


class IntentRecordingStore:
    """An ``EventStore`` that records an intent in the index before appending an OUT leg.

    Before, not after: a crash between the two leaves an entry whose OUT never landed
    (the sweep finds it not pending and removes it), never an OUT the index lacks. A
    refused or conflicting append leaves such an entry too; a retry rewrites it. Every
    other call, and the append itself, pass through to ``inner`` unchanged.
    """

    def __init__(
        self,
        inner: EventStore,
        index: OpenTransferIndex,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.index = index
        self._clock = clock

    def append(
        self,
        aggregate_id: str,
        aggregate_type: str,
        expected_version: int,
        events: Sequence[NewEvent],
        *args: Any,
        **kwargs: Any,
    ) -> JournalEntry:
        """Write an entry per OUT leg among ``events`` (PutItem each), then append."""
        for intent in intents(events, round(self._clock() * 1000)):
            self.index.open(intent)
        return self.inner.append(aggregate_id, aggregate_type, expected_version, events,
                                 *args, **kwargs)  # fmt: skip

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def intents(events: Sequence[NewEvent], written_at_ms: int) -> list[OpenTransfer]:
    """Return the entries the OUT legs among ``events`` open (only legs are decoded)."""
    found = []
    for new in events:
        if new.event_type not in LEG_TYPES:
            continue
        opened = opening(decode_event(new.payload, upcast=False), written_at_ms)
        if opened is not None:
            found.append(opened)
    return found
