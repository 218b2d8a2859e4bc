"""Serve the Query API with uvicorn (``zaiko query-gateway``)."""

from __future__ import annotations

import logging

import uvicorn

from connectors.metrics import serve as serve_metrics
from query_gateway.app import bootstrap
from query_gateway.settings import QueryGatewaySettings


def run_query_gateway(host: str | None = None, port: int | None = None) -> None:
    """Build the app from settings and serve it until SIGINT/SIGTERM."""
    settings = QueryGatewaySettings()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    app = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    uvicorn.run(
        app,
        host=host or settings.query_api_host,
        port=port or settings.query_api_port,
        log_level=settings.log_level.lower(),
        access_log=False,
        # the ops page's event streams never end by themselves: close them at shutdown
        timeout_graceful_shutdown=5,
    )
