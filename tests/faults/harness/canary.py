"""Prove the shared stack carries a command end to end before a scenario starts, and repair it.

One canary inventory per partition of inventory.events: a projector stuck on one
partition (a poison event on today's code) is seen whichever partition it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from aiokafka.partitioner import DefaultPartitioner

from compose.components.base import StartError
from domain import CreateInventory, CreateProduct, CreateWarehouse, CreateZone, ReceiveStock
from domain.enums import Category, StorageCondition, ZoneType
from tests.faults.harness.deadline import DeadlineError, wait_for
from tests.faults.harness.faultstack import FaultStack
from tests.faults.harness.flood import Flood
from tests.faults.harness.outcomes import OutcomeLog
from tests.faults.harness.readmodel import positions
from tests.unit.codes import unique_warehouse


def partition_of(key: str, partitions: int) -> int:
    """Return the partition murmur2 (Faust's and the bridge's partitioner) gives ``key``."""
    return int(DefaultPartitioner()(key.encode(), list(range(partitions)), list(range(partitions))))


def per_partition(ids: Iterator[str], partitions: int) -> dict[int, str]:
    """Return the first id of ``ids`` that lands on each partition."""
    chosen: dict[int, str] = {}
    for candidate in ids:
        chosen.setdefault(partition_of(candidate, partitions), candidate)
        if len(chosen) == partitions:
            return chosen
    raise AssertionError("ran out of ids")


class Canary:
    """A warehouse, zone and one inventory per partition, created on the first check."""

    def __init__(self, stack: FaultStack) -> None:
        self.stack = stack
        self.inventories: list[str] = []

    def check(self, timeout_s: float = 45.0) -> float:
        """Receive one unit on every canary inventory; wait until each is projected."""
        settings = self.stack.settings
        log = OutcomeLog(settings.kafka_bootstrap_servers)
        try:
            flood = Flood(settings.kafka_bootstrap_servers, log)
            if not self.inventories:
                self._create(flood, timeout_s)
            ids = flood.send([ReceiveStock(i, 1) for i in self.inventories])
            waited = log.wait(set(ids), timeout_s, "the canary's outcomes")
            versions = {}
            for command_id in ids:
                first = log.first(command_id)
                assert first is not None and first.outcome.status == "ACCEPTED", first
                versions[first.outcome.aggregate_id] = first.outcome.version
            url = settings.effective_database_url
            return waited + wait_for(
                lambda: all(positions(url, versions).get(a, 0) >= v for a, v in versions.items()),
                timeout_s, "the canary's projection")  # fmt: skip
        finally:
            log.close()

    def _create(self, flood: Flood, timeout_s: float) -> None:
        warehouse = unique_warehouse()
        zone = f"{warehouse}-01"
        candidates = (f"PRD-{n}@{zone}" for n in range(990_000, 999_999))
        chosen = per_partition(candidates, self.stack.settings.topic_partitions)
        products = [i.split("@")[0] for i in chosen.values()]
        for step in (
            [CreateWarehouse(warehouse, "監視倉庫", "東京都", 100.0, 1_000_000),
             *(CreateProduct(p, "監視商品", f"SKU-{p[4:]}", Category.FOOD,
                             StorageCondition.AMBIENT, "個") for p in products)],
            [CreateZone(zone, "常温", ZoneType.AMBIENT, 1_000_000)],
            [CreateInventory(i) for i in chosen.values()],
        ):  # fmt: skip
            flood.outcomes.wait(set(flood.send(step)), timeout_s, "the canary's set-up")
        self.inventories = list(chosen.values())


def ensure_healthy(stack: FaultStack, canary: Canary) -> str:
    """Make the shared stack carry a command end to end; return what had to be done."""
    if stack.needs_rebuild:
        stack.rebuild()
        stack.needs_rebuild, canary.inventories = False, []
        return f"stack rebuilt (broker wedged), canary {canary.check(90):.1f} s"
    # each step that fails (a service that will not get ready included) leads to the next:
    # a broker wedged by the scenario before only a rebuild repairs
    with contextlib.suppress(DeadlineError, AssertionError, StartError):
        for component in [*stack.stack.components, *stack.stack.services]:
            if component.record() is None:
                component.start()  # a scenario that failed half-way may leave one down
        return f"canary {canary.check():.1f} s"
    with contextlib.suppress(DeadlineError, AssertionError, StartError):
        for service in reversed(stack.stack.services):
            service.stop()
        for service in stack.stack.services:
            service.start()
        return f"services restarted, canary {canary.check():.1f} s"
    stack.rebuild()
    canary.inventories = []
    return f"stack rebuilt, canary {canary.check(90):.1f} s"
