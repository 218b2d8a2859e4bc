"""The one home of Zaiko's logging: JSON lines with service, instance and work context.

``configure_logging`` (or ``logging_config`` for uvicorn and Faust) in each process's
run function; ``log_context``/``bind`` where a command or request is in hand;
``AccessLog`` around each gateway's ASGI app. Fields passed as ``extra={"fields":
{...}}`` are kept.
"""

from __future__ import annotations

from connectors.logs.asgi import REQUEST_ID_HEADER, AccessLog
from connectors.logs.config import configure_logging, logging_config, parse_levels
from connectors.logs.context import bind, bind_command, current_fields, log_context
from connectors.logs.formatter import JsonFormatter, TextFormatter

__all__ = [
    "REQUEST_ID_HEADER",
    "AccessLog",
    "JsonFormatter",
    "TextFormatter",
    "bind",
    "bind_command",
    "configure_logging",
    "current_fields",
    "log_context",
    "logging_config",
    "parse_levels",
]
