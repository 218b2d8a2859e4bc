"""What the worker logs while it handles commands names them (connectors/logs context)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from connectors.eventstore import InMemoryEventStore, JournalEntry
from domain import ReceiveStock
from schemas import encode
from streams.handling import BatchHandler, classify
from tests.unit.logs.capture import json_lines
from tests.unit.streams.builders import envelope, stocked_inventory
from tests.unit.streams.conftest import Stores


class FailingAppends(InMemoryEventStore):
    """Fails its next ``failures`` appends with an error that is not the infrastructure's."""

    def __init__(self) -> None:
        super().__init__()
        self.failures = 0

    def append(self, *args: Any, **kwargs: Any) -> JournalEntry:
        if self.failures:
            self.failures -= 1
            raise RuntimeError("append refused")
        return super().append(*args, **kwargs)


@pytest.fixture
def logged() -> Iterator[io.StringIO]:
    """The worker's lines as it writes them (the context is read when a line is written)."""
    commands = logging.getLogger("zaiko.commands")
    commands.setLevel(logging.DEBUG)
    with json_lines("worker") as stream:
        yield stream
    commands.setLevel(logging.NOTSET)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_lines_logged_while_a_group_and_then_each_command_is_handled_name_them(
    logged: io.StringIO,
) -> None:
    stores = Stores()
    stores.events = events = FailingAppends()
    handler = stores.handler()
    for command in stocked_inventory("PRD-000001", "TKY-01"):
        handler.handle(envelope(command))
    inventory = "PRD-000001@TKY-01"
    first, second = envelope(ReceiveStock(inventory, 5)), envelope(ReceiveStock(inventory, 7))
    logged.truncate(0)
    logged.seek(0)
    events.failures = 2  # the group's append, then the first command's own first try

    with ThreadPoolExecutor(2) as pool:
        batch = BatchHandler(handler, pool, backoff_s=(0.0,), sleep=lambda _: None)
        answers = batch.answer([classify(encode(e), "inventory") for e in (first, second)])

    assert [a.outcome.status for a in answers if a.outcome] == ["ACCEPTED", "ACCEPTED"]
    found = lines(logged)
    together = [d for d in found if "failed together" in d["msg"]]
    assert [(d["aggregate_id"], d["command_ids"]) for d in together] == [
        (inventory, [first.meta.command_id, second.meta.command_id])]  # fmt: skip
    alone = [d for d in found if d["msg"].startswith(f"command {first.meta.command_id} failed")]
    assert [(d["command_id"], d["correlation_id"], d["aggregate_id"]) for d in alone] == [
        (first.meta.command_id, first.meta.correlation_id, inventory)]  # fmt: skip
    answered = [d for d in found if d["logger"] == "zaiko.commands"]
    assert [(d["msg"], d["command_id"]) for d in answered] == [
        ("command answered: ACCEPTED", first.meta.command_id),
        ("command answered: ACCEPTED", second.meta.command_id),
    ]
    assert all("command_id" not in d and "command_ids" not in d
               for d in found if d not in together + alone + answered)  # fmt: skip
