"""Structured (JSON lines) logging for the worker."""

from __future__ import annotations

import json
import logging
from typing import Any


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        document: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
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
