"""The projector's composition root: the only place that reads settings and builds clients."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import faust
import psycopg

from connectors.alerts import LowStockDetector
from connectors.dynamodb.client import dynamodb_client
from connectors.eventstore.port import EventStore
from connectors.eventstore.wiring import build_stores
from connectors.postgres import PostgresProjector
from connectors.postgres.conninfo import Timeouts, with_timeouts
from connectors.postgres.parking import parked_by_type
from connectors.redis import CacheProjector, redis_client
from connectors.redis.debt import CacheDebt
from connectors.redis.resilient import CacheHealth, ResilientCache
from schemas.topics import AGGREGATE_TYPES
from streams import consumer_lag
from streams.agents import projections
from streams.projection import ProjectionHandler
from streams.projector.app import build_projector_app
from streams.projector.lag import LagSampler
from streams.projector.notify import build_evaluator, schedule_notifications
from streams.projector.runtime import ProjectionRuntime
from streams.projector.settings import ProjectorSettings

log = logging.getLogger(__name__)
QUICK = Timeouts(connect_s=2, statement_ms=2000, lock_ms=1000, idle_in_transaction_ms=5000)


@dataclass(frozen=True)
class Projector:
    app: faust.App
    runtime: ProjectionRuntime
    settings: ProjectorSettings


@dataclass(frozen=True)
class Clients:
    """What every handler of one process shares: event store, cache client and its health."""

    store: EventStore
    cache: CacheProjector
    debt: CacheDebt
    health: CacheHealth


def build_clients(settings: ProjectorSettings, **overrides: Any) -> Clients:
    """Build the shared clients (overrides: ``event_store``, ``redis``)."""
    store: EventStore = (
        overrides.get("event_store")
        or build_stores(dynamodb_client(settings), settings.table_prefix).events
    )
    cache_client = overrides.get("redis") or redis_client(settings)
    url = settings.effective_database_url
    cache = CacheProjector.for_client(cache_client, settings.cache_ttl_s, settings.cache_prefix)
    debt = CacheDebt(lambda: psycopg.connect(with_timeouts(url), autocommit=True))
    return Clients(store, cache, debt, CacheHealth())


def handler_factory(
    settings: ProjectorSettings, clients: Clients, aggregate_type: str
) -> Callable[[], ProjectionHandler]:
    """Return a function building the handler of one event topic (fresh connections)."""
    url = settings.effective_database_url

    def make() -> ProjectionHandler:
        detector = None
        if aggregate_type == "inventory":
            detector = LowStockDetector.connect(
                url, settings.low_stock_default_threshold, settings.threshold_ttl_s
            )
        cache = ResilientCache(
            CacheProjector(clients.cache.store, clients.cache.prefix), clients.debt, clients.health
        )
        return ProjectionHandler(
            PostgresProjector.connect(url, clients.store), aggregate_type, cache, detector,
            settings.park_after_attempts,
        )  # fmt: skip

    return make


def bootstrap(settings: ProjectorSettings | None = None, **overrides: Any) -> Projector:
    """Build the projection app: one agent per event topic over Postgres, Redis and DynamoDB.

    Overrides: ``event_store`` (gap healing), ``redis`` (a client), ``app``.
    """
    settings = settings or ProjectorSettings()
    clients = build_clients(settings, **overrides)
    app = overrides.get("app") or build_projector_app(settings)
    factories = {t: handler_factory(settings, clients, t) for t in AGGREGATE_TYPES}
    repairer = ResilientCache(clients.cache, clients.debt, clients.health)
    runtime = ProjectionRuntime(app, factories, settings.retry_backoff_max_s, repairer.repair)
    projections.register(app, runtime, settings.batch_size, settings.batch_within_s)
    consumer_lag.register(app)  # zaiko_kafka_consumer_lag per assigned partition

    # Cost per tick: one indexed LIMIT 1 read of キャッシュ未反映, plus the debt when there is some.
    @app.timer(settings.cache_repair_interval_s)  # type: ignore[untyped-decorator]
    async def repair_cache() -> None:
        await runtime.repair_cache()

    if settings.metrics_port > 0:
        _sample_lag(app, runtime, settings)
    schedule_notifications(app, runtime, build_evaluator(settings, overrides.get("redis")))
    if settings.ready_file is not None:
        _write_ready_file_when_assigned(app, settings.ready_file)
    return Projector(app, runtime, settings)


def _sample_lag(app: faust.App, runtime: ProjectionRuntime, settings: ProjectorSettings) -> None:
    """Set the lag and parked gauges every ``metrics_interval_s`` (costs: streams/projector/lag)."""
    url = settings.effective_database_url

    def parked() -> dict[str, int]:
        with psycopg.connect(with_timeouts(url, QUICK), autocommit=True) as conn:
            return parked_by_type(conn)

    sampler = LagSampler(runtime.progress, parked)

    @app.timer(settings.metrics_interval_s)  # type: ignore[untyped-decorator]
    async def sample_lag() -> None:
        try:
            await sampler.sample(app.consumer)
            await asyncio.to_thread(sampler.sample_parked)
        except Exception as e:  # the gauges keep their last values; tried again next tick
            log.warning("projection lag not sampled: %s", e)


def _write_ready_file_when_assigned(app: faust.App, ready_file: Path) -> None:
    """Create ``ready_file`` each time a rebalance completes (the agents own partitions)."""
    ready_file.unlink(missing_ok=True)

    @app.on_rebalance_complete.connect  # type: ignore[arg-type]
    async def ready(sender: Any, **_: Any) -> None:
        ready_file.parent.mkdir(parents=True, exist_ok=True)
        ready_file.write_text("ready\n")
        log.info("projector ready: partitions assigned")
