"""Any number of workers and projectors share a host with default settings: no fixed port."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.app import build_app
from streams.projector.app import build_projector_app
from streams.projector.settings import ProjectorSettings
from streams.settings import WorkerSettings


@pytest.fixture(autouse=True)
def defaults_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no zaiko.toml
    monkeypatch.delenv("ZAIKO_CONFIG_FILE", raising=False)
    monkeypatch.delenv("ZAIKO_WORKER_WEB_PORT", raising=False)
    monkeypatch.delenv("ZAIKO_PROJECTOR_WEB_PORT", raising=False)


def test_a_worker_with_default_settings_listens_on_no_port() -> None:
    assert build_app(WorkerSettings()).conf.web_enabled is False


def test_a_projector_with_default_settings_listens_on_no_port() -> None:
    assert build_projector_app(ProjectorSettings()).conf.web_enabled is False


def test_faust_web_is_still_there_for_whoever_asks_for_a_port() -> None:
    app = build_app(WorkerSettings(worker_web_port=50999))
    assert app.conf.web_enabled is True
    assert app.conf.web_port == 50999
