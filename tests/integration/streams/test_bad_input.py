"""Bad input never crashes the worker: dead letters for bytes, rejections for content."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain import ReceiveStock
from schemas import DEAD_LETTER_TOPIC
from tests.integration.streams.kafka_io import (
    TopicReader,
    collect_outcomes,
    send_commands,
    send_raw,
)
from tests.integration.streams.worker_process import WorkerProcess
from tests.unit.streams.builders import create_product, envelope, unique_number
from tests.unit.streams.test_intake import raw_command

pytestmark = pytest.mark.integration


def test_garbage_bytes_go_to_the_dead_letter_topic_with_their_origin(
    worker: WorkerProcess, bootstrap: str
) -> None:
    key, value = f"garbage-{uuid.uuid4()}".encode(), b"\x00not a command\xff"
    send_raw(bootstrap, "product.commands", key, value)
    reader = TopicReader(bootstrap, DEAD_LETTER_TOPIC)
    try:
        [letter] = reader.read_until(lambda m: m.key() == key, lambda kept: bool(kept), 60)
    finally:
        reader.close()
    headers: dict[str, Any] = {k: v.decode() for k, v in letter.headers()}
    assert letter.value() == value
    assert headers["zaiko-dlq-source-topic"] == "product.commands"
    assert headers["zaiko-dlq-reason"].startswith("malformed")
    assert int(headers["zaiko-dlq-source-offset"]) >= 0
    assert int(headers["zaiko-dlq-source-partition"]) in range(4)


def test_a_negative_quantity_is_rejected_and_the_worker_carries_on(
    worker: WorkerProcess, bootstrap: str, results: TopicReader
) -> None:
    inv = f"PRD-{unique_number()}@TKY-01"
    sent = envelope(ReceiveStock(inv, 5))
    datum = {"meta": vars(sent.meta), "inventory_id": inv, "quantity": -5, "operator": None,
             "note": None}  # fmt: skip
    send_raw(bootstrap, "inventory.commands", inv.encode(),
             raw_command("zaiko.commands.inventory.ReceiveStock", datum))  # fmt: skip
    after = envelope(create_product(f"PRD-{unique_number()}"))
    send_commands(bootstrap, [after])
    ids = {sent.meta.command_id, after.meta.command_id}
    found = collect_outcomes(results, ids, 60)
    [refused] = found[sent.meta.command_id]
    assert (refused.status, refused.error_code) == ("REJECTED", "VALIDATION")
    assert found[after.meta.command_id][0].status == "ACCEPTED"
    assert worker.proc is not None and worker.proc.poll() is None
