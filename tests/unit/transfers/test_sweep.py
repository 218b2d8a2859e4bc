"""The recovery sweep drives what the open-transfers index holds, and nothing else."""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from connectors.open_transfers import InMemoryOpenTransferIndex, OpenTransfer
from domain import CreateInventory, ReceiveStock
from streams.handling import CommandHandler
from streams.transfers import (
    Drive,
    IntentRecordingStore,
    Settlement,
    Sweep,
    Transfer,
    TransferManager,
)
from tests.unit.streams.builders import create_product
from tests.unit.transfers.conftest import PRODUCT, RECEIVED, SOURCE, TO_OSAKA, World

LATER = 3600.0  # seconds: every entry written so far is past any grace period


def later(seconds: float = LATER) -> Any:
    return lambda: time.time() + seconds


def test_a_transfer_left_open_is_settled_and_leaves_the_index(world: World) -> None:
    world.transfer_out("T-1", TO_OSAKA, 30)  # then the worker died: no live drive
    [drive] = Sweep(world.manager, world.index, "w1", clock=later())()
    assert (drive.transfer.transfer_id, drive.settlement) == ("T-1", Settlement.COMPLETED)
    assert (world.on_hand(SOURCE), world.on_hand(TO_OSAKA)) == (70, 30)
    assert list(world.index.entries()) == []


def test_a_fresh_entry_is_left_to_the_live_path_until_the_grace_period_ends(world: World) -> None:
    world.transfer_out("T-2", TO_OSAKA, 30)
    assert Sweep(world.manager, world.index, "w1", grace_s=30, clock=later(29))() == []
    assert world.state(SOURCE).pending_transfers.keys() == {"T-2"}
    [drive] = Sweep(world.manager, world.index, "w1", grace_s=30, clock=later(31))()
    assert drive.settlement is Settlement.COMPLETED


def test_an_entry_whose_out_never_landed_is_removed(world: World) -> None:
    length = world.journal_length()
    world.index.open(OpenTransfer(SOURCE, "NEVER", TO_OSAKA, 5, 0, written_at_ms=0))
    [drive] = Sweep(world.manager, world.index, "w1", clock=later())()
    assert (drive.settlement, drive.outcomes) == (Settlement.NOT_PENDING, ())
    assert list(world.index.entries()) == []
    assert world.journal_length() == length


class RewritingIndex(InMemoryOpenTransferIndex):
    """An OUT retried while the sweep drives: the entry is written again after the claim."""

    def claim(self, source: str, transfer_id: str, owner: str, now_ms: int, until_ms: int) -> bool:
        claimed = super().claim(source, transfer_id, owner, now_ms, until_ms)
        [entry] = [e for e in self.entries() if e.transfer_id == transfer_id]
        self.open(OpenTransfer(source, transfer_id, entry.destination, entry.quantity,
                               entry.opened_at_ms, now_ms))  # fmt: skip
        return claimed


def test_an_entry_written_again_during_the_drive_stays_for_the_next_sweep(world: World) -> None:
    index = RewritingIndex()
    index.open(OpenTransfer(SOURCE, "LATE", TO_OSAKA, 5, 0, written_at_ms=0))
    [drive] = Sweep(world.manager, index, "w1", clock=later())()
    assert drive.settlement is Settlement.NOT_PENDING
    assert [e.transfer_id for e in index.entries()] == ["LATE"]


def test_an_entry_another_worker_holds_is_skipped_until_its_claim_expires(world: World) -> None:
    world.transfer_out("T-3", TO_OSAKA, 30)
    now_ms = round(later()() * 1000)
    assert world.index.claim(SOURCE, "T-3", "w2", now_ms, now_ms + 60_000)
    assert Sweep(world.manager, world.index, "w1", clock=later())() == []
    [drive] = Sweep(world.manager, world.index, "w1", clock=later(LATER + 61))()
    assert drive.settlement is Settlement.COMPLETED


class CountingManager(TransferManager):
    """A worker's manager that counts the drives it starts."""

    def __init__(self, world: World, counts: Counter[str], fail: str = "") -> None:
        super().__init__(world.restarted().handler)
        self.counts, self.fail = counts, fail

    def drive(self, transfer: Transfer) -> Drive:
        self.counts[transfer.transfer_id] += 1
        if transfer.transfer_id == self.fail:
            raise RuntimeError("DynamoDB unreachable")
        return super().drive(transfer)


class SharedListing(InMemoryOpenTransferIndex):
    """Both workers' sweeps list the index before either claims anything."""

    def __init__(self, parties: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(parties, timeout=10)

    def entries(self) -> Any:
        listed = list(super().entries())
        self.barrier.wait()
        return iter(listed)


def test_two_workers_sweeping_at_once_drive_each_transfer_once(world: World) -> None:
    index, counts = SharedListing(2), Counter[str]()
    for n in range(6):
        world.transfer_out(f"P-{n}", TO_OSAKA, 5)
    for entry in world.index.entries():
        index.open(entry)
    sweeps = [Sweep(CountingManager(world, counts), index, f"w{n}", clock=later())
              for n in (1, 2)]  # fmt: skip
    with ThreadPoolExecutor(2) as pool:
        drives = [d for result in pool.map(lambda s: s(), sweeps) for d in result]
    assert counts == Counter({f"P-{n}": 1 for n in range(6)})
    assert sorted(d.transfer.transfer_id for d in drives) == [f"P-{n}" for n in range(6)]
    assert world.on_hand(TO_OSAKA) == 30 and world.total() == RECEIVED


def test_a_failing_drive_keeps_its_entry_and_the_others_settle(world: World) -> None:
    world.transfer_out("T-4", TO_OSAKA, 10)
    world.transfer_out("T-5", TO_OSAKA, 10)
    counts = Counter[str]()
    manager = CountingManager(world, counts, fail="T-4")
    drives = Sweep(manager, world.index, "w1", clock=later())()
    assert [d.transfer.transfer_id for d in drives] == ["T-5"]
    assert [e.transfer_id for e in world.index.entries()] == ["T-4"]
    # its claim lapses and a later sweep (here on a healthy worker) settles it
    [drive] = Sweep(world.manager, world.index, "w2", clock=later(LATER + 600))()
    assert drive.settlement is Settlement.COMPLETED and world.total() == RECEIVED


class JournalSpy:
    """An event store that names every aggregate whose journal is read."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.read = inner, set[str]()

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.inner, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            if args and isinstance(args[0], str):
                self.read.add(args[0])
            elif args and isinstance(args[0], dict):
                self.read.update(args[0])
            return method(*args, **kwargs)

        return call


def test_the_sweep_reads_only_the_journals_of_the_transfers_it_drives(world: World) -> None:
    world.transfer_out("T-6", TO_OSAKA, 10)
    for n in range(2, 30):  # history the sweep must not read
        product = f"PRD-{n:06d}"
        for command in (create_product(product), CreateInventory(f"{product}@TKY-01"),
                        ReceiveStock(f"{product}@TKY-01", 1)):  # fmt: skip
            assert world.send(command).status == "ACCEPTED"
    spy = JournalSpy(world.stores.events)
    events = IntentRecordingStore(spy, world.index)  # type: ignore[arg-type]
    handler = CommandHandler(events, world.stores.outcomes, world.stores.snapshots)
    [drive] = Sweep(TransferManager(handler), world.index, "w1", clock=later())()
    assert drive.settlement is Settlement.COMPLETED
    assert {SOURCE, TO_OSAKA} <= spy.read  # the two inventories, and the destination's refs:
    assert spy.read <= {SOURCE, TO_OSAKA, PRODUCT, "TKY", "OSK", "TKY-01", "OSK-01"}
