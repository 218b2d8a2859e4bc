"""Group the whole journal per aggregate (parallel Scan of connectors.journal_scan) and fold it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from connectors.eventstore.errors import UnreadableItemError
from connectors.eventstore.port import JournalEntry
from connectors.journal_scan import scan_entries
from domain import inventory
from domain.aggregate import fold_with
from domain.inventory.state import Inventory
from schemas import CodecError, decode_event

CREATED_EVENTS = frozenset({"ProductCreated_V1", "CustomerCreated_V1", "WarehouseCreated_V1",
                            "ZoneCreated_V1", "InventoryCreated_V1"})  # fmt: skip


@dataclass
class JournalAggregate:
    """What the journal says about one aggregate."""

    aggregate_id: str
    aggregate_type: str
    entries: list[JournalEntry] = field(default_factory=list)

    @property
    def last_seq(self) -> int:
        return max((e.last_seq_nr for e in self.entries), default=0)

    @property
    def created(self) -> bool:
        """True when a *Created event exists, i.e. the read model must hold a row for it."""
        return any(ev.event_type in CREATED_EVENTS for e in self.entries for ev in e.events)


@dataclass(frozen=True)
class Quantities:
    """現在庫数 and 引当済数 of an inventory (journal fold or 在庫 row)."""

    on_hand: int
    reserved: int


def scan_journal(
    client: Any, table: str, segments: int = 8, match: re.Pattern[str] | None = None,
    unreadable: list[UnreadableItemError] | None = None,
    progress: Callable[[int], object] | None = None,
) -> dict[str, JournalAggregate]:  # fmt: skip
    """Return every aggregate of the journal (ids matching ``match``), entries in order.

    Items that are not entries go to ``unreadable`` when given (else they raise);
    ``progress`` is told how many items were read, as the Scan goes (from its threads).
    """
    keep = match.search if match is not None else None
    aggregates: dict[str, JournalAggregate] = {}
    for entry in scan_entries(client, table, segments, keep, unreadable=unreadable,
                              progress=progress):  # fmt: skip
        found = aggregates.get(entry.aggregate_id)
        if found is None:
            found = JournalAggregate(entry.aggregate_id, entry.aggregate_type)
            aggregates[entry.aggregate_id] = found
        found.entries.append(entry)
    for aggregate in aggregates.values():
        aggregate.entries.sort(key=lambda e: e.first_seq_nr)
    return aggregates


def fold_quantities(aggregate: JournalAggregate) -> Quantities | None:
    """Fold an inventory's journal with the domain's evolve; None if it was never created.

    Raises ``CodecError`` when a payload cannot be decoded.
    """
    events = [decode_event(ev.payload, upcast=False).event
              for entry in aggregate.entries for ev in entry.events]  # fmt: skip
    state = fold_with(inventory.evolve, events)
    if not isinstance(state, Inventory):
        return None
    return Quantities(state.on_hand, state.reserved)


__all__ = ["CodecError", "JournalAggregate", "Quantities", "fold_quantities", "scan_journal"]
