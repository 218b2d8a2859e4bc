"""The command path's DynamoDB calls through the wire client and through a lean boto3 client.

``python -m bench.client_costs --endpoint URL --rounds 5`` times, on throwaway tables,
the calls the worker makes: a conditional journal PutItem, an outcome PutItem (with
``ReturnValuesOnConditionCheckFailure``), a consistent GetItem, a BatchGetItem of 10
keys and a BatchWriteItem of 10 outcomes. Each client makes each call serially; the
bench prints calls/s and this process's CPU per call (the server is another process,
so that is the client's cost), clients alternating each round, then medians and the
boto3/wire ratios. boto3 runs with ``parameter_validation=False``, keep-alive and the
same pool size, and is counted by the metrics hooks like the worker's.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable
from typing import Any

from botocore.config import Config

from connectors.dynamodb.client import _client_kwargs, _session, command_path_client
from connectors.dynamodb.metrics import instrument
from connectors.dynamodb.putitem import PAYLOAD, drop_table, throwaway_table
from connectors.settings import ZaikoSettings

LEAN = Config(retries={"max_attempts": 3, "mode": "standard"}, max_pool_connections=16,
              parameter_validation=False, tcp_keepalive=True)  # fmt: skip


def lean_boto3(settings: ZaikoSettings) -> Any:
    """Return boto3's client as the command path would build it, validation off."""
    return instrument(_session(settings).client("dynamodb", **_client_kwargs(settings, LEAN)))


def _calls(table: str) -> dict[str, Callable[[Any, int, str], Any]]:
    def journal_put(c: Any, i: int, run: str) -> Any:
        return c.put_item(TableName=table, Item={
            "aggregate_id": {"S": f"{run}-{i}"}, "seq_nr": {"N": "1"}, "last_seq_nr": {"N": "1"},
            "events": {"L": [{"M": {"event_type": {"S": "StockReceived_V1"},
                                    "payload": {"B": PAYLOAD}}}]},
        }, ConditionExpression="attribute_not_exists(seq_nr)")  # fmt: skip

    def outcome_put(c: Any, i: int, run: str) -> Any:
        return c.put_item(TableName=table, Item={
            "aggregate_id": {"S": f"o-{run}-{i}"}, "seq_nr": {"N": "0"},
            "status": {"S": "ACCEPTED"}, "detail": {"S": "x" * 80},
        }, ConditionExpression="attribute_not_exists(aggregate_id)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")  # fmt: skip

    def get(c: Any, i: int, run: str) -> Any:
        key = {"aggregate_id": {"S": f"{run}-{i % 50}"}, "seq_nr": {"N": "1"}}
        return c.get_item(TableName=table, Key=key, ConsistentRead=True)

    def batch_get(c: Any, i: int, run: str) -> Any:
        keys = [{"aggregate_id": {"S": f"{run}-{(i + k) % 50}"}, "seq_nr": {"N": "1"}}
                for k in range(10)]  # fmt: skip
        return c.batch_get_item(RequestItems={table: {"Keys": keys, "ConsistentRead": True}})

    def batch_write(c: Any, i: int, run: str) -> Any:
        items = [{"PutRequest": {"Item": {"aggregate_id": {"S": f"w-{run}-{i}-{k}"},
                                          "seq_nr": {"N": "0"}, "status": {"S": "ACCEPTED"}}}}
                 for k in range(10)]  # fmt: skip
        return c.batch_write_item(RequestItems={table: items})

    return {"PutItem (journal, conditional)": journal_put,
            "PutItem (outcome, ALL_OLD)": outcome_put, "GetItem (consistent)": get,
            "BatchGetItem (10 keys)": batch_get,
            "BatchWriteItem (10 items)": batch_write}  # fmt: skip


def _time(
    client: Any, call: Callable[[Any, int, str], Any], count: int, run: str
) -> tuple[float, float]:
    """Return (calls/s, ms of this process's CPU per call)."""
    wall, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        call(client, i, run)
    return count / (time.perf_counter() - wall), (time.process_time() - cpu) * 1000 / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    settings = ZaikoSettings(dynamodb_endpoint_url=args.endpoint, dynamodb_max_connections=16)
    clients = {"wire": command_path_client(settings), "boto3": lean_boto3(settings)}
    table = throwaway_table(clients["boto3"], "")
    try:
        seed = uuid.uuid4().hex[:8]
        calls = _calls(table)
        for i in range(50):
            calls["PutItem (journal, conditional)"](clients["boto3"], i, seed)
        results: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for r in range(args.rounds):
            order = list(clients) if r % 2 == 0 else list(reversed(clients))
            for op, call in calls.items():
                for name in order:
                    run = seed if op.startswith(("Get", "BatchGet")) else uuid.uuid4().hex[:8]
                    _time(clients[name], call, 50, run)  # warm up this call's path
                    rate, cpu = _time(clients[name], call, args.count, run if run == seed
                                      else uuid.uuid4().hex[:8])  # fmt: skip
                    results.setdefault((op, name), []).append((rate, cpu))
                    print(f"round {r + 1} {op:32} {name:6} {rate:7.0f}/s {cpu:.3f} ms CPU/call",
                          flush=True)  # fmt: skip
        print("medians (boto3 / wire):")
        for op in calls:
            w = [statistics.median(x[k] for x in results[(op, "wire")]) for k in (0, 1)]
            b = [statistics.median(x[k] for x in results[(op, "boto3")]) for k in (0, 1)]
            print(f"  {op:32} wire {w[0]:6.0f}/s {w[1]:.3f} ms  boto3 {b[0]:6.0f}/s {b[1]:.3f} ms"
                  f"  rate {b[0] / w[0]:.2f}  CPU {b[1] / w[1]:.2f}")  # fmt: skip
    finally:
        drop_table(clients["boto3"], table)


if __name__ == "__main__":
    main()
