"""Transfers the released worker opened, in the shapes it wrote, meet named ones.

The released worker wrote legs and INs without ``out_sequence_nr`` and stepped under
``<tid>:<step>``; its destinations remember ``<source>/<id>``. Such a receipt keeps
protecting against a second IN of that same transfer, and never swallows the IN of a
later, named transfer of the same id.
"""

from __future__ import annotations

import pytest

from domain import ReceiveStock, StorageCondition
from domain.inventory.commands import (
    CompensateTransfer,
    CompleteTransfer,
    CreateInventory,
    TransferStockIn,
)
from domain.product.commands import ChangeStorageCondition
from schemas import decode_command, encode
from streams.handling.state_codec import decode_state
from streams.transfers import Settlement, Transfer
from tests.unit.streams.builders import envelope
from tests.unit.transfers.conftest import (
    KEPT,
    PRODUCT,
    RECEIVED,
    SOURCE,
    TO_CHILLED,
    TO_OSAKA,
    World,
    push_out_of_the_window,
)
from tests.unit.transfers.released import first_shape, snapshot_before_names


def released_transfer(world: World, transfer_id: str, to: str, quantity: int) -> None:
    """Open ``transfer_id`` and place its IN as the released worker did, leaving it pending."""
    old = world.released()
    old.transfer_out(transfer_id, to, quantity)
    old.send(CreateInventory(to), f"{transfer_id}:create")
    old.send(TransferStockIn(to, transfer_id, SOURCE, quantity), f"{transfer_id}:in")


def test_an_in_in_the_old_shape_sent_again_under_a_new_id_adds_nothing(world: World) -> None:
    released_transfer(world, "OLD-1", TO_OSAKA, 20)
    assert world.state(TO_OSAKA).has_received(SOURCE, "OLD-1")
    old_bytes = first_shape(encode(envelope(TransferStockIn(TO_OSAKA, "OLD-1", SOURCE, 20))))
    again = decode_command(old_bytes)
    assert again.command.out_sequence_nr is None
    outcome = world.handler.handle(again)
    assert (outcome.status, outcome.event_types) == ("ACCEPTED", ())
    assert world.legs(TO_OSAKA, "OLD-1") == ["IN"] and world.on_hand(TO_OSAKA) == 20
    drive = world.restarted().manager.drive(Transfer("OLD-1", SOURCE))
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_OSAKA, "OLD-1") == ["IN"] and world.total() == RECEIVED


def test_a_half_driven_transfer_restored_from_a_snapshot_before_names_settles_once(
    world: World,
) -> None:
    released_transfer(world, "OLD-2", TO_OSAKA, 20)
    for inventory_id in (SOURCE, TO_OSAKA):
        state = world.restarted().state(inventory_id)
        world.stores.snapshots.save(inventory_id, state.version, snapshot_before_names(state))
    fresh = world.restarted()
    loaded = fresh.handler.loader.load("inventory", SOURCE)
    source_snapshot = world.stores.snapshots.latest(SOURCE)
    assert source_snapshot is not None and source_snapshot.version == loaded.version
    assert loaded.state.pending_transfers["OLD-2"].named is False
    snapshot = world.stores.snapshots.latest(TO_OSAKA)
    assert snapshot is not None and decode_state(snapshot.state).has_received(SOURCE, "OLD-2")
    drive = fresh.manager.drive(Transfer("OLD-2", SOURCE))
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_OSAKA, "OLD-2") == ["IN"]
    assert world.legs(SOURCE, "OLD-2") == ["OUT", "TransferCompleted_V1"]
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (80, 20)
    assert world.total() == RECEIVED


@pytest.mark.usefixtures("small_window")
def test_a_named_transfer_of_an_id_received_before_names_lands(world: World) -> None:
    world.send(ReceiveStock(SOURCE, KEPT))
    released_transfer(world, "OLD-3", TO_OSAKA, 5)
    world.released().send(CompleteTransfer(SOURCE, "OLD-3"), "OLD-3:complete")
    push_out_of_the_window(world, "OLD-3")
    assert world.state(TO_OSAKA).has_received(SOURCE, "OLD-3")  # the old receipt stays
    drive = world.manager.drive(world.transfer_out("OLD-3", TO_OSAKA, 7))
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_OSAKA, "OLD-3") == ["IN", "IN"]
    assert world.on_hand(TO_OSAKA) == 5 + KEPT + 7
    assert world.total() == RECEIVED + KEPT


@pytest.mark.usefixtures("small_window")
def test_a_refusal_under_the_old_ids_decides_no_named_transfer_of_the_id(world: World) -> None:
    world.send(ReceiveStock(SOURCE, KEPT))
    old = world.released()
    old.transfer_out("OLD-4", TO_CHILLED, 5)
    old.send(CreateInventory(TO_CHILLED), "OLD-4:create")
    refused = old.send(TransferStockIn(TO_CHILLED, "OLD-4", SOURCE, 5), "OLD-4:in")
    assert refused.status == "REJECTED"
    old.send(CompensateTransfer(SOURCE, "OLD-4", "refused"), "OLD-4:compensate")
    push_out_of_the_window(world, "OLD-4")
    world.send(ChangeStorageCondition(PRODUCT, StorageCondition.CHILLED))
    drive = world.manager.drive(world.transfer_out("OLD-4", TO_CHILLED, 5))
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_CHILLED, "OLD-4") == ["IN"] and world.on_hand(TO_CHILLED) == 5
    assert world.total() == RECEIVED + KEPT
