"""The projector's composition root: the only place that reads settings and builds clients."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust

from connectors.alerts import LowStockDetector
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore.port import EventStore
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from connectors.redis import CacheProjector, redis_client
from schemas.topics import AGGREGATE_TYPES
from streams.agents import projections
from streams.projection import ProjectionHandler
from streams.projector.app import build_projector_app
from streams.projector.runtime import ProjectionRuntime
from streams.projector.settings import ProjectorSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Projector:
    app: faust.App
    runtime: ProjectionRuntime
    settings: ProjectorSettings


def bootstrap(settings: ProjectorSettings | None = None, **overrides: Any) -> Projector:
    """Build the projection app: one agent per event topic over Postgres, Redis and DynamoDB.

    Overrides: ``event_store`` (gap healing), ``redis`` (a client), ``app``.
    """
    settings = settings or ProjectorSettings()
    store: EventStore = (
        overrides.get("event_store")
        or build_stores(dynamodb_client(settings), settings.table_prefix).events
    )
    cache_client = overrides.get("redis") or redis_client(settings)
    url = settings.effective_database_url

    def factory(aggregate_type: str) -> Callable[[], ProjectionHandler]:
        def make() -> ProjectionHandler:
            detector = None
            if aggregate_type == "inventory":
                detector = LowStockDetector.connect(
                    url, settings.low_stock_default_threshold, settings.threshold_ttl_s
                )
            return ProjectionHandler(
                PostgresProjector.connect(url, store),
                CacheProjector.for_client(
                    cache_client, settings.cache_ttl_s, settings.cache_prefix
                ),
                detector,
                store,
            )

        return make

    app = overrides.get("app") or build_projector_app(settings)
    factories = {aggregate_type: factory(aggregate_type) for aggregate_type in AGGREGATE_TYPES}
    runtime = ProjectionRuntime(app, factories, settings.retry_backoff_max_s)
    projections.register(app, runtime, settings.batch_size, settings.batch_within_s)
    if settings.ready_file is not None:
        _write_ready_file_when_assigned(app, settings.ready_file)
    return Projector(app, runtime, settings)


def _write_ready_file_when_assigned(app: faust.App, ready_file: Path) -> None:
    """Create ``ready_file`` each time a rebalance completes (the agents own partitions)."""
    ready_file.unlink(missing_ok=True)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def ready(sender: Any, **_: Any) -> None:
        ready_file.parent.mkdir(parents=True, exist_ok=True)
        ready_file.write_text("ready\n")
        log.info("projector ready: partitions assigned")
