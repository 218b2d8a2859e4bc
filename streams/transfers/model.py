"""What the transfer process manager reads from events: outbound legs and settlements."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from connectors.eventstore.port import JournalEntry
from connectors.open_transfers import OpenTransfer
from domain.enums import TransferDirection
from domain.inventory.events import StockTransferred_V1, TransferCompleted_V1, ZoneTransferred_V1
from schemas import EventEnvelope, decode_event

LEG_TYPES = frozenset({"StockTransferred_V1", "ZoneTransferred_V1"})
SETTLEMENT_TYPES = LEG_TYPES | {"TransferCompleted_V1"}
RETURN = TransferDirection.RETURN


@dataclass(frozen=True)
class Transfer:
    """A transfer to drive, found by its source inventory and transfer id.

    Everything else (destination, quantity, the OUT leg's sequence number that names it
    forever) is read from the source's pending entry, the durable fact, when the
    transfer is driven: at most one transfer of an id is pending on a source at a time.
    """

    transfer_id: str
    source: str
    correlation_id: str = ""
    operator: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, entry: OpenTransfer) -> Transfer:
        """Return the transfer an open-transfers entry names."""
        return cls(entry.transfer_id, entry.source, entry.correlation_id, entry.operator,
                   entry.note)  # fmt: skip


def outbound(envelope: EventEnvelope[Any]) -> Transfer | None:
    """Return the transfer an event starts, when it is the OUT leg of one."""
    opened = opening(envelope, written_at_ms=0)
    return None if opened is None else Transfer.of(opened)


def opening(envelope: EventEnvelope[Any], written_at_ms: int) -> OpenTransfer | None:
    """Return the open-transfers entry an event starts, when it is the OUT leg of one."""
    event = envelope.event
    if not isinstance(event, StockTransferred_V1 | ZoneTransferred_V1):
        return None
    if event.direction is not TransferDirection.OUT:
        return None
    return OpenTransfer(
        source=event.inventory_id,
        transfer_id=event.transfer_id,
        destination=event.counterpart_inventory_id,
        quantity=event.quantity,
        opened_at_ms=round(envelope.meta.occurred_at.timestamp() * 1000),
        written_at_ms=written_at_ms,
        correlation_id=envelope.meta.correlation_id,
        operator=event.operator,
        note=event.note,
        out_sequence_nr=event.out_sequence_nr,
    )


def open_in(entries: Iterable[JournalEntry], written_at_ms: int) -> list[OpenTransfer]:
    """Return the transfers whose OUT leg ``entries`` hold without a completion or return.

    Order-independent (a table scan yields items in no useful order): an OUT is open
    unless the same source also recorded its RETURN or TransferCompleted_V1. Only
    transfer events are decoded. Reads whatever ``entries`` yields: meant for the
    on-demand ``zaiko transfers reindex``, never for a recurring task.
    """
    started: dict[tuple[str, str], OpenTransfer] = {}
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
            elif (opened := opening(envelope, written_at_ms)) is not None:
                started[key] = opened
    return [t for key, t in sorted(started.items()) if key not in settled]
