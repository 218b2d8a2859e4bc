"""Step ids live in Zaiko's own namespace; transfers half-driven under the old ids settle once."""

from __future__ import annotations

from domain import ReceiveStock, StorageCondition
from domain.inventory.commands import (
    CompleteTransfer,
    CreateInventory,
    TransferStockIn,
    TransferStockOut,
)
from domain.messages import RESERVED_COMMAND_ID_PREFIX
from domain.product.commands import ChangeStorageCondition
from schemas import decode_event
from streams.transfers import Settlement, Transfer, outbound
from tests.unit.streams.builders import create_zone
from tests.unit.transfers.conftest import (
    PRODUCT,
    RECEIVED,
    SOURCE,
    TO_CHILLED,
    TO_OSAKA,
    World,
)

THIRD = f"{PRODUCT}@TKY-02"  # a second ambient zone in the source's warehouse


def out(world: World, source: str, transfer_id: str, to: str, quantity: int) -> Transfer:
    """Run step 1 on ``source`` and return the transfer its OUT event starts."""
    outcome = world.send(TransferStockOut(source, transfer_id, to, quantity))
    assert outcome.status == "ACCEPTED", outcome
    transfer = outbound(decode_event(world.stores.events.load_events(source)[-1].payload))
    assert transfer is not None
    return transfer


def test_every_step_id_is_reserved_and_names_the_source_and_the_out_leg(world: World) -> None:
    drive = world.manager.drive(world.transfer_out("T-1", TO_OSAKA, 5))
    seq = world.out_seq("T-1")
    assert drive.outcomes
    for outcome in drive.outcomes:
        assert outcome.command_id.startswith(RESERVED_COMMAND_ID_PREFIX)
        assert outcome.command_id.startswith(f"~transfer/{SOURCE}/T-1/{seq}/")


def test_the_out_commands_outcome_tells_a_partner_the_step_ids(world: World) -> None:
    sent = world.send(TransferStockOut(SOURCE, "T-P", TO_OSAKA, 5))
    drive = world.manager.drive(Transfer("T-P", SOURCE))
    assert drive.outcomes[-1].command_id == f"~transfer/{SOURCE}/T-P/{sent.version}/complete"


def test_a_client_key_shaped_like_an_old_step_id_does_not_answer_a_step(world: World) -> None:
    # a client's command under "T-C:in" once answered the manager's IN step in its place
    assert world.send(ReceiveStock(SOURCE, 1), "T-C:in").status == "ACCEPTED"
    drive = world.manager.drive(world.transfer_out("T-C", TO_OSAKA, 30))
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_OSAKA, "T-C") == ["IN"]
    assert world.on_hand(TO_OSAKA) == 30
    assert world.total() == RECEIVED + 1


def test_two_sources_may_use_one_transfer_id(world: World) -> None:
    assert world.send(create_zone("TKY-02")).status == "ACCEPTED"
    world.manager.drive(world.transfer_out("SEED", THIRD, 40))
    first = world.transfer_out("SAME", TO_OSAKA, 10)
    second = out(world, THIRD, "SAME", SOURCE, 5)
    assert world.manager.drive(first).settlement is Settlement.COMPLETED
    assert world.manager.drive(second).settlement is Settlement.COMPLETED
    assert world.legs(SOURCE, "SAME") == ["OUT", "TransferCompleted_V1", "IN"]
    assert world.state(THIRD).pending_transfers == {}
    assert (world.on_hand(SOURCE), world.on_hand(THIRD), world.on_hand(TO_OSAKA)) == (55, 35, 10)
    inventories = (*world.inventories, THIRD)
    assert sum(world.on_hand(i) for i in inventories) == RECEIVED


def test_a_transfer_whose_in_landed_under_the_old_id_completes_without_a_second_in(
    world: World,
) -> None:
    old = world.released()
    transfer = old.transfer_out("OLD-1", TO_OSAKA, 20)
    old.send(CreateInventory(TO_OSAKA), "OLD-1:create")
    placed = old.send(TransferStockIn(TO_OSAKA, "OLD-1", SOURCE, 20), "OLD-1:in")
    assert placed.status == "ACCEPTED"  # then the old worker stopped; the new one drives on
    drive = world.restarted().manager.drive(transfer)
    assert drive.settlement is Settlement.COMPLETED
    assert world.legs(TO_OSAKA, "OLD-1") == ["IN"]
    assert world.legs(SOURCE, "OLD-1") == ["OUT", "TransferCompleted_V1"]
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (80, 20)
    assert world.manager.drive(transfer).settlement is Settlement.NOT_PENDING
    assert world.total() == RECEIVED


def test_a_transfer_settled_under_the_old_ids_is_not_driven_again(world: World) -> None:
    old = world.released()
    transfer = old.transfer_out("OLD-2", TO_OSAKA, 20)
    old.send(CreateInventory(TO_OSAKA), "OLD-2:create")
    old.send(TransferStockIn(TO_OSAKA, "OLD-2", SOURCE, 20), "OLD-2:in")
    old.send(CompleteTransfer(SOURCE, "OLD-2"), "OLD-2:complete")
    length = world.journal_length()
    drive = world.restarted().manager.drive(transfer)
    assert (drive.settlement, drive.outcomes) == (Settlement.NOT_PENDING, ())
    assert world.journal_length() == length


def test_a_refusal_recorded_under_the_old_id_stays_final(world: World) -> None:
    old = world.released()
    transfer = old.transfer_out("OLD-3", TO_CHILLED, 15)
    old.send(CreateInventory(TO_CHILLED), "OLD-3:create")
    refused = old.send(TransferStockIn(TO_CHILLED, "OLD-3", SOURCE, 15), "OLD-3:in")
    assert refused.status == "REJECTED"
    # the destination would take it now; the recorded refusal still decides
    changed = world.send(ChangeStorageCondition(PRODUCT, StorageCondition.CHILLED))
    assert changed.status == "ACCEPTED"
    drive = world.restarted().manager.drive(transfer)
    assert drive.settlement is Settlement.COMPENSATED
    assert world.legs(TO_CHILLED, "OLD-3") == []
    assert world.legs(SOURCE, "OLD-3") == ["OUT", "RETURN"]
    assert world.on_hand(SOURCE) == RECEIVED and world.total() == RECEIVED
