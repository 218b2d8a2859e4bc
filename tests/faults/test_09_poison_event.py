"""A poison event parks its aggregate; the others, on the same partition too, keep projecting."""

from __future__ import annotations

import time
import uuid
from typing import Any

import psycopg
import pytest

from connectors.postgres.conninfo import with_timeouts
from schemas import DEAD_LETTER_TOPIC
from tests.faults.harness import api
from tests.faults.harness.canary import partition_of
from tests.faults.harness.poison import append_poison
from tests.faults.harness.readmodel import positions
from tests.faults.harness.scenario import Scenario
from tests.faults.harness.topics import keyed_records

pytestmark = pytest.mark.integration
COMMANDS = 1200
PARKED = "SELECT 保留シーケンス番号 FROM 投影保留 WHERE 集約ID = %s"


def test_a_poison_event_parks_one_aggregate_and_the_others_keep_projecting(
    scenario: Scenario,
) -> None:
    world = scenario.world(products=12)
    partitions = scenario.settings.topic_partitions
    poisoned, others = world.inventories[0], world.inventories[1:]
    home = partition_of(poisoned, partitions)
    neighbours = [i for i in others if partition_of(i, partitions) == home]
    assert neighbours, "no other inventory on the poisoned one's partition"
    big = others[-1]  # the issue's own poison goes here, through the Command API
    scenario.stack.broken_on_purpose.add(poisoned)
    poison_seq = append_poison(scenario.client, scenario.settings.table_prefix, poisoned)
    scenario.mark("poison")

    # the issue's own poison: 2,000,000,000 twice on one inventory
    port = scenario.settings.command_api_port
    big_answers = [api.receive_stock(port, big, 2_000_000_000) for _ in range(2)]
    scenario.flood.send(world.movements(COMMANDS, seed=9, exclude=frozenset({poisoned, big})))
    read_your_writes = [_read_your_write(scenario, i) for i in neighbours[:3]]
    counts = scenario.verify(exempt={poisoned, big})

    parked_at = _parked(scenario.url, poisoned)
    position = positions(scenario.url, [poisoned]).get(poisoned, 0)
    dead = keyed_records(scenario.settings.kafka_bootstrap_servers, DEAD_LETTER_TOPIC,
                         poisoned, 30)  # fmt: skip
    parked_read = api.inventory(scenario.settings.query_api_port, poisoned,
                                f"{poisoned}:{poison_seq}", 30)  # fmt: skip
    big_state = _big_state(scenario, big)
    if big_state == "parked":  # as the issue allows: the audit of the whole model skips it
        scenario.stack.broken_on_purpose.add(big)
    counts.notes.append(f"{len(neighbours)} neighbours on its partition; read-your-writes"
                        f" {read_your_writes}; 投影保留 {parked_at}; position {position}/"
                        f"{poison_seq - 1}; dead-letter records {len(dead)}"
                        f" (headers {[len(m.headers() or []) for m in dead]}); parked read"
                        f" {parked_read[1]}; 2e9 twice: {[a[1] or 'ACCEPTED' for a in big_answers]}"
                        f" → {big_state}")  # fmt: skip
    print(counts.notes[-1])
    assert all(r == "ok" for r in read_your_writes), read_your_writes
    assert not counts.problems(), counts.problems()
    assert parked_at == poison_seq, f"not parked at the poison event: {parked_at}"
    assert position == poison_seq - 1, "the poison event was applied (or more was skipped)"
    assert dead and all(m.headers() for m in dead), "no dead letter with its headers"
    assert parked_read[1] == ["PROJECTION_PARKED"], parked_read
    assert big_state in ("refused", "projected", "parked"), big_state


def _read_your_write(scenario: Scenario, inventory_id: str) -> str:
    """Receive one unit through the Command API and read it back with the token.

    A TIMEOUT (the outcome took longer than the gateway waits, behind the flood) is
    retried with the same idempotency key, as a client does: it applies once and the
    retry gets the first outcome.
    """
    key, deadline = f"ryw-{uuid.uuid4()}", time.monotonic() + 90
    while True:
        result, errors = api.receive_stock(scenario.settings.command_api_port, inventory_id, 1,
                                           key)  # fmt: skip
        if errors != ["TIMEOUT"] or time.monotonic() > deadline:
            break
    if errors or result is None:
        return f"mutation {errors}"
    started = time.monotonic()
    row, codes = api.inventory(scenario.settings.query_api_port, inventory_id,
                               result["consistencyToken"], 30)  # fmt: skip
    took = time.monotonic() - started
    return "ok" if row is not None and not codes else f"{codes} after {took:.1f} s"


def _parked(url: str, aggregate_id: str) -> Any:
    try:
        with psycopg.connect(with_timeouts(url), autocommit=True) as conn:
            row = conn.execute(PARKED, (aggregate_id,)).fetchone()
    except psycopg.Error as exc:
        return f"{type(exc).__name__}"
    return None if row is None else int(row[0])


def _big_state(scenario: Scenario, inventory_id: str) -> str:
    """Say what became of the 2,000,000,000 receipts: refused, projected, parked or stuck."""
    journal = scenario.journal([inventory_id])
    head = journal.last_seq(inventory_id)
    at = positions(scenario.url, [inventory_id]).get(inventory_id, 0)
    if at == head:
        return "projected wrongly" if _audit_finds(scenario, inventory_id) else "projected"
    if isinstance(_parked(scenario.url, inventory_id), int):
        return "parked"
    return f"stuck at {at}/{head}"


def _audit_finds(scenario: Scenario, inventory_id: str) -> bool:
    from connectors.audit import run_audit

    report = run_audit(scenario.settings, f"^{inventory_id}$", client=scenario.client)
    return bool(report.differences)
