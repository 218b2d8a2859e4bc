"""A sales channel sending ReceiveStock to Zaiko and waiting for its outcome.

Self-contained: needs only ``confluent-kafka`` and ``fastavro`` plus the two schema files
``ReceiveStock.avsc`` and ``CommandOutcome.avsc`` (copy them from zaiko's ``schemas/avro``).

    pip install confluent-kafka fastavro
    python sales_channel_producer.py --inventory-id PRD-000001@TKY-01 --quantity 24
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from confluent_kafka import Consumer, KafkaError, Producer
from fastavro import parse_schema, schemaless_reader, schemaless_writer
from fastavro.schema import fingerprint, to_parsing_canonical_form

SCHEMAS_DIR = Path(os.environ.get("ZAIKO_SCHEMAS_DIR", Path(__file__).parents[2] / "schemas/avro"))
RECEIVE_STOCK_AVSC = SCHEMAS_DIR / "commands/inventory/ReceiveStock.avsc"
COMMAND_OUTCOME_AVSC = SCHEMAS_DIR / "results/CommandOutcome.avsc"
MAGIC = b"\xc3\x01"


class Schema:
    """A parsed .avsc file with its single-object header."""

    def __init__(self, path: Path) -> None:
        raw = json.loads(path.read_text(encoding="utf-8"))
        self.full_name = f"{raw['namespace']}.{raw['name']}"
        self.parsed = parse_schema(raw, named_schemas={})
        # CRC-64-AVRO of the Parsing Canonical Form; fastavro gives the little-endian bytes as hex.
        self.header = MAGIC + bytes.fromhex(
            fingerprint(to_parsing_canonical_form(raw), "CRC-64-AVRO")
        )


def load_schema(path: Path) -> Schema:
    """Load and parse one .avsc file."""
    return Schema(path)


def encode_single_object(schema: Schema, datum: dict[str, Any]) -> bytes:
    """Avro single-object encoding: C3 01, 8-byte fingerprint, Avro binary body."""
    body = io.BytesIO()
    schemaless_writer(body, schema.parsed, datum, strict=True)
    return schema.header + body.getvalue()


def decode_single_object(schema: Schema, data: bytes) -> dict[str, Any] | None:
    """Decode bytes written with `schema`; None when they were written with another schema."""
    if data[: len(schema.header)] != schema.header:
        return None
    record = schemaless_reader(io.BytesIO(data[len(schema.header) :]), schema.parsed)
    return record if isinstance(record, dict) else None


def build_receive_stock(
    inventory_id: str,
    quantity: int,
    *,
    channel: str = "ec-site",
    operator: str | None = None,
    note: str | None = None,
    command_id: str | None = None,
) -> dict[str, Any]:
    """Build a ReceiveStock (入庫) command datum; inventory id = <product id>@<zone id>."""
    command_id = command_id or str(uuid.uuid4())
    return {
        "meta": {
            "command_id": command_id,
            "aggregate_id": inventory_id,
            "expected_version": None,  # or the version you read, for optimistic locking
            "issued_at": datetime.now(timezone.utc),  # noqa: UP017 -- runs on Python < 3.11 too
            "channel": channel,
            "correlation_id": command_id,
        },
        "inventory_id": inventory_id,
        "quantity": quantity,
        "operator": operator,
        "note": note,
    }


def wait_for_assignment(consumer: Consumer, deadline: float) -> None:
    """Poll until the group has given this consumer its partitions (or the deadline passes)."""
    while not consumer.assignment() and time.monotonic() < deadline:
        consumer.poll(0.2)


def send_and_wait(bootstrap: str, command: dict[str, Any], timeout: float) -> dict[str, Any] | None:
    """Produce a command to inventory.commands and return its outcome from command.results."""
    command_schema, outcome_schema = (
        load_schema(RECEIVE_STOCK_AVSC),
        load_schema(COMMAND_OUTCOME_AVSC),
    )
    command_id = command["meta"]["command_id"]
    deadline = time.monotonic() + timeout
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": f"sales-channel-{uuid.uuid4()}",
            "auto.offset.reset": "latest",
            "enable.auto.commit": False,
        }
    )
    consumer.subscribe(["command.results"])
    wait_for_assignment(consumer, deadline)  # listen before sending, so the answer is not missed
    # murmur2 matches the Java/aiokafka partitioner Zaiko's own producers use.
    producer = Producer({"bootstrap.servers": bootstrap, "partitioner": "murmur2_random"})
    producer.produce(
        "inventory.commands",
        key=command["meta"]["aggregate_id"].encode(),
        value=encode_single_object(command_schema, command),
        headers={"zaiko-message-type": command_schema.full_name, "zaiko-command-id": command_id},
    )
    if producer.flush(max(0.0, deadline - time.monotonic())) != 0:
        raise TimeoutError("command not delivered")
    try:
        while time.monotonic() < deadline:
            message = consumer.poll(0.5)
            if message is None:
                continue
            error = message.error()
            if error is not None:
                if error.code() == KafkaError._PARTITION_EOF:
                    continue
                raise RuntimeError(error)
            value = message.value()
            if message.key() != command_id.encode() or value is None:
                continue
            outcome = decode_single_object(outcome_schema, value)
            if outcome is not None and outcome["command_id"] == command_id:
                return outcome
        return None
    finally:
        consumer.close()


def main(argv: list[str] | None = None) -> int:
    """Send one ReceiveStock and print its outcome."""
    parser = argparse.ArgumentParser(description="Send ReceiveStock to Zaiko")
    parser.add_argument(
        "--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
    )
    parser.add_argument("--inventory-id", default="PRD-000001@TKY-01")
    parser.add_argument("--quantity", type=int, default=24)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args(argv)
    command = build_receive_stock(args.inventory_id, args.quantity, operator="sales-channel-demo")
    outcome = send_and_wait(args.bootstrap, command, args.timeout)
    if outcome is None:
        print(
            f"no outcome for {command['meta']['command_id']} within {args.timeout}s",
            file=sys.stderr,
        )
        return 2
    print(json.dumps(outcome, default=str, ensure_ascii=False, indent=2))
    return 0 if outcome["status"] == "ACCEPTED" else 1


if __name__ == "__main__":
    sys.exit(main())
