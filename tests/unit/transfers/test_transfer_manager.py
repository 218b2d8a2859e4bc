"""The transfer process manager over in-memory stores: every path ends settled, units kept."""

from __future__ import annotations

from typing import Any

from connectors.eventstore.port import CommandOutcome
from domain.inventory.commands import CompleteTransfer, CreateInventory, TransferStockIn
from streams.transfers import Settlement, Transfer, open_in
from streams.transfers.steps import step_id
from tests.unit.transfers.conftest import (
    RECEIVED,
    SOURCE,
    TO_CHILLED,
    TO_CLOSED,
    TO_OSAKA,
    World,
)


def step(world: World, transfer_id: str, name: str, attempt: int = 0) -> str:
    """The command id of a step of the last transfer ``transfer_id`` out of SOURCE."""
    return step_id(SOURCE, transfer_id, world.out_seq(transfer_id), name, attempt)


def test_an_accepted_transfer_creates_the_destination_and_completes(world: World) -> None:
    transfer = world.transfer_out("T-1", TO_OSAKA, 30)
    drive = world.manager.drive(transfer)
    assert drive.settlement is Settlement.COMPLETED
    seq = world.out_seq("T-1")
    assert [o.command_id for o in drive.outcomes] == [
        f"~transfer/{SOURCE}/T-1/{seq}/create",
        f"~transfer/{SOURCE}/T-1/{seq}/in",
        f"~transfer/{SOURCE}/T-1/{seq}/complete",
    ]
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (70, 30)
    assert world.state(SOURCE).pending_transfers == {}
    assert "T-1" in world.state(SOURCE).settled_transfers
    assert world.total() == RECEIVED


def test_a_transfer_into_a_zone_of_the_wrong_type_is_compensated(world: World) -> None:
    drive = world.manager.drive(world.transfer_out("T-2", TO_CHILLED, 40))
    assert drive.settlement is Settlement.COMPENSATED
    refused_in = drive.outcomes[1]
    assert (refused_in.command_id, refused_in.status) == (step(world, "T-2", "in"), "REJECTED")
    assert world.on_hand(SOURCE) == RECEIVED
    assert world.state(SOURCE).pending_transfers == {}
    assert world.on_hand(TO_CHILLED) == 0
    assert world.total() == RECEIVED


def test_a_transfer_into_an_inactive_zone_is_compensated_with_the_reason(world: World) -> None:
    drive = world.manager.drive(world.transfer_out("T-3", TO_CLOSED, 10))
    assert drive.settlement is Settlement.COMPENSATED
    assert drive.outcomes[0].error_code == "ZONE_INACTIVE"
    [*_, returned] = world.stores.events.load_events(SOURCE)
    assert returned.command_id == step(world, "T-3", "compensate")
    assert world.on_hand(SOURCE) == RECEIVED and world.total() == RECEIVED


def test_a_crash_right_after_the_out_leg_is_settled_by_the_sweep(world: World) -> None:
    world.transfer_out("T-4", TO_OSAKA, 25)
    assert world.total() == RECEIVED  # 25 in flight
    after_restart = world.restarted()
    entries = [e for i in world.inventories for e in world.stores.events.load(i)]
    [pending] = open_in(entries, written_at_ms=0)
    assert (pending.transfer_id, pending.source) == ("T-4", SOURCE)
    assert (pending.destination, pending.quantity) == (TO_OSAKA, 25)
    drive = after_restart.manager.drive(Transfer.of(pending))
    assert drive.settlement is Settlement.COMPLETED
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (75, 25)
    assert open_in((e for i in world.inventories for e in world.stores.events.load(i)), 0) == []


def test_a_crash_after_the_in_leg_completes_on_restart_without_a_second_in(world: World) -> None:
    transfer = world.transfer_out("T-5", TO_OSAKA, 20)
    destination = TO_OSAKA
    seq = world.out_seq("T-5")
    world.send(CreateInventory(destination), step(world, "T-5", "create"))
    placed = TransferStockIn(destination, "T-5", SOURCE, 20, out_sequence_nr=seq)
    world.send(placed, step(world, "T-5", "in"))  # then the worker crashed
    assert world.total() == RECEIVED
    drive = world.restarted().manager.drive(transfer)
    assert drive.settlement is Settlement.COMPLETED
    assert (world.on_hand(SOURCE), world.on_hand(destination)) == (80, 20)
    assert world.total() == RECEIVED


def test_a_crash_after_the_refusal_compensates_on_restart(world: World) -> None:
    transfer = world.transfer_out("T-6", TO_CLOSED, 5)
    put = TransferStockIn(TO_CLOSED, "T-6", SOURCE, 5, out_sequence_nr=world.out_seq("T-6"))
    refused = world.send(put, step(world, "T-6", "in"))
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
    seq = world.out_seq("T-8")
    for first in drive.outcomes:
        name = first.command_id.rsplit("/", 1)[-1]
        command = _command_of(transfer.transfer_id, seq, name)
        again = fresh.manager._step(transfer, seq, command, name)
        assert (again.status, again.version) == (first.status, first.version)
    assert world.journal_length() == length
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (70, 30)


def test_a_concurrency_rejection_moves_the_step_to_its_next_command_id(world: World) -> None:
    transfer = world.transfer_out("T-9", TO_OSAKA, 10)
    gave_up = CommandOutcome(
        step(world, "T-9", "in"),
        TO_OSAKA,
        "inventory",
        "REJECTED",
        None,
        (),
        "CONCURRENCY",
        "gave up",
        0,
    )  # what a handler records after too many conflicting writers
    world.stores.outcomes.record_outcome(gave_up)
    drive = world.manager.drive(transfer)
    assert [o.command_id for o in drive.outcomes][1] == step(world, "T-9", "in", 1)
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
    assert open_in((e for i in world.inventories for e in world.stores.events.load(i)), 0) == []


def _command_of(transfer_id: str, seq: int, name: str) -> Any:
    """Return the command a step ran."""
    return {
        "create": CreateInventory(TO_OSAKA),
        "in": TransferStockIn(TO_OSAKA, transfer_id, SOURCE, 30, out_sequence_nr=seq),
        "complete": CompleteTransfer(SOURCE, transfer_id),
    }[name]
