"""Bounded state: 100,000 reservations keep the snapshot small and each decision as fast."""

from __future__ import annotations

import time

from domain import CreateInventory, IssueStock, ReceiveStock, ReleaseStock, ReserveStock
from domain import inventory as inv
from domain.limits import CLOSED_RESERVATIONS_KEPT
from domain.message import Command
from streams.handling.state_codec import decode_state, encode_state
from tests.unit.domain.builders import refs

INV = "PRD-000001@TKY-01"
RESERVATIONS = 100_000
DYNAMODB_ITEM_LIMIT = 400 * 1024
KEPT = CLOSED_RESERVATIONS_KEPT


def apply(state: inv.InventoryState, command: Command) -> inv.InventoryState:
    for event in inv.decide(state, command, refs(INV)):
        state = inv.evolve(state, event)
    return state


def reserve_and_close(state: inv.InventoryState, n: int) -> inv.InventoryState:
    """Reserve an order line, then release it (even n) or ship it (odd n)."""
    rid = f"ORD-{20260401 + n // 2_000}-{n:06d}:1"
    state = apply(state, ReserveStock(INV, rid, 3, customer_id="CUS-0001", operator="山田"))
    close = ReleaseStock(INV, rid) if n % 2 == 0 else IssueStock(INV, 2, rid, note="出荷")
    return apply(state, close)


def seconds_per_command(state: inv.InventoryState, first: int, count: int = 300) -> float:
    """Return the best of five runs of `count` reserve-and-close pairs, in CPU seconds per
    command (CPU time: other processes on the machine do not count)."""
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for n in range(first, first + count):
            reserve_and_close(state, n)
        best = min(best, time.process_time() - started)
    return best / (2 * count)


def test_a_hundred_thousand_reservations_keep_the_snapshot_far_below_the_item_limit() -> None:
    state = apply(apply(inv.INITIAL, CreateInventory(INV)), ReceiveStock(INV, 1_000_000))
    early = 0.0
    for n in range(RESERVATIONS):
        state = reserve_and_close(state, n)
        if n == 1_000:
            early = seconds_per_command(state, RESERVATIONS)
    late = seconds_per_command(state, 2 * RESERVATIONS)
    data = encode_state(state)
    print(
        f"\nafter {RESERVATIONS:,} reservations: snapshot {len(data):,} bytes "
        f"(limit {DYNAMODB_ITEM_LIMIT:,}); decide+evolve {early * 1e6:.1f} µs per command "
        f"after 1,000, {late * 1e6:.1f} µs after {RESERVATIONS:,}"
    )
    assert isinstance(state, inv.Inventory) and state.version == 2 + 2 * RESERVATIONS
    assert (len(state.reservations), len(state.closed_reservations)) == (0, KEPT)
    assert state.on_hand == 1_000_000 - 2 * (RESERVATIONS // 2)
    assert decode_state(data) == state
    assert len(data) < DYNAMODB_ITEM_LIMIT / 10
    assert late < 2 * early, (early, late)
