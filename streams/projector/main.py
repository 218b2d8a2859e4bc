"""Run the projector in the foreground (``zaiko projector``); SIGTERM stops it cleanly."""

from __future__ import annotations

from connectors.logs import configure_logging
from connectors.metrics import serve as serve_metrics
from streams.logs import quiet_worker
from streams.projector.bootstrap import bootstrap
from streams.projector.epoch import require_read_model_epoch
from streams.projector.settings import ProjectorSettings


def run_projector(settings: ProjectorSettings | None = None) -> None:
    """Start the projection agents and block until stopped (SIGTERM or SIGINT)."""
    settings = settings or ProjectorSettings()
    logs = (settings.log_level, settings.log_format, "projector", settings.instance_name,
            settings.log_levels)  # fmt: skip
    configure_logging(*logs)  # Faust's worker applies the same config once it starts
    require_read_model_epoch(settings)  # exits when the read model is of another journal
    projector = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    try:
        quiet_worker(projector.app, *logs).execute_from_commandline()
    finally:
        projector.runtime.close()
        if settings.ready_file is not None:
            settings.ready_file.unlink(missing_ok=True)
