"""Point a process's logging (and uvicorn's, and Faust's) at the one formatter."""

from __future__ import annotations

import logging
import logging.config
import sys
import threading
from typing import Any

from connectors.logs.formatter import JsonFormatter, TextFormatter

# uvicorn's loggers bring handlers of their own; ours replace them, records go to the root
UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


def parse_levels(spec: str) -> dict[str, str]:
    """Return ``{"aiokafka": "WARNING", …}`` for ``"aiokafka=WARNING,zaiko.x=DEBUG"``."""
    levels = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, sep, level = part.partition("=")
        if not sep or not name.strip() or not level.strip():
            raise ValueError(f"log level {part!r}: expected logger=LEVEL")
        levels[name.strip()] = level.strip().upper()
    return levels


def logging_config(
    level: str, fmt: str = "json", service: str = "", instance: str = "", levels: str = ""
) -> dict[str, Any]:
    """Return a dictConfig: every record to stderr, JSON lines unless ``fmt`` is "text".

    ``service`` and ``instance`` go on every line; ``levels``: per-logger levels
    (``ZAIKO_LOG_LEVELS``, e.g. ``streams.commands=DEBUG``). Pass the result to uvicorn
    as ``log_config`` and to Faust's worker as ``logging_config`` too.
    """
    formatter = TextFormatter if fmt == "text" else JsonFormatter
    loggers: dict[str, Any] = {
        name: {"handlers": [], "propagate": True, "level": level.upper()}
        for name in UVICORN_LOGGERS
    }
    for name, named_level in parse_levels(levels).items():
        loggers.setdefault(name, {})["level"] = named_level
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "zaiko": {"()": formatter, "service": service, "instance": instance or service}
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "zaiko",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": loggers,
        "root": {"level": level.upper(), "handlers": ["stderr"]},
    }


def configure_logging(
    level: str, fmt: str = "json", service: str = "", instance: str = "", levels: str = ""
) -> dict[str, Any]:
    """Apply ``logging_config`` to this process and return it (for uvicorn or Faust).

    Warnings and uncaught exceptions (main thread and others) become log lines too, so
    a crash leaves one structured line rather than a bare traceback.
    """
    config = logging_config(level, fmt, service, instance, levels)
    logging.config.dictConfig(config)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_thread_uncaught
    return config


def _log_uncaught(kind: type[BaseException], error: BaseException, tb: Any) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, tb)
        return
    logging.getLogger("zaiko").critical("uncaught exception", exc_info=(kind, error, tb))


def _log_thread_uncaught(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "?"
    error = (args.exc_type, args.exc_value, args.exc_traceback)
    logging.getLogger("zaiko").error("uncaught exception in thread %s", name, exc_info=error)
