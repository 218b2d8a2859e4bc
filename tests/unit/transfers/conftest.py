"""A small world for the transfer manager: one product, three warehouses, in-memory stores.

The handler appends through ``IntentRecordingStore`` into an in-memory open-transfers
index, as the worker's does. ``World.released()`` is the worker before transfers were
named, over the same stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from connectors.open_transfers import InMemoryOpenTransferIndex
from domain import DeactivateZone, ReceiveStock, StorageCondition, ZoneType
from domain.aggregate import Absent
from domain.inventory import state as inventory_state
from domain.inventory.commands import CreateInventory, TransferStockOut
from domain.message import Command
from schemas import decode_event
from streams.handling import CommandHandler, HandlerConfig
from streams.transfers import IntentRecordingStore, Settlement, Transfer, TransferManager, outbound
from tests.unit.streams.builders import create_product, create_warehouse, create_zone, envelope
from tests.unit.streams.conftest import Stores
from tests.unit.transfers.released import ReleasedStore

PRODUCT = "PRD-000001"
SOURCE = f"{PRODUCT}@TKY-01"
TO_OSAKA = f"{PRODUCT}@OSK-01"  # ambient zone, inventory not created yet
TO_CHILLED = f"{PRODUCT}@OSK-02"  # chilled zone: the ambient product is refused
TO_CLOSED = f"{PRODUCT}@FUK-01"  # inventory exists, zone deactivated afterwards
RECEIVED = 100
KEPT = 3  # the settled window of ``small_window``: reusing an id then takes few transfers


@dataclass
class World:
    stores: Stores
    index: InMemoryOpenTransferIndex
    handler: CommandHandler
    manager: TransferManager
    inventories: tuple[str, ...] = (SOURCE, TO_OSAKA, TO_CHILLED, TO_CLOSED)

    def send(self, command: Command, command_id: str | None = None) -> Any:
        return self.handler.handle(envelope(command, command_id))

    def transfer_out(self, transfer_id: str, to: str, quantity: int) -> Transfer:
        """Run step 1 and return the transfer its OUT event starts (what the agent sees)."""
        outcome = self.send(TransferStockOut(SOURCE, transfer_id, to, quantity))
        assert outcome.status == "ACCEPTED", outcome
        last = self.stores.events.load_events(SOURCE)[-1]
        transfer = outbound(decode_event(last.payload, upcast=False))
        assert transfer is not None
        return transfer

    def out_seq(self, transfer_id: str, source: str = SOURCE) -> int:
        """Return the sequence number of the last OUT leg of ``transfer_id`` on ``source``."""
        for stored in reversed(self.stores.events.load_events(source)):
            transfer = outbound(decode_event(stored.payload, upcast=False))
            if transfer is not None and transfer.transfer_id == transfer_id:
                return stored.seq_nr
        raise AssertionError(f"no OUT leg of {transfer_id} on {source}")

    def legs(self, inventory_id: str, transfer_id: str) -> list[str]:
        """Return the transfer events of ``transfer_id`` on an inventory: directions or names."""
        found = []
        for stored in self.stores.events.load_events(inventory_id):
            event: Any = decode_event(stored.payload, upcast=False).event
            if getattr(event, "transfer_id", None) == transfer_id:
                direction = getattr(event, "direction", None)
                found.append(direction.value if direction else type(event).__name__)
        return found

    def state(self, inventory_id: str) -> Any:
        return self.handler.loader.load("inventory", inventory_id, max_age_s=0.0).state

    def on_hand(self, inventory_id: str) -> int:
        state = self.state(inventory_id)
        return 0 if isinstance(state, Absent) else int(state.on_hand)

    def total(self) -> int:
        """Σ on hand + Σ units in flight (pending outbound not yet received anywhere)."""
        states = [s for s in map(self.state, self.inventories) if not isinstance(s, Absent)]
        landed = {s.inventory_id: s for s in states}
        in_flight = sum(
            p.quantity for s in states for tid, p in s.pending_transfers.items()
            if p.counterpart_inventory_id not in landed
            or not landed[p.counterpart_inventory_id].has_received(
                s.inventory_id, tid, p.out_sequence_nr)
        )  # fmt: skip
        return sum(s.on_hand for s in states) + in_flight

    def journal_length(self) -> int:
        return sum(len(self.stores.events.load_events(i)) for i in self.inventories)

    def restarted(self) -> World:
        """The same stores behind a new worker (empty cache, new manager)."""
        handler = indexed_handler(self.stores, self.index)
        return World(self.stores, self.index, handler, TransferManager(handler))

    def released(self) -> World:
        """The same stores behind the worker as released: its legs carry no OUT seq."""
        events = ReleasedStore(self.stores.events)
        handler = CommandHandler(events, self.stores.outcomes, self.stores.snapshots)
        return World(self.stores, self.index, handler, TransferManager(handler))


def indexed_handler(stores: Stores, index: InMemoryOpenTransferIndex) -> CommandHandler:
    """Return a new handler (a fresh worker) appending through the intent recorder."""
    events = IntentRecordingStore(stores.events, index)
    return CommandHandler(events, stores.outcomes, stores.snapshots, HandlerConfig())


@pytest.fixture
def world() -> World:
    stores, index = Stores(), InMemoryOpenTransferIndex()
    handler = indexed_handler(stores, index)
    w = World(stores, index, handler, TransferManager(handler))
    setup: list[Command] = [
        create_product(PRODUCT, StorageCondition.AMBIENT),
        *(create_warehouse(code) for code in ("TKY", "OSK", "FUK")),
        create_zone("TKY-01"),
        create_zone("OSK-01"),
        create_zone("OSK-02", ZoneType.CHILLED),
        create_zone("FUK-01"),
        CreateInventory(SOURCE),
        CreateInventory(TO_CLOSED),
        DeactivateZone("FUK-01"),
        ReceiveStock(SOURCE, RECEIVED),
    ]
    for command in setup:
        assert w.send(command).status == "ACCEPTED", command
    return w


@pytest.fixture
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep only the last KEPT settled transfer ids on a source."""
    monkeypatch.setattr(inventory_state, "SETTLED_TRANSFERS_KEPT", KEPT)


def push_out_of_the_window(world: World, transfer_id: str) -> None:
    """Settle KEPT other transfers of one unit each, so ``transfer_id`` leaves the window."""
    for n in range(KEPT):
        drive = world.manager.drive(world.transfer_out(f"P-{n}", TO_OSAKA, 1))
        assert drive.settlement is Settlement.COMPLETED
    assert transfer_id not in world.state(SOURCE).settled_transfers  # the source takes it again
