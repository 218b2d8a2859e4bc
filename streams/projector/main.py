"""Run the projector in the foreground (``zaiko projector``); SIGTERM stops it cleanly."""

from __future__ import annotations

import faust

from streams.logs import logging_config
from streams.projector.bootstrap import bootstrap
from streams.projector.settings import ProjectorSettings


def run_projector(settings: ProjectorSettings | None = None) -> None:
    """Start the projection agents and block until stopped (SIGTERM or SIGINT)."""
    settings = settings or ProjectorSettings()
    projector = bootstrap(settings)
    try:
        faust.Worker(
            projector.app,
            loglevel=settings.log_level,
            logging_config=logging_config(settings.log_level, settings.log_format),
            override_logging=True,
        ).execute_from_commandline()
    finally:
        projector.runtime.close()
        if settings.ready_file is not None:
            settings.ready_file.unlink(missing_ok=True)
