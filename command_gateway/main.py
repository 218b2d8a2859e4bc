"""Run the Command API in the foreground (``zaiko command-gateway``)."""

from __future__ import annotations

from command_gateway.bootstrap import bootstrap
from command_gateway.settings import CommandGatewaySettings
from connectors.logs import AccessLog, configure_logging
from connectors.metrics import serve as serve_metrics


def run_gateway(settings: CommandGatewaySettings | None = None) -> None:
    """Serve the Command API with uvicorn until SIGTERM/SIGINT."""
    import uvicorn

    settings = settings or CommandGatewaySettings()
    config = configure_logging(settings.log_level, settings.log_format, "command-gateway",
                               settings.instance_name, settings.log_levels)  # fmt: skip
    gateway = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    uvicorn.run(
        AccessLog(gateway.app),  # one access line per request, with its correlation id
        host=settings.command_api_host,
        port=settings.command_api_port,
        log_config=config,
        log_level=settings.log_level.lower(),
        access_log=False,  # uvicorn's line has no duration: AccessLog's replaces it
    )
