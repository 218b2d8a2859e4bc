"""Run the Command API in the foreground (``zaiko command-gateway``)."""

from __future__ import annotations

import logging.config

from command_gateway.bootstrap import bootstrap
from command_gateway.settings import CommandGatewaySettings
from connectors.metrics import serve as serve_metrics
from streams.logs import logging_config


def run_gateway(settings: CommandGatewaySettings | None = None) -> None:
    """Serve the Command API with uvicorn until SIGTERM/SIGINT."""
    import uvicorn

    settings = settings or CommandGatewaySettings()
    config = logging_config(settings.log_level, settings.log_format)
    logging.config.dictConfig(config)
    gateway = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    uvicorn.run(
        gateway.app,
        host=settings.command_api_host,
        port=settings.command_api_port,
        log_config=config,
        log_level=settings.log_level.lower(),
    )
