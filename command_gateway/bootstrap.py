"""The Command API's composition root: the only place that reads settings and builds clients."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from command_gateway.api.schema import build_schema
from command_gateway.auth import ApiKeys
from command_gateway.companies import PostgresCompanyStore
from command_gateway.kafka_bus import KafkaCommandBus
from command_gateway.settings import CommandGatewaySettings
from command_gateway.web import Endpoint, create_app

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gateway:
    app: FastAPI
    endpoint: Endpoint

    @property
    def settings(self) -> CommandGatewaySettings:
        return self.endpoint.settings


def bootstrap(settings: CommandGatewaySettings | None = None, **overrides: Any) -> Gateway:
    """Build the app; the Kafka producer, results reader and Postgres pool start with it.

    ``overrides``: ``commands`` (a CommandBus) and ``companies`` (a CompanyStore), e.g.
    in-memory fakes in unit tests; ``keys`` (ApiKeys).
    """
    settings = settings or CommandGatewaySettings()
    commands = overrides.get("commands") or KafkaCommandBus(
        settings.kafka_bootstrap_servers, settings.results_clock_skew_s
    )
    companies = overrides.get("companies") or PostgresCompanyStore(
        settings.effective_database_url, settings.postgres_pool_max, settings.postgres_timeout_s
    )
    keys = overrides.get("keys") or ApiKeys.parse(settings.api_keys)
    endpoint = Endpoint(settings, build_schema(), keys, commands, companies)
    log.debug("introspection allowance: %d", endpoint.limits.introspection_allowance)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        keys.warn_if_open()
        started = []
        try:
            for part in (commands, companies):
                if hasattr(part, "start"):
                    await part.start()
                    started.append(part)
            log.info("Command API ready at http://%s:%s/api/graphql",
                     settings.command_api_host, settings.command_api_port)  # fmt: skip
            yield
        finally:
            for part in reversed(started):
                await part.stop()

    return Gateway(create_app(endpoint, lifespan), endpoint)
