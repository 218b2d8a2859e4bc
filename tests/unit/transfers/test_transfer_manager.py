"""The transfer process manager over in-memory stores: every path ends settled, units kept."""

from __future__ import annotations

from connectors.eventstore.port import CommandOutcome
from domain.inventory.commands import CompleteTransfer, CreateInventory, TransferStockIn
from streams.transfers import Settlement, Transfer, pending_in
from tests.unit.transfers.conftest import (
    RECEIVED,
    SOURCE,
    TO_CHILLED,
    TO_CLOSED,
    TO_OSAKA,
    World,
)


def test_an_accepted_transfer_creates_the_destination_and_completes(world: World) -> None:
    transfer = world.transfer_out("T-1", TO_OSAKA, 30)
    drive = world.manager.drive(transfer)
    assert drive.settlement is Settlement.COMPLETED
    assert [o.command_id for o in drive.outcomes] == ["T-1:create", "T-1:in", "T-1:complete"]
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (70, 30)
    assert world.state(SOURCE).pending_transfers == {}
    assert "T-1" in world.state(SOURCE).settled_transfers
    assert world.total() == RECEIVED


def test_a_transfer_into_a_zone_of_the_wrong_type_is_compensated(world: World) -> None:
    drive = world.manager.drive(world.transfer_out("T-2", TO_CHILLED, 40))
    assert drive.settlement is Settlement.COMPENSATED
    refused_in = drive.outcomes[1]
    assert (refused_in.command_id, refused_in.status) == ("T-2:in", "REJECTED")
    assert world.on_hand(SOURCE) == RECEIVED
    assert world.state(SOURCE).pending_transfers == {}
    assert world.on_hand(TO_CHILLED) == 0
    assert world.total() == RECEIVED


def test_a_transfer_into_an_inactive_zone_is_compensated_with_the_reason(world: World) -> None:
    drive = world.manager.drive(world.transfer_out("T-3", TO_CLOSED, 10))
    assert drive.settlement is Settlement.COMPENSATED
    assert drive.outcomes[0].error_code == "ZONE_INACTIVE"
    [*_, returned] = world.stores.events.load_events(SOURCE)
    assert returned.command_id == "T-3:compensate"
    assert world.on_hand(SOURCE) == RECEIVED and world.total() == RECEIVED


def test_a_crash_right_after_the_out_leg_is_settled_by_the_sweep(world: World) -> None:
    world.transfer_out("T-4", TO_OSAKA, 25)
    assert world.total() == RECEIVED  # 25 in flight
    after_restart = world.restarted()
    entries = [e for i in world.inventories for e in world.stores.events.load(i)]
    [pending] = pending_in(entries)
    assert (pending.transfer_id, pending.source) == ("T-4", SOURCE)
    assert after_restart.manager.drive(pending).settlement is Settlement.COMPLETED
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (75, 25)
    assert pending_in(e for i in world.inventories for e in world.stores.events.load(i)) == []


def test_a_crash_after_the_in_leg_completes_on_restart_without_a_second_in(world: World) -> None:
    transfer = world.transfer_out("T-5", TO_OSAKA, 20)
    destination = TO_OSAKA
    world.send(CreateInventory(destination), "T-5:create")
    world.send(TransferStockIn(destination, "T-5", SOURCE, 20), "T-5:in")  # then the crash
    assert world.total() == RECEIVED
    drive = world.restarted().manager.drive(transfer)
    assert drive.settlement is Settlement.COMPLETED
    assert (world.on_hand(SOURCE), world.on_hand(destination)) == (80, 20)
    assert world.total() == RECEIVED


def test_a_crash_after_the_refusal_compensates_on_restart(world: World) -> None:
    transfer = world.transfer_out("T-6", TO_CLOSED, 5)
    refused = world.send(TransferStockIn(TO_CLOSED, "T-6", SOURCE, 5), "T-6:in")
    assert refused.status == "REJECTED"
    assert world.restarted().manager.drive(transfer).settlement is Settlement.COMPENSATED
    assert world.on_hand(SOURCE) == RECEIVED and world.total() == RECEIVED


def test_driving_a_settled_transfer_again_changes_nothing(world: World) -> None:
    transfer = world.transfer_out("T-7", TO_OSAKA, 30)
    world.manager.drive(transfer)
    length = world.journal_length()
    assert world.manager.drive(transfer).settlement is Settlement.NOT_PENDING
    assert world.restarted().manager.drive(transfer).settlement is Settlement.NOT_PENDING
    assert world.journal_length() == length
    assert world.total() == RECEIVED


def test_re_running_each_step_is_harmless(world: World) -> None:
    transfer = world.transfer_out("T-8", TO_OSAKA, 30)
    drive = world.manager.drive(transfer)
    length = world.journal_length()
    fresh = world.restarted()
    for first in drive.outcomes:
        step = first.command_id.split(":")[-1]
        again = fresh.manager._step(transfer, _command_of(world, first.command_id), step)
        assert (again.status, again.version) == (first.status, first.version)
    assert world.journal_length() == length
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (70, 30)


def test_a_concurrency_rejection_moves_the_step_to_its_next_command_id(world: World) -> None:
    transfer = world.transfer_out("T-9", TO_OSAKA, 10)
    gave_up = CommandOutcome(
        "T-9:in", TO_OSAKA, "inventory", "REJECTED", None, (), "CONCURRENCY", "gave up", 0
    )  # what a handler records after too many conflicting writers
    world.stores.outcomes.record_outcome(gave_up)
    drive = world.manager.drive(transfer)
    assert [o.command_id for o in drive.outcomes][1] == "T-9:in.1"
    assert drive.settlement is Settlement.COMPLETED and world.total() == RECEIVED


def test_an_unknown_transfer_is_not_pending(world: World) -> None:
    drive = world.manager.drive(Transfer("NO-SUCH", SOURCE))
    assert drive.settlement is Settlement.NOT_PENDING and drive.outcomes == ()


def test_many_transfers_in_both_directions_conserve_stock(world: World) -> None:
    for n in range(10):
        to = (TO_OSAKA, TO_CHILLED, TO_CLOSED)[n % 3]
        world.manager.drive(world.transfer_out(f"M-{n}", to, 3))
    assert world.state(SOURCE).pending_transfers == {}
    assert world.on_hand(TO_OSAKA) == 12 and world.on_hand(SOURCE) == RECEIVED - 12
    assert world.total() == RECEIVED
    assert pending_in(e for i in world.inventories for e in world.stores.events.load(i)) == []


def _command_of(world: World, command_id: str) -> object:
    """Return the command a step ran, rebuilt from the manager's own id scheme."""
    tid, step = command_id.rsplit(":", 1)
    return {
        "create": CreateInventory(TO_OSAKA),
        "in": TransferStockIn(TO_OSAKA, tid, SOURCE, 30),
        "complete": CompleteTransfer(SOURCE, tid),
    }[step]
