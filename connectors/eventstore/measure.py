"""Measure raw conditional PutItem/s against EventStore.append/s on one endpoint.

    python -m connectors.eventstore.measure --endpoint http://127.0.0.1:50503

Writes to throwaway tables under a fresh prefix (deleted afterwards), so it never
touches Zaiko's data.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable
from typing import Any

from connectors.dynamodb.client import command_path_client
from connectors.dynamodb.tables import ALL_TABLES, JOURNAL, ensure_tables
from connectors.eventstore.port import NewEvent
from connectors.eventstore.wiring import build_stores
from connectors.settings import ZaikoSettings


def _rate(count: int, op: Callable[[int], None]) -> float:
    started = time.perf_counter()
    for n in range(count):
        op(n)
    return count / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> None:
    """Print both rates for ``--count`` single-event writes to fresh aggregates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", default="http://127.0.0.1:50503")
    parser.add_argument("--region", default="ap-northeast-1")
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args(argv)
    overrides: dict[str, Any] = {
        "dynamodb_endpoint_url": args.endpoint,
        "aws_region": args.region,
        "table_prefix": f"measure-{uuid.uuid4().hex[:8]}-",
    }
    settings = ZaikoSettings(**overrides)
    client = command_path_client(settings)  # the worker's client
    ensure_tables(client, settings.table_prefix)
    try:
        table, store = (
            JOURNAL.name(settings.table_prefix),
            build_stores(client, settings.table_prefix),
        )
        payload = bytes(200)

        def raw(n: int) -> None:
            client.put_item(
                TableName=table,
                Item={"aggregate_id": {"S": f"raw-{n}"}, "seq_nr": {"N": "1"}, "p": {"B": payload}},
                ConditionExpression="attribute_not_exists(seq_nr)",
            )

        def append(n: int) -> None:
            event = NewEvent(f"e-{n}", "StockReceived_V1", payload, 0)
            store.events.append(f"agg-{n % 50}", "Inventory", n // 50, [event], f"c-{n}", "m")

        print(f"raw conditional PutItem: {_rate(args.count, raw):8.0f}/s")
        print(f"EventStore.append:       {_rate(args.count, append):8.0f}/s")
    finally:
        for spec in ALL_TABLES:
            client.delete_table(TableName=spec.name(settings.table_prefix))


if __name__ == "__main__":
    main()
