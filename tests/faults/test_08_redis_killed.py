"""Redis is killed: PostgreSQL projection goes on; the cache is right once Redis is back."""

from __future__ import annotations

import pytest

from tests.faults.harness import api
from tests.faults.harness.scenario import Scenario

pytestmark = pytest.mark.integration
COMMANDS = 1500


def test_with_redis_dead_the_read_model_is_projected_and_the_cache_is_right_after(
    scenario: Scenario,
) -> None:
    world = scenario.world(products=10)
    port = scenario.settings.query_api_port
    for inventory_id in world.inventories:  # fill the cache before the fault
        api.inventory(port, inventory_id, None)
    redis = scenario.stack.infra("redis")
    redis.kill9()
    try:
        scenario.flood.send(world.movements(COMMANDS, seed=8))
        scenario.outcomes.wait(set(scenario.flood.sent), 120, "outcomes with Redis dead")
        scenario.settle(120)  # the PostgreSQL read model, with Redis still dead
        lagging_without_redis = scenario.counts.lagging
        during, errors = api.inventory(port, world.inventories[0], None)
    finally:
        redis.start()
    scenario.mark("redis dead")
    counts = scenario.verify()
    stale = []
    for inventory_id in world.inventories:
        row, codes = api.inventory(port, inventory_id, None)
        expected = _stock(scenario, inventory_id)
        if row is None or (row["onHand"], row["reserved"]) != expected:
            stale.append(f"{inventory_id}: API {row} {codes}, 在庫 {expected}")
    counts.notes.append(f"with Redis dead: {lagging_without_redis} aggregates not projected,"
                        f" Query API {'answered' if during else errors};"
                        f" after: {len(stale)} stale answers")  # fmt: skip
    print(counts.notes[-1])
    assert lagging_without_redis == 0, "PostgreSQL projection stopped while Redis was down"
    assert during is not None, f"the Query API failed while Redis was down: {errors}"
    assert not stale, stale[:5]
    scenario.assert_consistent()


def _stock(scenario: Scenario, inventory_id: str) -> tuple[int, int] | None:
    import psycopg

    from connectors.postgres.conninfo import with_timeouts

    with psycopg.connect(with_timeouts(scenario.url), autocommit=True) as conn:
        row = conn.execute("SELECT 現在庫数, 引当済数 FROM 在庫 WHERE 在庫ID = %s",
                           (inventory_id,)).fetchone()  # fmt: skip
    return None if row is None else (int(row[0]), int(row[1]))
