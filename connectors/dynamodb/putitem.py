"""The raw rate of single conditional PutItem calls, serial, on a throwaway journal-like table.

The denominator of every "× raw PutItem" ratio (``zaiko bench``, ``zaiko load``, the demo):
measured in the same run as the figure it divides, with the command path's client.

Serial round trips on this 2-vCPU VM swing with how the host schedules the two sides:
six back-to-back runs of 2,000 puts on an idle stack read 544, 500, 434, 424, 411 and
389/s, the next six 432, 397, 416, 628, 407 and 464/s. One run's figure can be a
quarter off, so the rate is the median of a few rounds taken one after another.
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from typing import Any

from connectors.dynamodb.client import command_path_client, dynamodb_client
from connectors.dynamodb.tables import JOURNAL
from connectors.settings import ZaikoSettings

PAYLOAD = os.urandom(320)  # about the size of one encoded inventory event


def throwaway_table(client: Any, prefix: str) -> str:
    """Create a table shaped like the journal (same keys, same stream); return its name."""
    name = f"{prefix}bench-{uuid.uuid4().hex[:8]}"
    kwargs = {**JOURNAL.create_kwargs(prefix), "TableName": name}
    client.create_table(**kwargs)
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})
    return name


def put_rate(client: Any, table: str, count: int, rounds: int = 3) -> float:
    """Return the median over ``rounds`` of conditional PutItems/s, ``count`` in all, serial."""
    sizes = [count // rounds] * (rounds - 1)
    sizes.append(count - sum(sizes))
    return statistics.median(_round_rate(client, table, n) for n in sizes if n > 0)


def _round_rate(client: Any, table: str, count: int) -> float:
    """Return conditional PutItem calls per second, one at a time, each on a fresh key."""
    run = uuid.uuid4().hex[:8]
    started = time.perf_counter()
    for i in range(count):
        client.put_item(
            TableName=table,
            Item={
                "aggregate_id": {"S": f"bench-{run}-{i}"},
                "seq_nr": {"N": "1"},
                "last_seq_nr": {"N": "1"},
                "aggregate_type": {"S": "inventory"},
                "command_id": {"S": f"{run}-{i}"},
                "events": {
                    "L": [
                        {"M": {"event_type": {"S": "StockReceived_V1"}, "payload": {"B": PAYLOAD}}}
                    ]
                },
            },
            ConditionExpression="attribute_not_exists(seq_nr)",
        )
    return count / (time.perf_counter() - started)


def drop_table(client: Any, table: str) -> None:
    client.delete_table(TableName=table)


def raw_put_rate(settings: ZaikoSettings, count: int = 2000) -> float:
    """Return conditional PutItem/s with the command path's client on a throwaway table."""
    admin = dynamodb_client(settings)
    table = throwaway_table(admin, settings.table_prefix)
    client = command_path_client(settings)
    try:
        return put_rate(client, table, count)
    finally:
        if hasattr(client, "close"):
            client.close()
        drop_table(admin, table)
