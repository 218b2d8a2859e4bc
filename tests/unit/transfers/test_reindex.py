"""``zaiko transfers reindex``: transfers opened before the index existed get an entry."""

from __future__ import annotations

import time

from domain.inventory.commands import CreateInventory, TransferStockIn
from streams.transfers import Settlement, Sweep
from streams.transfers.reindex import reindex
from tests.unit.transfers.conftest import RECEIVED, SOURCE, TO_CHILLED, TO_OSAKA, World


def journal(world: World) -> list[object]:
    return [e for i in world.inventories for e in world.stores.events.load(i)]


def forget_index(world: World) -> None:
    """Empty the index, as it was before the upgrade (no entries for older transfers)."""
    for entry in list(world.index.entries()):
        world.index.close(entry.source, entry.transfer_id)


def test_open_transfers_of_the_journal_are_indexed_and_then_settled(world: World) -> None:
    world.transfer_out("OPEN", TO_OSAKA, 10)
    world.manager.drive(world.transfer_out("DONE", TO_OSAKA, 10))
    world.manager.drive(world.transfer_out("BACK", TO_CHILLED, 10))
    old = world.released()
    old.transfer_out("HALF", TO_OSAKA, 10)
    old.send(TransferStockIn(TO_OSAKA, "HALF", SOURCE, 10), "HALF:in")  # the old worker died
    forget_index(world)
    added = reindex(journal(world), world.index, now_ms=123)
    assert sorted((t.transfer_id, t.destination, t.quantity) for t in added) == [
        ("HALF", TO_OSAKA, 10),
        ("OPEN", TO_OSAKA, 10),
    ]
    assert sorted(e.transfer_id for e in world.index.entries()) == ["HALF", "OPEN"]
    drives = Sweep(world.manager, world.index, "w1", clock=lambda: time.time() + 3600)()
    assert {d.settlement for d in drives} == {Settlement.COMPLETED}
    assert list(world.index.entries()) == []
    assert world.on_hand(TO_OSAKA) == 30 and world.total() == RECEIVED


def test_an_entry_already_there_is_kept_as_it_is(world: World) -> None:
    world.send(CreateInventory(TO_OSAKA))
    world.transfer_out("LIVE", TO_OSAKA, 10)
    [before] = world.index.entries()
    assert world.index.claim(SOURCE, "LIVE", "w9", 0, 10**15)
    assert reindex(journal(world), world.index, now_ms=before.written_at_ms + 1) == []
    [after] = world.index.entries()
    assert (after.written_at_ms, after.claimed_by) == (before.written_at_ms, "w9")
