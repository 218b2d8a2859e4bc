"""A transfer is named by its source, its id and its OUT leg's sequence number.

Legs recorded before names (``out_sequence_nr`` null: how old bytes decode) fold as
they did: the destination remembers ``<source>/<id>``, which still answers a second IN
without a name and no named IN.
"""

from __future__ import annotations

import dataclasses

from domain import (
    CompensateTransfer,
    CreateInventory,
    ReceiveStock,
    StockTransferred_V1,
    TransferStockIn,
    TransferStockOut,
)
from domain import inventory as inv
from domain.inventory.state import received_key

from .builders import INV, INV_OSAKA, apply, existing, refs, run


def received(state: inv.Inventory, command: TransferStockIn) -> inv.Inventory:
    """Return the destination after ``command``, asserting it lands (not a redelivery)."""
    events = inv.decide(state, command, refs(INV_OSAKA))
    assert events, f"{command} taken for a redelivery"
    return existing(apply(state, events))


def unnamed(event: object) -> object:
    """Return a leg as it decodes from bytes written before transfers were named."""
    return dataclasses.replace(event, out_sequence_nr=None)  # type: ignore[type-var]


def test_every_leg_carries_the_out_legs_sequence_number() -> None:
    source = existing(run([CreateInventory(INV), ReceiveStock(INV, 10)]))
    [out] = inv.decide(source, TransferStockOut(INV, "T-1", INV_OSAKA, 4))
    source = existing(inv.evolve(source, out))
    assert out.out_sequence_nr == source.version == 3  # type: ignore[attr-defined]
    pending = source.pending_transfers["T-1"]
    assert (pending.sequence_nr, pending.named, pending.out_sequence_nr) == (3, True, 3)
    [back] = inv.decide(source, CompensateTransfer(INV, "T-1"))
    assert back.out_sequence_nr == 3  # type: ignore[attr-defined]
    destination = existing(run([CreateInventory(INV_OSAKA)], INV_OSAKA))
    [landed] = inv.decide(destination, TransferStockIn(INV_OSAKA, "T-1", INV, 4, None, None, 3),
                          refs(INV_OSAKA))  # fmt: skip
    assert landed.out_sequence_nr == 3  # type: ignore[attr-defined]


def test_an_in_is_taken_once_per_source_id_and_out_leg() -> None:
    destination = existing(run([CreateInventory(INV_OSAKA)], INV_OSAKA))
    first = TransferStockIn(INV_OSAKA, "T-1", INV, 4, out_sequence_nr=5)
    destination = received(destination, first)
    assert inv.decide(destination, first, refs(INV_OSAKA)) == []  # the same transfer again
    destination = received(destination, dataclasses.replace(first, out_sequence_nr=9))
    assert destination.on_hand == 8
    assert destination.has_received(INV, "T-1", 5) and destination.has_received(INV, "T-1", 9)
    assert not destination.has_received(INV, "T-1")  # no transfer before names had this id


def test_a_receipt_recorded_before_names_answers_only_an_in_without_one() -> None:
    destination = existing(run([CreateInventory(INV_OSAKA)], INV_OSAKA))
    old_in = TransferStockIn(INV_OSAKA, "T-1", INV, 4)
    [leg] = inv.decide(destination, old_in, refs(INV_OSAKA))
    destination = existing(inv.evolve(destination, unnamed(leg)))  # type: ignore[arg-type]
    assert list(destination.received_transfers) == [received_key(INV, "T-1")] == [f"{INV}/T-1"]
    assert inv.decide(destination, old_in, refs(INV_OSAKA)) == []  # the old IN, sent again
    named = dataclasses.replace(old_in, out_sequence_nr=2_000)  # the id, used again later
    assert received(destination, named).on_hand == 8


def test_an_out_leg_recorded_before_names_leaves_an_unnamed_pending_transfer() -> None:
    source = existing(run([CreateInventory(INV), ReceiveStock(INV, 10)]))
    [out] = inv.decide(source, TransferStockOut(INV, "T-1", INV_OSAKA, 4))
    source = existing(inv.evolve(source, unnamed(out)))  # type: ignore[arg-type]
    pending = source.pending_transfers["T-1"]
    assert pending == inv.PendingTransfer(4, INV_OSAKA, 3, named=False)
    assert pending.out_sequence_nr is None  # its IN goes without a name, as it did
    [back] = inv.decide(source, CompensateTransfer(INV, "T-1"))
    assert isinstance(back, StockTransferred_V1) and back.out_sequence_nr is None
