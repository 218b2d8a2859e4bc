"""One business day of D商事: orders, shipments, receipts, transfers and stock counts.

The day is a pure function of (master data, seed, day number, size): the same inputs
give the same movements with the same command ids, so a replayed day is answered from
Zaiko's idempotency. Normal movements are planned against a conservative stock book
(``stockbook``) and should all be accepted; the anomalies (``anomalies``) should not.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace

from simulation.anomalies import plan_anomalies
from simulation.flows import Flows
from simulation.model import MasterData, Placement
from simulation.movement import Movement
from simulation.stockbook import StockBook

# Draw weights per activity, chosen so that commands split roughly: reservations 28%,
# their shipments or cancellations 28%, direct issues 11%, receipts 18%, transfers 6%,
# adjustments 9% (an order is two commands, the rest one).
ACTIVITIES = {"order": 28, "direct_issue": 11, "receipt": 18, "transfer": 6, "adjustment": 9}


@dataclass(frozen=True)
class DaySpec:
    seed: int = 42
    day: int = 1
    movements: int = 2000
    anomalies: bool = True


@dataclass(frozen=True)
class Day:
    spec: DaySpec
    movements: tuple[Movement, ...]

    @property
    def correlation_id(self) -> str:
        return f"day-{self.spec.seed}-{self.spec.day}"


def generate_day(data: MasterData, spec: DaySpec) -> Day:
    """Plan the day's movements in time order, each with its deterministic command id."""
    rng = random.Random(f"{spec.seed}:day:{spec.day}:{spec.movements}")
    book = StockBook(data.placements)
    tag = f"{spec.seed}-{spec.day}"
    anomalies, contested = (
        plan_anomalies(rng, data, book, spec.movements, tag) if spec.anomalies else ([], set())
    )
    by_warehouse: dict[str, list[Placement]] = defaultdict(list)
    for placement in data.placements:
        if placement.inventory_id not in contested:
            by_warehouse[placement.warehouse_id].append(placement)
    flows = Flows(rng, data, book, by_warehouse, tag)
    planned: list[Movement] = []
    kinds, weights = list(ACTIVITIES), list(ACTIVITIES.values())
    target = spec.movements - len(anomalies)
    misses = 0
    while len(planned) < target and misses < 1000:
        made = getattr(flows, rng.choices(kinds, weights)[0])()
        made = made[: target - len(planned)]
        misses = 0 if made else misses + 1
        planned += made
    ordered = sorted([*planned, *anomalies], key=lambda m: m.at_s)
    return Day(spec, tuple(_with_id(m, tag, n) for n, m in enumerate(ordered, start=1)))


def _with_id(movement: Movement, tag: str, n: int) -> Movement:
    return replace(movement, command_id=f"sim-{tag}-{n:05d}-{movement.command}")
