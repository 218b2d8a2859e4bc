"""Run the Faust worker in the foreground (``zaiko worker``); SIGTERM stops it cleanly."""

from __future__ import annotations

from connectors.logs import configure_logging
from connectors.metrics import serve as serve_metrics
from streams.bootstrap import bootstrap
from streams.logs import quiet_worker
from streams.settings import WorkerSettings


def run_worker(settings: WorkerSettings | None = None) -> None:
    """Start the worker and block until it is stopped (SIGTERM or SIGINT)."""
    settings = settings or WorkerSettings()
    logs = (settings.log_level, settings.log_format, "worker", settings.instance_name,
            settings.log_levels)  # fmt: skip
    configure_logging(*logs)  # Faust's worker applies the same config once it starts
    worker = bootstrap(settings)
    serve_metrics(settings.metrics_port, settings.metrics_host)
    try:
        quiet_worker(worker.app, *logs).execute_from_commandline()
    finally:
        worker.runtime.shutdown()
        if settings.ready_file is not None:
            settings.ready_file.unlink(missing_ok=True)
