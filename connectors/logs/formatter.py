"""The one JSON-lines shape every Zaiko process logs in (and its text twin for humans)."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from connectors.logs.context import current_fields

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "fields", "color_message", "taskName",
}  # fmt: skip
# the keys every line starts with; no context or extra field replaces them
_CORE = frozenset({"ts", "level", "logger", "msg", "service", "instance", "exc", "stack"})
# uvicorn's own access line, if it is on anyway: (client, method, path, http version, status)
_UVICORN_ACCESS_ARGS = 5


def iso_utc(created: float) -> str:
    """Return ``created`` (epoch seconds) as ISO-8601 UTC with milliseconds."""
    seconds = int(created)
    millis = int((created - seconds) * 1000)
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds)) + f".{millis:03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, service, instance, then context.

    Then the fields of the current ``log_context`` (command_id, correlation_id,
    aggregate_id …), those of ``extra={"fields": {...}}``, any other ``extra`` key (the
    more specific wins; none replaces the keys above), and ``exc``. Japanese stays
    readable (no escapes); a value JSON cannot hold is written as its ``str``.
    """

    def __init__(self, service: str = "", instance: str = "") -> None:
        super().__init__()
        self.service = service
        self.instance = instance or service

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one JSON line."""
        document: dict[str, Any] = {
            "ts": iso_utc(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "service": self.service,
            "instance": self.instance,
        }
        for extra in (current_fields(), getattr(record, "fields", None), _extra(record)):
            if isinstance(extra, dict):
                for key, value in extra.items():
                    if key not in _CORE:
                        document[key] = value
        if record.exc_info:
            document["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            document["exc"] = record.exc_text
        if record.stack_info:
            document["stack"] = record.stack_info
        return json.dumps(document, ensure_ascii=False, default=str)


def _extra(record: logging.LogRecord) -> dict[str, Any] | None:
    found = {k: v for k, v in record.__dict__.items() if k not in _STANDARD}
    args = record.args
    if (
        record.name == "uvicorn.access"
        and isinstance(args, tuple)
        and len(args) == _UVICORN_ACCESS_ARGS
    ):
        client, method, path, _version, status = args
        found.update(client=client, method=method, path=path, status=status)
    return found or None


class TextFormatter(logging.Formatter):
    """A line for people: time, level, logger, message, then the context as key=value."""

    def __init__(self, service: str = "", instance: str = "") -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self.instance = instance or service

    def formatMessage(self, record: logging.LogRecord) -> str:
        """Return the record's line, its context and ``fields`` appended (before any traceback)."""
        line = super().formatMessage(record)
        pairs = {**(current_fields() or {}), **(getattr(record, "fields", None) or {})}
        if pairs:
            line += " " + " ".join(f"{k}={v}" for k, v in pairs.items())
        return line
