"""The Faust worker's logging: the shared JSON lines (connectors/logs), no spinner."""

from __future__ import annotations

import faust

from connectors.logs import logging_config


def quiet_worker(
    app: faust.App, level: str, fmt: str, service: str = "worker", instance: str = "",
    levels: str = "",
) -> faust.Worker:  # fmt: skip
    """Return a Faust worker that logs through the shared config and draws no spinner.

    Faust's start-up spinner, when the level is WARNING or above, turns the root logger
    down to DEBUG so that every record reaches its handler: each debug call in boto3
    and aiokafka then builds a record only to drop it (about a seventh of the worker's
    CPU under load), and the spinner writes terminal escapes into the JSON log.
    """
    config = logging_config(level, fmt, service, instance, levels)
    worker = faust.Worker(app, loglevel=level, logging_config=config, override_logging=True)
    worker.spinner = None
    return worker
