"""How many instances of each scalable service the stack runs, and which to stop."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from compose.components.service import SCALABLE, instances_on_record


@dataclass(frozen=True)
class InstancePlan:
    """Per scalable service: the instance indexes to run, and those to stop (scaled down)."""

    run: dict[str, list[int]]
    surplus: dict[str, list[int]]


def plan_instances(run_dir: Path, wanted: Mapping[str, int | None] | None = None) -> InstancePlan:
    """Return the instances to run: ``wanted[service]`` of them, else as many as are on record.

    Without a number a service keeps the instances it has pid files for (so ``stack up
    --services`` restarts a killed ``worker-3``), and has at least one; with a number,
    instances beyond it are surplus, to be stopped. Index gaps are filled.
    """
    run: dict[str, list[int]] = {}
    surplus: dict[str, list[int]] = {}
    for service in SCALABLE:
        on_record = instances_on_record(run_dir, service)
        count = (wanted or {}).get(service)
        if count is None:
            count = max([1, *on_record])
        run[service] = list(range(1, count + 1))
        surplus[service] = [i for i in on_record if i > count]
    return InstancePlan(run, surplus)
