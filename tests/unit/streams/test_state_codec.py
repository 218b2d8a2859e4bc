"""Snapshots: every aggregate state survives a round trip unchanged, compressed and bounded."""

from __future__ import annotations

import dataclasses
import json
import logging
import random
import string
import zlib
from typing import Any

import pytest

from domain import (
    INITIAL,
    ChangeCustomerType,
    CustomerType,
    IssueStock,
    ReserveStock,
    TransferStockOut,
    UpdateZone,
)
from domain.inventory import PendingTransfer, fold
from domain.message import Command
from schemas import decode_event
from streams.handling.state_codec import (
    MAGIC,
    SnapshotTooLargeError,
    StateCodecError,
    decode_state,
    encode_state,
)
from tests.unit.streams.builders import (
    create_customer,
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    stocked_inventory,
)
from tests.unit.streams.conftest import Stores
from tests.unit.transfers.released import snapshot_before_names

INV = "PRD-000005@TKY-01"


def final_state(
    stores: Stores, aggregate_type: str, aggregate_id: str, *commands: Command
) -> object:
    handler = stores.handler()
    for command in commands:
        outcome = handler.handle(envelope(command))
        assert outcome.status == "ACCEPTED", outcome
    return handler.loader.load(aggregate_type, aggregate_id).state


def test_an_inventory_with_reservations_and_transfers_round_trips(stores: Stores) -> None:
    state = final_state(
        stores, "inventory", INV,
        *stocked_inventory("PRD-000005", "TKY-01"),
        ReserveStock(INV, "R-1", 10), ReserveStock(INV, "R-2", 5), IssueStock(INV, 5, "R-2"),
        TransferStockOut(INV, "T-1", "PRD-000005@OSK-01", 20),
    )  # fmt: skip
    assert decode_state(encode_state(state)) == state


@pytest.mark.parametrize(
    ("aggregate_type", "aggregate_id", "commands"),
    [
        ("product", "PRD-000006", [create_product("PRD-000006")]),
        ("warehouse", "OSK", [create_warehouse("OSK")]),
        ("warehouse-zone", "OSK-02", [create_zone("OSK-02"), UpdateZone("OSK-02", None, 1.0, 5.0)]),
        ("customer", "CUS-0006", [create_customer("CUS-0006"),
                                  ChangeCustomerType("CUS-0006", CustomerType.RETAILER)]),
    ],
)  # fmt: skip
def test_every_aggregate_state_round_trips(
    stores: Stores, aggregate_type: str, aggregate_id: str, commands: list[Command]
) -> None:
    state = final_state(stores, aggregate_type, aggregate_id, *commands)
    assert decode_state(encode_state(state)) == state


def test_the_absent_state_round_trips() -> None:
    assert decode_state(encode_state(INITIAL)) == INITIAL


def test_unknown_or_corrupt_snapshots_are_refused() -> None:
    for data in (b"", b"{}", b'{"format": 1, "state": {"$type": "Os", "fields": {}}}'):
        with pytest.raises(StateCodecError):
            decode_state(data)
    with pytest.raises(StateCodecError):
        encode_state(object())


LEGACY_PRODUCT = (  # format 1, as written before snapshots were compressed
    b'{"format": 1, "state": {"$type": "Product", "fields": {"category": {"$enum": "Category",'
    b' "value": "\xe9\xa3\x9f\xe5\x93\x81\xe9\xa1\x9e"}, "description": "", "product_id":'
    b' "PRD-000007", "name": "n", "reference_price": null, "sku": "SKU-7", "status": {"$enum":'
    b' "ProductStatus", "value": "\xe6\x9c\x89\xe5\x8a\xb9"}, "storage_condition": {"$enum":'
    b' "StorageCondition", "value": "\xe5\xb8\xb8\xe6\xb8\xa9"}, "unit": "u", "version": 1}}}'
)
LEGACY_INVENTORY = (
    b'{"format": 1, "state": {"$type": "Inventory", "fields": {"closed_reservations": {"$set":'
    b' ["R-1"]}, "inventory_id": "PRD-000005@TKY-01", "on_hand": 10, "pending_transfers":'
    b' {"$map": {}}, "product_id": "PRD-000005", "received_transfers": {"$set": []},'
    b' "reservations": {"$map": {}}, "settled_transfers": {"$set": []}, "version": 9,'
    b' "warehouse_id": "TKY", "zone_id": "TKY-01"}}}'
)


def test_snapshots_are_compressed_behind_a_version_marker(stores: Stores) -> None:
    reservations = [ReserveStock(INV, f"ORD-2026-{n:05d}", 1) for n in range(90)]
    state = final_state(
        stores, "inventory", INV, *stocked_inventory("PRD-000005", "TKY-01"), *reservations
    )
    data = encode_state(state)
    assert data.startswith(MAGIC)
    assert len(data) < len(json.dumps(json.loads(zlib.decompress(data[len(MAGIC) :]))))
    assert decode_state(data) == state


def test_a_legacy_snapshot_still_decodes_but_a_legacy_inventory_is_replayed(
    stores: Stores,
) -> None:
    product = decode_state(LEGACY_PRODUCT)
    assert (product.product_id, product.version) == ("PRD-000007", 1)
    with pytest.raises(StateCodecError, match="format-1 inventory"):
        decode_state(LEGACY_INVENTORY)
    final_state(stores, "inventory", INV, *stocked_inventory("PRD-000005", "TKY-01"))
    version = stores.events.version(INV)
    stores.snapshots.save(INV, version, LEGACY_INVENTORY)  # unreadable: the journal is replayed
    loaded = stores.handler().loader.load("inventory", INV)
    assert (loaded.version, loaded.state) == (version, fold_journal(stores, INV))


def test_a_snapshot_taken_before_transfers_were_named_holds_unnamed_ones(stores: Stores) -> None:
    state: Any = final_state(
        stores, "inventory", INV, *stocked_inventory("PRD-000005", "TKY-01"),
        TransferStockOut(INV, "T-1", "PRD-000005@OSK-01", 20),
    )  # fmt: skip
    pending = state.pending_transfers["T-1"]
    older = decode_state(snapshot_before_names(state))
    assert older.pending_transfers["T-1"] == dataclasses.replace(pending, named=False)
    assert older.pending_transfers["T-1"].out_sequence_nr is None
    assert dataclasses.replace(older, pending_transfers=state.pending_transfers) == state


def test_a_snapshot_too_large_for_an_item_is_skipped_and_the_command_still_accepted(
    stores: Stores, caplog: pytest.LogCaptureFixture
) -> None:
    handler = stores.handler(snapshot_every=1)
    for command in stocked_inventory("PRD-000005", "TKY-01"):
        assert handler.handle(envelope(command)).status == "ACCEPTED"
    state = handler.loader.load("inventory", INV).state
    noise = random.Random(5)
    huge = {  # incompressible ids: as if thousands of transfers were left pending
        "".join(noise.choices(string.ascii_letters, k=64)): PendingTransfer(1, INV, n)
        for n in range(6_000)
    }
    swollen = dataclasses.replace(state, pending_transfers=huge)
    with pytest.raises(SnapshotTooLargeError):
        encode_state(swollen)
    cached = handler.loader.load("inventory", INV)
    handler.loader.remember(dataclasses.replace(cached, state=swollen))
    before = stores.snapshots.latest(INV)
    with caplog.at_level(logging.WARNING):
        outcome = handler.handle(envelope(ReserveStock(INV, "R-big", 1)))
    assert outcome.status == "ACCEPTED"
    assert stores.snapshots.latest(INV) == before
    assert "snapshot" in caplog.text and "skipped" in caplog.text


def fold_journal(stores: Stores, aggregate_id: str) -> object:
    envelopes = [decode_event(e.payload) for e in stores.events.load_events(aggregate_id)]
    return fold(e.event for e in envelopes)
