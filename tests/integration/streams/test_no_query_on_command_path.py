"""The command path reads the journal by key only: no Query, no Scan, even with cold caches.

On the embedded DynamoDB (moto) every Query or Scan copies and sorts the whole table,
so one per command makes every command cost O(journal). The handler and the batch
handler run here in-process against the stack's DynamoDB, through the worker's own
client, counted by operation.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from compose.stack import Stack
from connectors.dynamodb.client import command_path_client
from connectors.eventstore.wiring import DynamoDBStores, build_stores
from domain import CreateInventory, IssueStock, ReceiveStock, ReleaseStock, ReserveStock
from domain.message import Command
from schemas import CommandEnvelope, encode
from streams.handling import BatchHandler, CommandHandler, HandlerConfig, classify
from tests.unit.streams.builders import (
    create_product,
    create_warehouse,
    create_zone,
    envelope,
    unique_number,
    unique_warehouse,
)

pytestmark = pytest.mark.integration
INVENTORIES, COMMANDS, BATCH = 40, 2400, 256


class CountingClient:
    """A DynamoDB client that counts the requests made through it, by operation."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self.requests[name] += 1
            return attribute(*args, **kwargs)

        return call


@pytest.fixture(scope="module")
def counted(stack: Stack) -> Iterator[tuple[CountingClient, DynamoDBStores]]:
    client = CountingClient(command_path_client(stack.settings))
    yield client, build_stores(client, stack.settings.table_prefix)


def worker(stores: DynamoDBStores) -> CommandHandler:
    """A fresh worker's handler: an empty cache."""
    config = HandlerConfig(snapshot_every=10)  # many snapshots: cold loads start from one
    return CommandHandler(stores.events, stores.outcomes, stores.snapshots, config)


def answer(handler: CommandHandler, sent: list[CommandEnvelope[Any]]) -> list[Any]:
    with ThreadPoolExecutor(16) as pool:
        batches = BatchHandler(handler, pool, sleep=lambda _: None)
        outcomes = []
        for start in range(0, len(sent), BATCH):
            chunk = sent[start : start + BATCH]
            found = batches.answer([classify(encode(e), "inventory") for e in chunk])
            outcomes += [a.outcome for a in found]
    return outcomes


def movement(rng: random.Random, inventory_id: str, n: int) -> Command:
    roll = rng.random()
    if roll < 0.45:
        return ReceiveStock(inventory_id, rng.randint(1, 9))
    if roll < 0.7:
        return IssueStock(inventory_id, rng.randint(1, 40))  # often refused: too little stock
    if roll < 0.9:
        return ReserveStock(inventory_id, f"R-{n}", rng.randint(1, 5))
    return ReleaseStock(inventory_id, f"R-{n - 3}")  # sometimes unknown: refused


def test_a_flood_with_cold_caches_reads_the_journal_by_key_only(
    counted: tuple[CountingClient, DynamoDBStores],
) -> None:
    client, stores = counted
    n, w, rng = unique_number(), unique_warehouse(), random.Random(12)
    zone = f"{w}-01"
    invs = [f"PRD-{n + i}@{zone}" for i in range(INVENTORIES)]
    setup = worker(stores)
    for command in [create_warehouse(w), create_zone(zone)] + [
        create_product(f"PRD-{n + i}") for i in range(INVENTORIES)
    ]:
        setup.handle(envelope(command))
    answer(setup, [envelope(CreateInventory(i)) for i in invs])
    flood = [envelope(movement(rng, rng.choice(invs), i)) for i in range(COMMANDS)]
    client.requests.clear()
    started = time.perf_counter()

    first = answer(worker(stores), flood[: COMMANDS // 2])  # cold: snapshots, then entries
    # a crash after the append: half the next commands are journaled, their outcomes lost
    crashed = worker(stores)
    for sent in flood[COMMANDS // 2 : COMMANDS // 2 + 200]:
        crashed.resolve(sent, None)
    rest = answer(worker(stores), flood[COMMANDS // 2 :])  # cold again: replays by key
    again = answer(worker(stores), flood)  # a redelivery of everything, cold

    took = time.perf_counter() - started
    print(f"\n{3 * COMMANDS} answers in {took:.1f}s: {dict(sorted(client.requests.items()))}")
    assert client.requests["query"] == 0
    assert client.requests["scan"] == 0
    assert [o.status for o in first + rest] == [o.status for o in again]
    assert {o.status for o in first + rest} == {"ACCEPTED", "REJECTED"}
    assert all(o.error_code != "INTERNAL" for o in first + rest)
