"""Serve the Query API with uvicorn (``zaiko query-gateway``)."""

from __future__ import annotations

import uvicorn

from connectors.logs import AccessLog, configure_logging
from connectors.metrics import serve as serve_metrics
from query_gateway.app import bootstrap
from query_gateway.metrics import register_read_model_gauges
from query_gateway.settings import QueryGatewaySettings


def run_query_gateway(host: str | None = None, port: int | None = None) -> None:
    """Build the app from settings and serve it until SIGINT/SIGTERM."""
    settings = QueryGatewaySettings()
    config = configure_logging(settings.log_level, settings.log_format, "query-gateway",
                               settings.instance_name, settings.log_levels)  # fmt: skip
    app = bootstrap(settings)
    if serve_metrics(settings.metrics_port, settings.metrics_host):
        register_read_model_gauges(settings.effective_database_url)
    uvicorn.run(
        # a correlation id per request (X-Request-Id); no access line, as before: the
        # Query API answers thousands of reads a second
        AccessLog(app, enabled=False),
        host=host or settings.query_api_host,
        port=port or settings.query_api_port,
        log_config=config,
        log_level=settings.log_level.lower(),
        access_log=False,
        # the ops page's event streams never end by themselves: close them at shutdown
        timeout_graceful_shutdown=5,
    )
