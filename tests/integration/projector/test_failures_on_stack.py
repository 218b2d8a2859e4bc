"""Redis or PostgreSQL paused or restarted under a running projector: nothing lost, no stall."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest

from compose.components.base import Component
from compose.stack import Stack
from connectors.redis import CacheReader, VersionedStore, redis_client
from tests.integration.projector.helpers import (
    ProjectorProcess,
    last_seqs,
    positions,
    produce_events,
    projected,
    wait_until,
)
from tests.integration.projector.test_projection_agents import assert_cache_not_older
from tests.unit.projections.builders import Scenario

pytestmark = pytest.mark.integration
TIMEOUT_S = 90
PAUSE_S = 3.0  # how long the fault lasts (a scenario's duration, not a synchronisation)


@pytest.fixture(scope="module")
def url(stack: Stack) -> str:
    return stack.settings.effective_database_url


@contextlib.contextmanager
def paused(component: Component) -> Iterator[None]:
    """SIGSTOP the component's process group (PostgreSQL's backends too), SIGCONT after."""
    record = component.record()
    assert record is not None, f"{component.name} is not ours to pause"
    os.killpg(record.pid, signal.SIGSTOP)  # its own session: the group is ours alone
    try:
        yield
    finally:
        os.killpg(record.pid, signal.SIGCONT)


def cache_debt(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM キャッシュ未反映").fetchone()
    return int(row[0]) if row else 0


def story_in_rounds(rounds: int) -> tuple[Scenario, list[list[Any]]]:
    s = Scenario.fresh()
    story = s.full_story()
    size = -(-len(story) // rounds)
    return s, [story[i : i + size] for i in range(0, len(story), size)]


def test_redis_paused_never_stops_the_postgres_projection_and_the_cache_is_repaired(
    projector: ProjectorProcess, stack: Stack, url: str
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    s, rounds = story_in_rounds(3)
    produce_events(bootstrap, rounds[0])
    wait_until(projected(url, last_seqs(rounds[0])), TIMEOUT_S, "round 1 (Redis up)")
    with paused(stack.redis):
        for n, round_ in enumerate(rounds[1:], start=2):
            produce_events(bootstrap, round_)
            wait_until(projected(url, last_seqs(round_)), TIMEOUT_S, f"round {n} (Redis paused)")
        assert cache_debt(url) > 0
    wait_until(lambda: cache_debt(url) == 0, TIMEOUT_S, "the cache debt to be repaid")
    client = redis_client(stack.settings)
    try:
        reader = CacheReader(VersionedStore(client), projector.cache_prefix)
        ids = sorted(last_seqs([e for r in rounds for e in r]))
        assert_cache_not_older(url, reader, s, ids)  # no entry older than the read model
    finally:
        client.close()
    assert "cache debt repaid" in projector.log_text()


def test_postgres_paused_then_resumed_loses_nothing(
    projector: ProjectorProcess, stack: Stack, url: str
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    _, rounds = story_in_rounds(2)
    produce_events(bootstrap, rounds[0])
    wait_until(projected(url, last_seqs(rounds[0])), TIMEOUT_S, "round 1")
    with paused(stack.postgres):
        produce_events(bootstrap, rounds[1])
        time.sleep(PAUSE_S)
    wait_until(projected(url, last_seqs(rounds[1])), TIMEOUT_S, "round 2 after the pause")


def test_postgres_restarted_is_reconnected_with_capped_backoff(
    projector: ProjectorProcess, stack: Stack, url: str
) -> None:
    bootstrap = stack.settings.kafka_bootstrap_servers
    _, rounds = story_in_rounds(2)
    produce_events(bootstrap, rounds[0])
    wait_until(projected(url, last_seqs(rounds[0])), TIMEOUT_S, "round 1")
    stack.postgres.stop()
    try:
        produce_events(bootstrap, rounds[1])
        wait_until(lambda: "not projected" in projector.log_text(), TIMEOUT_S,
                   "the projector to notice PostgreSQL is gone")  # fmt: skip
    finally:
        stack.postgres.start()
    # What was committed before the restart is still there (else the server lost it).
    before, now = last_seqs(rounds[0]), positions(url, last_seqs(rounds[0]))
    assert all(now.get(a, 0) >= seq for a, seq in before.items()), (before, now)
    wait_until(projected(url, last_seqs(rounds[1])), TIMEOUT_S, "round 2 after the restart")
