"""The embedded DynamoDB comes back empty under a read model that holds positions.

Last in the suite: it wipes the journal the other scenarios wrote.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys

import pytest

from connectors.dynamodb.tables import ensure_tables
from domain import ReceiveStock
from tests.faults.harness.deadline import DeadlineError
from tests.faults.harness.faultstack import FaultStack
from tests.faults.harness.journal import items_at
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration


def zaiko(stack: FaultStack, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``zaiko`` CLI against the fault stack, as its operator would."""
    s, ports = stack.settings, stack.ports
    inherited = ("ZAIKO_", "KAFKA_", "DATABASE_URL", "REDIS_URL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    env.update(ZAIKO_STATE_DIR=str(s.state_dir), KAFKA_BOOTSTRAP_SERVERS=s.kafka_bootstrap_servers,
               ZAIKO_DYNAMODB_ENDPOINT_URL=s.dynamodb_endpoint_url or "",
               ZAIKO_POSTGRES_PORT=str(ports["postgres"]), ZAIKO_REDIS_PORT=str(ports["redis"]),
               ZAIKO_TABLE_PREFIX=s.table_prefix, ZAIKO_TOPIC_PARTITIONS=str(s.topic_partitions),
               ZAIKO_COMMAND_API_PORT=str(ports["command_api"]),
               ZAIKO_QUERY_API_PORT=str(ports["query_api"]), ZAIKO_WORKER_WEB_PORT="0",
               ZAIKO_CONFIG_FILE=str(stack.root / "no-such-zaiko.toml"))  # fmt: skip
    return subprocess.run([sys.executable, "-m", "compose", *args], env=env, text=True,
                          capture_output=True, timeout=240)  # fmt: skip


def test_an_empty_journal_under_a_kept_read_model_is_refused_and_never_appended_to(
    scenario: Scenario,
) -> None:
    world = scenario.world(products=2)
    target = world.inventories[0]
    warm = scenario.flood.send_and_wait([ReceiveStock(target, 1) for _ in range(3)])
    version = scenario.outcomes.first(warm[-1]).outcome.version  # type: ignore[union-attr]
    scenario.verify()  # the counts before the fault; the fault adds its notes
    dynamodb = scenario.stack.infra("dynamodb")

    dynamodb.kill9()
    up = zaiko(scenario.stack, "stack", "up")
    refused = up.returncode != 0 and "--reset" in (up.stdout + up.stderr)
    if dynamodb.pid is None:  # refused before starting it: start it as a forced operator would
        dynamodb.start()
    ensure_tables(scenario.client, scenario.settings.table_prefix)

    probe = scenario.flood.send([ReceiveStock(target, 1)])[0]
    with contextlib.suppress(DeadlineError):  # no answer at all is a fair refusal
        scenario.outcomes.wait({probe}, 60, "the probe's outcome")
    answer = scenario.outcomes.first(probe)
    journal = scenario.journal([target])
    # a chain from seq 1 cannot see an item appended after a missing predecessor: look there
    orphans = items_at(scenario.client, scenario.settings.table_prefix, target,
                       range(2, version + 3))  # fmt: skip
    seqs = sorted({*(e.seq_nr for e in journal.events(target)), *orphans})
    said = up.stdout + up.stderr
    probe_answer = f"{answer.outcome.status} v{answer.outcome.version}" if answer else "nothing"
    scenario.counts.notes.append(
        f"`zaiko stack up` exit {up.returncode}, names --reset: {'--reset' in said};"
        f" worker at version {version}; probe answered {probe_answer};"
        f" journal of {target} now holds seq nrs {seqs}"
    )
    print(scenario.counts.notes[-1], said[-600:], sep="\n")
    assert refused, f"`zaiko stack up` did not refuse naming --reset:\n{up.stderr[-1500:]}"
    assert seqs == list(range(1, len(seqs) + 1)), f"appended after a missing predecessor: {seqs}"
    assert answer is None or answer.outcome.status != "ACCEPTED", answer
