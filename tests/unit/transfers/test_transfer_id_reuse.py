"""A transfer id the source takes again once it has left its window of settled ids.

The transfer manager's step ids and the destination's received window name a transfer
by its source, its id and its OUT leg's sequence number, so the second transfer of an
id finds none of the first one's recorded outcomes, and a destination that still
remembers the first one takes the second's IN. The settled window is made small here
(``KEPT``); the destination's received window keeps its 1,000, so it still remembers.
"""

from __future__ import annotations

import pytest

from domain import ReceiveStock, StorageCondition
from domain.inventory.commands import TransferStockIn
from domain.product.commands import ChangeStorageCondition
from streams.transfers import Settlement
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


@pytest.mark.usefixtures("small_window")
def test_a_transfer_id_used_again_after_leaving_the_window_moves_its_units(world: World) -> None:
    world.send(ReceiveStock(SOURCE, KEPT + 1))
    first = world.manager.drive(world.transfer_out("T-0", TO_OSAKA, 1))
    first_seq = world.out_seq("T-0")
    push_out_of_the_window(world, "T-0")
    assert world.state(TO_OSAKA).has_received(SOURCE, "T-0", first_seq)  # still remembered
    again = world.manager.drive(world.transfer_out("T-0", TO_OSAKA, 1))
    assert (first.settlement, again.settlement) == (Settlement.COMPLETED, Settlement.COMPLETED)
    assert {o.command_id for o in first.outcomes}.isdisjoint(o.command_id for o in again.outcomes)
    assert world.state(SOURCE).pending_transfers == {}
    assert world.legs(SOURCE, "T-0") == ["OUT", "TransferCompleted_V1"] * 2
    assert world.legs(TO_OSAKA, "T-0") == ["IN", "IN"]
    assert world.on_hand(TO_OSAKA) == KEPT + 2
    assert world.total() == RECEIVED + KEPT + 1


@pytest.mark.usefixtures("small_window")
def test_the_refusal_of_an_earlier_transfer_of_the_id_does_not_return_the_next(
    world: World,
) -> None:
    world.send(ReceiveStock(SOURCE, KEPT))
    refused = world.manager.drive(world.transfer_out("T-R", TO_CHILLED, 10))
    assert refused.settlement is Settlement.COMPENSATED
    push_out_of_the_window(world, "T-R")
    changed = world.send(ChangeStorageCondition(PRODUCT, StorageCondition.CHILLED))
    assert changed.status == "ACCEPTED"  # the chilled zone takes the product now
    again = world.manager.drive(world.transfer_out("T-R", TO_CHILLED, 10))
    assert again.settlement is Settlement.COMPLETED
    assert world.legs(SOURCE, "T-R") == ["OUT", "RETURN", "OUT", "TransferCompleted_V1"]
    assert world.legs(TO_CHILLED, "T-R") == ["IN"]
    assert world.on_hand(TO_CHILLED) == 10 and world.total() == RECEIVED + KEPT


@pytest.mark.usefixtures("small_window")
def test_an_in_redelivered_under_its_step_id_or_another_id_adds_nothing(world: World) -> None:
    world.send(ReceiveStock(SOURCE, KEPT + 1))
    first = world.manager.drive(world.transfer_out("T-D", TO_OSAKA, 1))
    push_out_of_the_window(world, "T-D")
    again = world.manager.drive(world.transfer_out("T-D", TO_OSAKA, 1))
    on_hand, length = world.on_hand(TO_OSAKA), world.journal_length()
    for drive in (first, again):
        [placed] = [o for o in drive.outcomes if o.command_id.endswith("/in")]
        seq = int(placed.command_id.split("/")[-2])
        put = TransferStockIn(TO_OSAKA, "T-D", SOURCE, 1, out_sequence_nr=seq)
        redelivered = world.send(put, placed.command_id)
        assert (redelivered.status, redelivered.version) == ("ACCEPTED", placed.version)
        assert world.send(put).event_types == ()  # a new command id: the window knows it
    assert (world.on_hand(TO_OSAKA), world.journal_length()) == (on_hand, length)
    assert world.total() == RECEIVED + KEPT + 1
