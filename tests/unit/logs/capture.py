"""Capture the root logger's lines as a service formats them (JSON, context read then)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from connectors.logs import JsonFormatter


@contextmanager
def json_lines(service: str) -> Iterator[io.StringIO]:
    """Collect INFO and above from the root logger, formatted by ``JsonFormatter(service)``."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter(service))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
