"""Random command sequences over many inventories never break the inventory invariants."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import event as note_statistic
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from domain import (
    INITIAL,
    AdjustmentReason,
    AdjustStock,
    Command,
    CompensateTransfer,
    CompleteTransfer,
    CreateInventory,
    DomainError,
    Event,
    InventoryId,
    IssueStock,
    ReceiveStock,
    ReleaseStock,
    ReserveStock,
    StockAdjusted_V1,
    StockIssued_V1,
    StockReceived_V1,
    StorageCondition,
    StorageConditionViolated_V1,
    StorageConditionViolationError,
    TransferStockIn,
    TransferStockOut,
    ZoneType,
)
from domain import inventory as inv
from domain.inventory import ProductFacts, StockRefs, WarehouseFacts, ZoneFacts

PRODUCTS = {"PRD-000001": StorageCondition.AMBIENT, "PRD-000002": StorageCondition.CHILLED}
ZONES = {
    "TKY-01": ZoneType.AMBIENT,
    "TKY-02": ZoneType.CHILLED,
    "TKY-03": ZoneType.AMBIENT,
    "OSK-01": ZoneType.AMBIENT,
    "OSK-02": ZoneType.CHILLED,
    "OSK-03": ZoneType.FROZEN,
}
INVENTORIES = [f"{p}@{z}" for p in PRODUCTS for z in ZONES]
quantities = st.integers(min_value=1, max_value=12)


@dataclass
class Transfer:
    transfer_id: str
    source: str
    destination: str
    quantity: int
    out_seq: int  # the OUT leg's sequence number on the source: with both ids, its name
    accepted: bool | None = None  # None: not delivered yet


class InventoryMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.states: dict[str, inv.InventoryState] = dict.fromkeys(INVENTORIES, INITIAL)
        self.logs: dict[str, list[Event]] = {i: [] for i in INVENTORIES}
        self.active = {**dict.fromkeys(ZONES, True), "TKY": True, "OSK": True}
        self.external = 0  # Σ receipts − Σ issues + Σ adjustments
        self.transfers: list[Transfer] = []
        self.settled: list[Transfer] = []
        self.counter = 0

    def refs(self, inventory_id: str) -> StockRefs:
        parsed = InventoryId(inventory_id)
        return StockRefs(
            ProductFacts(parsed.product_id, PRODUCTS[parsed.product_id], discontinued=False),
            WarehouseFacts(parsed.warehouse_id, self.active[parsed.warehouse_id]),
            ZoneFacts(parsed.zone_id, ZONES[parsed.zone_id], self.active[parsed.zone_id]),
        )

    def send(self, inventory_id: str, command: Command) -> bool:
        """Decide and apply like the edge would; return whether the command was accepted."""
        state = self.states[inventory_id]
        try:
            events = inv.decide(state, command, self.refs(inventory_id))
        except StorageConditionViolationError as refused:
            events, accepted = refused.events_to_record, False
        except DomainError as refused:
            note_statistic(f"{type(command).__name__} refused {refused.code}")
            return False
        else:
            accepted = True
        for event in events:
            state = inv.evolve(state, event)
            self.logs[inventory_id].append(event)
            if isinstance(event, StockReceived_V1):
                self.external += event.quantity
            elif isinstance(event, StockIssued_V1):
                self.external -= event.quantity
            elif isinstance(event, StockAdjusted_V1):
                self.external += event.delta
        self.states[inventory_id] = state
        note_statistic(f"{type(command).__name__} {'accepted' if accepted else 'refused'}")
        return accepted

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def open_reservations(self, inventory_id: str) -> list[str]:
        state = self.states[inventory_id]
        return sorted(state.reservations) if isinstance(state, inv.Inventory) else []

    @initialize(stock=st.integers(0, 20))
    def place_initial_stock(self, stock: int) -> None:
        for i in INVENTORIES:
            if self.send(i, CreateInventory(i)) and stock:
                assert self.send(i, ReceiveStock(i, stock))

    @rule(i=st.sampled_from(INVENTORIES))
    def create(self, i: str) -> None:
        self.send(i, CreateInventory(i))

    @rule(i=st.sampled_from(INVENTORIES), q=quantities)
    def receive(self, i: str, q: int) -> None:
        self.send(i, ReceiveStock(i, q))

    @rule(i=st.sampled_from(INVENTORIES), q=quantities, pick=st.integers(0, 5))
    def issue(self, i: str, q: int, pick: int) -> None:
        held = self.open_reservations(i)
        rid = held[pick % len(held)] if held and pick else None
        self.send(i, IssueStock(i, q, reservation_id=rid))

    @rule(i=st.sampled_from(INVENTORIES), q=quantities, reuse=st.booleans())
    def reserve(self, i: str, q: int, reuse: bool) -> None:
        held = self.open_reservations(i)
        self.send(i, ReserveStock(i, held[0] if reuse and held else self.fresh("R"), q))

    @rule(i=st.sampled_from(INVENTORIES), pick=st.integers(0, 5))
    def release(self, i: str, pick: int) -> None:
        held = self.open_reservations(i)
        self.send(i, ReleaseStock(i, held[pick % len(held)] if held else "R-unknown"))

    @rule(
        i=st.sampled_from(INVENTORIES),
        d=st.integers(-12, -1) | st.integers(1, 12),
        r=st.sampled_from(AdjustmentReason),
    )
    def adjust(self, i: str, d: int, r: AdjustmentReason) -> None:
        self.send(i, AdjustStock(i, d, r))

    @rule(
        product=st.sampled_from(list(PRODUCTS)),
        a=st.integers(0, 9),
        b=st.integers(0, 9),
        anywhere=st.booleans(),
        q=quantities,
    )
    def transfer_out(self, product: str, a: int, b: int, anywhere: bool, q: int) -> None:
        """Move between matching zones, or (anywhere) towards any zone so it may be refused."""
        matching = [z for z, t in ZONES.items() if t.accepts(PRODUCTS[product])]
        source = matching[a % len(matching)]
        targets = [z for z in (ZONES if anywhere else matching) if z != source]
        src, dst, tid = (
            f"{product}@{source}",
            f"{product}@{targets[b % len(targets)]}",
            self.fresh("T"),
        )
        if self.send(src, TransferStockOut(src, tid, dst, q)):
            self.transfers.append(Transfer(tid, src, dst, q, self.states[src].version))

    @precondition(lambda self: self.transfers)
    @rule(pick=st.integers(0, 50), redeliver=st.booleans())
    def deliver(self, pick: int, redeliver: bool) -> None:
        waiting = [t for t in self.transfers if t.accepted is None or (redeliver and t.accepted)]
        if waiting:
            t = waiting[pick % len(waiting)]
            put = TransferStockIn(
                t.destination, t.transfer_id, t.source, t.quantity, out_sequence_nr=t.out_seq
            )
            accepted = self.send(t.destination, put)
            t.accepted = accepted if t.accepted is None else t.accepted

    @precondition(lambda self: any(t.accepted is not None for t in self.transfers))
    @rule(pick=st.integers(0, 50))
    def settle(self, pick: int) -> None:
        done = [t for t in self.transfers if t.accepted is not None]
        if done:
            t = done[pick % len(done)]
            command = CompleteTransfer if t.accepted else CompensateTransfer
            assert self.send(t.source, command(t.source, t.transfer_id))
            self.transfers.remove(t)
            self.settled.append(t)

    @precondition(lambda self: self.settled)
    @rule(pick=st.integers(0, 50), compensate=st.booleans())
    def settle_again(self, pick: int, compensate: bool) -> None:
        t = self.settled[pick % len(self.settled)]
        command = CompensateTransfer if compensate else CompleteTransfer
        assert not self.send(t.source, command(t.source, t.transfer_id))

    @rule(key=st.sampled_from([*ZONES, "TKY", "OSK"]))
    def toggle_active(self, key: str) -> None:
        self.active[key] = not self.active[key]

    @invariant()
    def stock_is_never_negative_and_reserved_stays_within_on_hand(self) -> None:
        for state in self.states.values():
            if isinstance(state, inv.Inventory):
                assert state.on_hand >= 0
                assert 0 <= state.reserved <= state.on_hand
                assert state.available == state.on_hand - state.reserved

    @invariant()
    def transfers_conserve_stock(self) -> None:
        existing = [s for s in self.states.values() if isinstance(s, inv.Inventory)]
        landed = {s.inventory_id: s for s in existing}
        in_flight = sum(
            p.quantity
            for s in existing
            for tid, p in s.pending_transfers.items()
            if p.counterpart_inventory_id not in landed
            or not landed[p.counterpart_inventory_id].has_received(
                s.inventory_id, tid, p.out_sequence_nr
            )
        )
        assert sum(s.on_hand for s in existing) + in_flight == self.external
        if not self.transfers:
            assert sum(s.on_hand + s.pending_outbound for s in existing) == self.external

    @invariant()
    def no_stock_ever_lands_in_a_mismatched_zone(self) -> None:
        for inventory_id, state in self.states.items():
            parsed = InventoryId(inventory_id)
            if not ZONES[parsed.zone_id].accepts(PRODUCTS[parsed.product_id]):
                assert not isinstance(state, inv.Inventory)
                log = self.logs[inventory_id]
                assert all(isinstance(e, StorageConditionViolated_V1) for e in log)

    @invariant()
    def folding_the_log_rebuilds_the_state(self) -> None:
        for inventory_id, state in self.states.items():
            assert inv.fold(self.logs[inventory_id]) == state
            assert state.version == len(self.logs[inventory_id])


InventoryMachine.TestCase.settings = settings(
    max_examples=300,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_inventory_invariants_hold_under_random_commands = InventoryMachine.TestCase
