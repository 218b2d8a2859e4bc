"""Structured (JSON lines) logging for the worker."""

from __future__ import annotations

import json
import logging
from typing import Any

import faust


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, exception.

    A record logged with ``extra={"fields": {...}}`` carries those fields as well (an
    operator's tooling can filter e.g. ``event == "projection_parked"``).
    """

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            document.update({k: v for k, v in fields.items() if k not in document})
        if record.exc_info:
            document["exc"] = self.formatException(record.exc_info)
        return json.dumps(document, ensure_ascii=False)


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """Return a dictConfig for stderr, JSON unless ``fmt`` is "text"."""
    formatter: dict[str, Any] = (
        {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
        if fmt == "text"
        else {"()": JsonFormatter}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "main"}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
    }


def quiet_worker(app: faust.App, level: str, fmt: str) -> faust.Worker:
    """Return a Faust worker that logs through ``logging_config`` and draws no spinner.

    Faust's start-up spinner, when the level is WARNING or above, turns the root logger
    down to DEBUG so that every record reaches its handler: each debug call in boto3
    and aiokafka then builds a record only to drop it (about a seventh of the worker's
    CPU under load), and the spinner writes terminal escapes into the JSON log.
    """
    worker = faust.Worker(app, loglevel=level, logging_config=logging_config(level, fmt),
                          override_logging=True)  # fmt: skip
    worker.spinner = None
    return worker
