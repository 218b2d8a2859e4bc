"""Every Zaiko process logs one JSON shape: core keys, its work context, extra fields."""

from __future__ import annotations

import json
import logging
import sys
import threading

import pytest

from connectors.logs import JsonFormatter, TextFormatter, bind, log_context
from connectors.logs.formatter import iso_utc

CORE = ["ts", "level", "logger", "msg", "service", "instance"]


def record(
    msg: str = "shard %s", args: tuple[object, ...] = ("s-1",), **extra: object
) -> logging.LogRecord:
    made = logging.LogRecord("zaiko.bridge", logging.WARNING, __file__, 1, msg, args, None)
    made.__dict__.update(extra)
    return made


def as_json(
    made: logging.LogRecord, service: str = "bridge", instance: str = "bridge-2"
) -> dict[str, object]:
    line = JsonFormatter(service, instance).format(made)
    assert "\n" not in line
    document: dict[str, object] = json.loads(line)
    return document


def test_a_line_starts_with_the_core_keys_in_order() -> None:
    made = record()
    made.created = 1_780_000_000.25

    document = as_json(made)

    assert list(document)[:6] == CORE
    assert document["ts"] == "2026-05-28T20:26:40.250Z"
    assert (document["level"], document["logger"], document["msg"]) == (
        "WARNING",
        "zaiko.bridge",
        "shard s-1",
    )
    assert (document["service"], document["instance"]) == ("bridge", "bridge-2")


def test_the_instance_defaults_to_the_service() -> None:
    assert as_json(record(), "worker", "")["instance"] == "worker"


def test_fields_passed_as_extra_fields_and_bare_extra_keys_are_kept() -> None:
    document = as_json(
        record(fields={"event": "projection_parked", "attempts": 3}, trim_restarts=2)
    )

    assert document["event"] == "projection_parked"
    assert document["attempts"] == 3
    assert document["trim_restarts"] == 2
    assert "fields" not in document


def test_the_context_of_the_work_in_hand_is_on_every_line_inside_it_only() -> None:
    with log_context(
        command_id="cmd-1", correlation_id="req-9", aggregate_id="INV-1", skipped=None
    ):
        inside = as_json(record())
    outside = as_json(record())

    assert (inside["command_id"], inside["correlation_id"], inside["aggregate_id"]) == (
        "cmd-1", "req-9", "INV-1")  # fmt: skip
    assert "skipped" not in inside
    assert "command_id" not in outside


def test_a_field_bound_in_a_copied_context_reaches_its_scope() -> None:
    seen: list[dict[str, object]] = []
    with log_context(correlation_id="req-1"):
        # an executor thread runs in a copy of the context, as FastAPI and Faust do
        import contextvars

        thread = threading.Thread(target=contextvars.copy_context().run, args=(bind,),
                                  kwargs={"command_id": "cmd-7"})  # fmt: skip
        thread.start()
        thread.join()
        seen.append(as_json(record()))

    assert seen[0]["command_id"] == "cmd-7"


def test_a_call_s_own_fields_win_over_the_context_but_never_over_the_core_keys() -> None:
    with log_context(aggregate_id="INV-1"):
        document = as_json(record(fields={"aggregate_id": "INV-2", "level": "fake", "msg": "x"}))

    assert document["aggregate_id"] == "INV-2"
    assert (document["level"], document["msg"]) == ("WARNING", "shard s-1")


def test_an_exception_is_one_field_of_the_same_line() -> None:
    try:
        raise ValueError("在庫が負になります")
    except ValueError:
        made = logging.LogRecord("zaiko", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())

    document = as_json(made)

    assert isinstance(document["exc"], str)
    assert document["exc"].startswith("Traceback")
    assert "ValueError: 在庫が負になります" in document["exc"]


def test_japanese_stays_readable_and_odd_values_are_written_as_text() -> None:
    line = JsonFormatter("worker").format(
        record("区画 %s の稼働率", ("A-01",), fields={"倉庫": "東京", "at": object})
    )

    assert "区画 A-01 の稼働率" in line
    assert '"倉庫": "東京"' in line
    assert "\\u" not in line
    assert json.loads(line)["at"] == str(object)


def test_uvicorn_s_own_access_line_becomes_fields() -> None:
    args = ("127.0.0.1:5000", "POST", "/api/graphql", "1.1", 200)
    made = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None
    )

    document = as_json(made)

    assert (document["method"], document["path"], document["status"], document["client"]) == (
        "POST", "/api/graphql", 200, "127.0.0.1:5000")  # fmt: skip


def test_the_text_format_appends_the_context_for_people() -> None:
    with log_context(command_id="cmd-1"):
        line = TextFormatter("worker").format(record(fields={"event": "x"}))

    assert line.endswith("WARNING zaiko.bridge shard s-1 command_id=cmd-1 event=x")


@pytest.mark.parametrize(("created", "expected"), [
    (0.0, "1970-01-01T00:00:00.000Z"),
    (1.999, "1970-01-01T00:00:01.999Z"),
])  # fmt: skip
def test_timestamps_are_utc_with_milliseconds(created: float, expected: str) -> None:
    assert iso_utc(created) == expected


def test_binding_outside_any_scope_leaves_no_trace() -> None:
    bind(command_id="cmd-stray")

    assert "command_id" not in as_json(record())
