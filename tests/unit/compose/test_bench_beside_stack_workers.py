"""The benches that start workers of their own refuse to run beside the stack's workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from compose.cli import app


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ZAIKO_STATE_DIR", str(tmp_path))
    (tmp_path / "run").mkdir()
    return tmp_path


@pytest.mark.parametrize("args", [["bench", "workers"], ["bench", "commands"]])
def test_refused_while_the_stacks_worker_is_on_record(state_dir: Path, args: list[str]) -> None:
    (state_dir / "run" / "worker.pid").write_text("{}")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "worker running" in result.output


def test_measuring_the_stacks_worker_itself_is_not_refused_for_that(state_dir: Path) -> None:
    (state_dir / "run" / "worker.pid").write_text("{}")
    result = CliRunner().invoke(app, ["bench", "commands", "--no-own-worker", "--commands", "10",
                                      "--bootstrap", "127.0.0.1:1", "--endpoint",
                                      "http://127.0.0.1:1"])  # fmt: skip
    assert "worker running" not in result.output
