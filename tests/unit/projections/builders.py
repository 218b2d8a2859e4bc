"""Realistic event histories for projection tests: commands decided by the domain."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from connectors.eventstore.memory import InMemoryEventStore
from connectors.eventstore.port import NewEvent
from domain import inventory as inv
from domain.enums import AdjustmentReason, Category, ProductStatus, StorageCondition, ZoneType
from domain.errors import StorageConditionViolationError
from domain.inventory import commands as c
from domain.messages import aggregate_id_of, aggregate_type_of
from domain.product.events import ProductCreated_V1
from domain.warehouse.events import WarehouseCreated_V1
from domain.zone.events import ZoneCreated_V1
from schemas import EventEnvelope, EventMeta, encode
from tests.unit.codes import unique_warehouse
from tests.unit.domain.builders import refs

START = dt.datetime(2026, 4, 1, 0, 30, tzinfo=dt.UTC)  # 09:30 in Tokyo


def unique_ids() -> tuple[str, str, str]:
    """Return a fresh product id and two warehouse codes no other test of this run has."""
    return f"PRD-{uuid.uuid4().int % 10**9:09d}", unique_warehouse(), unique_warehouse()


@dataclass
class Recorder:
    """Numbers events per aggregate and wraps them in envelopes, one second apart."""

    envelopes: list[EventEnvelope[Any]] = field(default_factory=list)
    _seq: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def record(self, *events: Any) -> None:
        for event in events:
            aggregate_id = aggregate_id_of(event)
            self._seq[aggregate_id] += 1
            meta = EventMeta(
                event_id=uuid.uuid4().hex,
                aggregate_id=aggregate_id,
                sequence_nr=self._seq[aggregate_id],
                occurred_at=START + dt.timedelta(seconds=len(self.envelopes)),
                causation_id=f"cmd-{uuid.uuid4().hex[:8]}",
                correlation_id="corr-test",
            )
            self.envelopes.append(EventEnvelope(meta, event))

    def store(self) -> InMemoryEventStore:
        """Return an event store holding every recorded event (one journal entry each)."""
        store = InMemoryEventStore()
        for envelope in self.envelopes:
            meta = envelope.meta
            new = NewEvent(meta.event_id, type(envelope.event).__name__, encode(envelope),
                           int(meta.occurred_at.timestamp() * 1000))  # fmt: skip
            store.append(meta.aggregate_id, aggregate_type_of(envelope.event),
                         meta.sequence_nr - 1, [new], meta.causation_id, "corr")  # fmt: skip
        return store


@dataclass
class Scenario:
    """Warehouses W1 (zones 01 常温, 02 冷蔵) and W2 (zone 01 常温); one ambient product."""

    product: str
    w1: str
    w2: str
    recorder: Recorder = field(default_factory=Recorder)
    states: dict[str, inv.InventoryState] = field(default_factory=dict)

    @classmethod
    def fresh(cls) -> Scenario:
        return cls(*unique_ids())

    def inventory(self, warehouse: str, zone_no: str = "01") -> str:
        return f"{self.product}@{warehouse}-{zone_no}"

    def masters(self) -> None:
        for code, name in ((self.w1, "東京"), (self.w2, "大阪")):
            self.recorder.record(WarehouseCreated_V1(code, f"{name}倉庫", name, 5000.5, 9000, True))
        for code, no, kind, t in ((self.w1, "01", ZoneType.AMBIENT, (None, None)),
                                  (self.w1, "02", ZoneType.CHILLED, (0.0, 10.0)),
                                  (self.w2, "01", ZoneType.AMBIENT, (None, None))):  # fmt: skip
            zone = ZoneCreated_V1(
                f"{code}-{no}", code, no, f"{kind}区画", kind, 1000, t[0], t[1], True
            )
            self.recorder.record(zone)
        self.recorder.record(ProductCreated_V1(
            self.product, "緑茶 500ml", "TEA-500", Category.FOOD, StorageCondition.AMBIENT,
            "本", "ペットボトル緑茶", 120, ProductStatus.ACTIVE))  # fmt: skip

    def do(self, command: Any, zone_type: ZoneType = ZoneType.AMBIENT) -> None:
        """Decide ``command`` with the domain and record its events (or its violation)."""
        key = command.inventory_id
        state = self.states.get(key, inv.INITIAL)
        try:
            events = inv.decide(state, command, refs(key, zone_type=zone_type))
        except StorageConditionViolationError as refused:
            events = refused.events_to_record
        for event in events:
            state = inv.evolve(state, event)
        self.states[key] = state
        self.recorder.record(*events)

    def full_story(self) -> list[EventEnvelope[Any]]:
        """Masters, then receive 100, reserve 30, issue 20, transfer 25, adjust -5, violate."""
        src, dst = self.inventory(self.w1), self.inventory(self.w2)
        self.masters()
        for command in (
            c.CreateInventory(src), c.CreateInventory(dst),
            c.ReceiveStock(src, 100, operator="山田", note="初回入荷"),
            c.ReserveStock(src, "RSV-1", 30, customer_id="CUS-0001"),
            c.IssueStock(src, 20, reservation_id="RSV-1", operator="佐藤"),
            c.ReserveStock(src, "RSV-2", 10),
            c.TransferStockOut(src, "TRF-1", dst, 25),
            c.TransferStockIn(dst, "TRF-1", src, 25),
            c.CompleteTransfer(src, "TRF-1"),
            c.AdjustStock(src, -5, AdjustmentReason.DAMAGE, note="箱潰れ"),
        ):  # fmt: skip
            self.do(command)
        self.do(c.CreateInventory(self.inventory(self.w1, "02")), zone_type=ZoneType.CHILLED)
        return self.recorder.envelopes
