"""The projection handler: event records in; read model, cache and alerts out (no Faust)."""

from __future__ import annotations

from streams.projection.handler import HandlerFactory, ProjectionHandler
from streams.projection.records import BatchResult, DeadLetter, Decoded, Record

__all__ = ["BatchResult", "DeadLetter", "Decoded", "HandlerFactory", "ProjectionHandler", "Record"]
