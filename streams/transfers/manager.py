"""Drive a transfer to its end from durable facts: OUT -> (create) -> IN -> complete | return.

Each step is a command handed to the command handler in-process, under a command id
derived from the transfer's name: its source, id and OUT leg's sequence number
(``steps.step_id``: ``~transfer/<source>/<tid>/<out seq>/create``, ``…/in``,
``…/complete``, ``…/compensate``). The handler records the first outcome of a command
id for good, so re-running any step returns the same answer and appends nothing: the
manager keeps no state of its own, and a re-drive after a crash at any point picks up
where the journal and the outcome store say the transfer is. A transfer id the source
takes again later is another OUT leg, hence other step ids.

Compensation follows only a recorded refusal of the IN step; that refusal is final, so
the IN can never land afterwards. A transfer opened before transfers were named (its
OUT leg carries no sequence number, ``PendingTransfer.named`` is False) may be
half-driven under the old ids (``<tid>:in``…). It is driven on under the new ones with
an IN that names it by source and id, as the old IN did: the destination takes no
second IN of it, a second settlement is TRANSFER_ALREADY_SETTLED, and a refusal
recorded under an old IN id counts as the IN's answer. Only such a transfer looks its
old ids up. Infrastructure errors raise (the caller retries later) and never lead to a
compensation.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from connectors.eventstore.port import CommandOutcome
from domain.aggregate import Absent
from domain.inventory.commands import (
    CompensateTransfer,
    CompleteTransfer,
    CreateInventory,
    TransferStockIn,
)
from domain.inventory.state import Inventory, PendingTransfer
from domain.message import Command
from domain.messages import aggregate_id_of
from schemas import CommandEnvelope, CommandMeta, now_millis
from streams.handling import CommandHandler
from streams.transfers.model import Transfer
from streams.transfers.steps import ATTEMPTS, legacy_ids, step_id

log = logging.getLogger(__name__)
CHANNEL = "transfer-manager"


class Settlement(StrEnum):
    COMPLETED = "COMPLETED"
    COMPENSATED = "COMPENSATED"
    NOT_PENDING = "NOT_PENDING"  # settled before, or no such outbound transfer


@dataclass(frozen=True)
class Drive:
    """How one drive of a transfer ended, and the outcomes of the steps it ran."""

    transfer: Transfer
    settlement: Settlement
    outcomes: tuple[CommandOutcome, ...] = ()


class TransferStuckError(RuntimeError):
    """A step got an answer the manager cannot act on; the transfer stays pending."""


class TransferManager:
    """Stateless process manager over the command handler (the journal holds progress)."""

    def __init__(self, handler: CommandHandler) -> None:
        self.handler = handler
        # one drive at a time per process: the live path and the sweep never interleave
        self._lock = threading.Lock()

    def drive(self, transfer: Transfer) -> Drive:
        """Run the next steps of ``transfer`` until the source has settled it."""
        with self._lock:
            return self._drive(transfer)

    def _drive(self, t: Transfer) -> Drive:
        source = self._fresh(t.source)
        pending = source.pending_transfers.get(t.transfer_id) if source else None
        if pending is None:
            return Drive(t, Settlement.NOT_PENDING)
        seq, destination, outcomes = pending.sequence_nr, pending.counterpart_inventory_id, []
        if self._fresh(destination) is None:
            created = self._step(t, seq, CreateInventory(destination), "create")
            outcomes.append(created)  # ALREADY_EXISTS is fine; a refusal shows up on IN
        put = TransferStockIn(destination, t.transfer_id, t.source, pending.quantity,
                              t.operator, t.note, pending.out_sequence_nr)  # fmt: skip
        # a named transfer was opened after the old ids: none of their answers is its own
        placed = None if pending.named else self._legacy_refusal(t, destination)
        if placed is None:
            placed = self._step(t, seq, put, "in")
            outcomes.append(placed)
        if placed.status == "ACCEPTED" or self._received(destination, t, pending):
            settle: Command = CompleteTransfer(t.source, t.transfer_id)
            step, settlement = "complete", Settlement.COMPLETED
        else:
            reason = f"{placed.error_code}: {placed.message or ''}"[:1000]
            settle = CompensateTransfer(t.source, t.transfer_id, reason)
            step, settlement = "compensate", Settlement.COMPENSATED
        settled = self._step(t, seq, settle, step)
        outcomes.append(settled)
        if settled.status != "ACCEPTED" and settled.error_code != "TRANSFER_ALREADY_SETTLED":
            raise TransferStuckError(f"{t.transfer_id}: {step} got {settled.error_code}")
        log.info("transfer %s %s", t.transfer_id, settlement.value.lower())
        return Drive(t, settlement, tuple(outcomes))

    def _step(self, t: Transfer, seq: int, command: Command, step: str) -> CommandOutcome:
        """Handle ``command`` under the step's id, then ``.1``, ``.2``… after CONCURRENCY."""
        for attempt in range(ATTEMPTS):
            command_id = step_id(t.source, t.transfer_id, seq, step, attempt)
            outcome = self.handler.handle(_envelope(command, command_id, t))
            if outcome.error_code != "CONCURRENCY":
                return outcome
        raise TransferStuckError(f"{step_id(t.source, t.transfer_id, seq, step)}: "
                                 f"{ATTEMPTS} concurrency rejections")  # fmt: skip

    def _legacy_refusal(self, t: Transfer, destination: str) -> CommandOutcome | None:
        """Return a refusal of the IN step recorded under the old ids (one batched read)."""
        recorded = self.handler.outcomes.find_outcomes(legacy_ids(t.transfer_id, "in"))
        for outcome in recorded.values():
            # the old ids named no source: only an answer from this destination is ours
            if (outcome.aggregate_id, outcome.status) == (destination, "REJECTED") and (
                outcome.error_code != "CONCURRENCY"
            ):
                return outcome
        return None

    def _fresh(self, inventory_id: str) -> Inventory | None:
        """Return the inventory as the journal has it now (the cache may lag other workers)."""
        state = self.handler.loader.load("inventory", inventory_id, max_age_s=0.0).state
        return None if isinstance(state, Absent) else state

    def _received(self, destination: str, t: Transfer, pending: PendingTransfer) -> bool:
        """Tell whether this transfer (source, id, OUT leg) is among the destination's
        recent receipts (the last RECEIVED_TRANSFERS_KEPT: checked right after the IN)."""
        state = self._fresh(destination)
        return state is not None and state.has_received(
            t.source, t.transfer_id, pending.out_sequence_nr
        )


def _envelope(command: Command, command_id: str, t: Transfer) -> CommandEnvelope[Any]:
    meta = CommandMeta(
        command_id=command_id,
        aggregate_id=aggregate_id_of(command),
        issued_at=now_millis(),
        channel=CHANNEL,
        correlation_id=t.correlation_id or t.transfer_id,
    )
    return CommandEnvelope(meta, command)
