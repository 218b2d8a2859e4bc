"""The worker's composition root: the only place that reads settings and builds clients."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust

from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore.wiring import build_stores
from streams.agents import MODULES
from streams.app import build_app
from streams.handling import CommandHandler, HandlerConfig, StateCache
from streams.runtime import CommandRuntime
from streams.settings import WorkerSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Worker:
    app: faust.App
    runtime: CommandRuntime
    settings: WorkerSettings


def bootstrap(settings: WorkerSettings | None = None, **overrides: Any) -> Worker:
    """Build the Faust app with its command agents over the DynamoDB stores."""
    settings = settings or WorkerSettings()
    stores = overrides.get("stores") or build_stores(
        dynamodb_client(settings), settings.table_prefix
    )
    config = HandlerConfig(
        snapshot_every=settings.snapshot_every,
        max_concurrency_retries=settings.max_concurrency_retries,
        refs_max_age_s=settings.refs_max_age_s,
    )
    cache = StateCache(settings.state_cache_size)
    handler = CommandHandler(stores.events, stores.outcomes, stores.snapshots, config, cache)
    app = build_app(settings)
    runtime = CommandRuntime(app, handler, settings.handler_threads)
    for module in MODULES:
        module.register(app, runtime)
    if settings.ready_file is not None:
        _signal_readiness(app, settings.ready_file)
    return Worker(app, runtime, settings)


def _signal_readiness(app: faust.App, ready_file: Path) -> None:
    """Write ``ready_file`` once the worker has joined its group and resumed consuming."""
    ready_file.unlink(missing_ok=True)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def mark_ready(sender: Any, **_: Any) -> None:
        ready_file.parent.mkdir(parents=True, exist_ok=True)
        ready_file.write_text("ready\n")
        log.info("worker ready: partitions assigned")
