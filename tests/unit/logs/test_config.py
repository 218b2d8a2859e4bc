"""One config for every process: JSON to stderr, uvicorn's loggers routed through it."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import sys
import threading
from collections.abc import Iterator

import pytest

from connectors.logs import configure_logging, logging_config, parse_levels


@pytest.fixture
def restored() -> Iterator[None]:
    """Put logging and the exception hooks back as they were."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers), sys.excepthook, threading.excepthook)
    names = ("uvicorn", "uvicorn.error", "uvicorn.access", "aiokafka", "zaiko.commands")
    loggers = [logging.getLogger(n) for n in names]
    named = {g.name: (g.level, list(g.handlers), g.propagate) for g in loggers}
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    sys.excepthook, threading.excepthook = saved[2], saved[3]
    logging.captureWarnings(False)
    for name, (level, handlers, propagate) in named.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.propagate = propagate


def lines_of(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_uvicorn_s_loggers_and_every_other_write_json_lines(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging("INFO", "json", "query-gateway", "query-gateway")

    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("query_gateway.app").warning("pool exhausted")

    lines = lines_of(stderr)
    assert [(d["logger"], d["service"]) for d in lines] == [
        ("uvicorn.error", "query-gateway"), ("query_gateway.app", "query-gateway")]  # fmt: skip
    assert logging.getLogger("uvicorn").handlers == []


def test_per_logger_levels_hold_over_the_process_level(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging("INFO", "json", "worker", levels="zaiko.commands=debug, aiokafka=WARNING")

    logging.getLogger("zaiko.commands").debug("command answered")
    logging.getLogger("aiokafka").info("joined group")
    logging.getLogger("streams.runtime").debug("not this one")

    assert [d["msg"] for d in lines_of(stderr)] == ["command answered"]


def test_a_malformed_level_list_is_refused() -> None:
    assert parse_levels("") == {}
    with pytest.raises(ValueError, match="logger=LEVEL"):
        parse_levels("zaiko.commands")


def test_an_uncaught_exception_in_a_thread_is_one_json_line(
    restored: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    configure_logging("INFO", "json", "bridge")

    def fail() -> None:
        raise RuntimeError("lease table gone")

    thread = threading.Thread(target=fail, name="renewer")
    thread.start()
    thread.join()

    (line,) = lines_of(stderr)
    assert line["level"] == "ERROR"
    assert line["msg"] == "uncaught exception in thread renewer"
    assert "RuntimeError: lease table gone" in str(line["exc"])


def test_the_text_format_is_for_people(restored: None, monkeypatch: pytest.MonkeyPatch) -> None:
    stderr = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stderr)
    logging.config.dictConfig(logging_config("INFO", "text", "worker"))

    logging.getLogger("streams.runtime").info("ready")

    assert stderr.getvalue().rstrip().endswith("INFO streams.runtime ready")
