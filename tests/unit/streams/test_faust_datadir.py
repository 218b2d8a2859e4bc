"""Faust's data directory: outside the working directory, and Faust can create it."""

from __future__ import annotations

import uuid
from pathlib import Path

from streams.app import build_app
from streams.projector.app import build_projector_app
from streams.projector.settings import ProjectorSettings
from streams.settings import WorkerSettings


def test_both_apps_create_their_data_directory_outside_the_working_directory() -> None:
    app_id = f"datadir-{uuid.uuid4().hex[:8]}"
    apps = [build_app(WorkerSettings(app_id=app_id)),
            build_projector_app(ProjectorSettings(projector_id=f"{app_id}-p"))]  # fmt: skip
    for app in apps:
        datadir = Path(app.conf.datadir)
        assert not datadir.resolve().is_relative_to(Path.cwd().resolve())
        app._create_directories()  # what Faust runs first when the app starts
        try:
            assert datadir.is_dir()
        finally:
            for path in sorted(datadir.rglob("*"), reverse=True):
                path.rmdir()
            datadir.rmdir()
