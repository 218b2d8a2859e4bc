"""What the transfer process manager reads from the journal: outbound legs and settlements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from connectors.eventstore.port import JournalEntry
from domain.enums import TransferDirection
from domain.inventory.events import StockTransferred_V1, TransferCompleted_V1, ZoneTransferred_V1
from schemas import EventEnvelope, decode_event

LEG_TYPES = frozenset({"StockTransferred_V1", "ZoneTransferred_V1"})
SETTLEMENT_TYPES = LEG_TYPES | {"TransferCompleted_V1"}
RETURN = TransferDirection.RETURN


@dataclass(frozen=True)
class Transfer:
    """A transfer to drive, named by its source inventory and transfer id.

    Everything else (destination, quantity) is read from the source's pending entry,
    the durable fact, when the transfer is driven.
    """

    transfer_id: str
    source: str
    correlation_id: str = ""
    operator: str | None = None
    note: str | None = None


def outbound(envelope: EventEnvelope[Any]) -> Transfer | None:
    """Return the transfer an event starts, when it is the OUT leg of one."""
    event = envelope.event
    if not isinstance(event, StockTransferred_V1 | ZoneTransferred_V1):
        return None
    if event.direction is not TransferDirection.OUT:
        return None
    return Transfer(
        event.transfer_id,
        event.inventory_id,
        envelope.meta.correlation_id,
        event.operator,
        event.note,
    )


def pending_in(entries: Iterable[JournalEntry]) -> list[Transfer]:
    """Return the transfers whose OUT leg ``entries`` hold without a completion or return.

    Order-independent (a table scan yields items in no useful order): an OUT is
    pending unless the same source also recorded its RETURN or TransferCompleted_V1.
    Only transfer events are decoded, so a sweep over a large journal stays cheap.
    """
    started: dict[tuple[str, str], Transfer] = {}
    settled: set[tuple[str, str]] = set()
    for entry in entries:
        if entry.aggregate_type != "inventory":
            continue
        for stored in entry.events:
            if stored.event_type not in SETTLEMENT_TYPES:
                continue
            envelope = decode_event(stored.payload, upcast=False)
            event = envelope.event
            key = (entry.aggregate_id, str(getattr(event, "transfer_id", "")))
            if isinstance(event, TransferCompleted_V1) or event.direction == RETURN:
                settled.add(key)
            elif (transfer := outbound(envelope)) is not None:
                started[key] = transfer
    return [t for key, t in sorted(started.items()) if key not in settled]
