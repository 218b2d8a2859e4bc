"""What the supervisor knows of an ended process, and the files it shares with the CLI."""

from __future__ import annotations

import fcntl
import sys
from pathlib import Path

import pytest

from compose.processes import is_ours, spawn, wait_until
from compose.supervision.exits import describe_exit, last_log_lines
from compose.supervision.files import SupervisionFiles


@pytest.mark.parametrize(
    ("code", "expected"),
    [("import os; os.kill(os.getpid(), 9)", "killed by SIGKILL"),
     ("print('bad setting'); raise SystemExit(3)", "exited with status 3")],
)  # fmt: skip
def test_the_exit_of_a_child_is_told_with_its_last_log_lines(
    tmp_path: Path, code: str, expected: str
) -> None:
    log = tmp_path / "service.log"
    record = spawn([sys.executable, "-c", code], log, tmp_path / "service.pid")
    assert wait_until(lambda: not is_ours(record), 10.0, 0.01)
    assert describe_exit(record.pid) == expected
    if "print" in code:
        assert last_log_lines(log) == ["bad setting"]


def test_a_process_that_is_not_our_child_has_an_unknown_status() -> None:
    assert describe_exit(1) == "exited (status unknown: not started by the supervisor)"


def test_only_the_last_lines_of_a_long_log_are_kept(tmp_path: Path) -> None:
    log = tmp_path / "long.log"
    log.write_text("".join(f"line {n}\n\n" for n in range(10_000)) + "x" * 500 + "\n")
    assert last_log_lines(log, count=3, width=10) == ["line 9998", "line 9999", "x" * 10]
    assert last_log_lines(tmp_path / "missing.log") == []


def test_the_plan_is_written_read_and_cleared(tmp_path: Path) -> None:
    files = SupervisionFiles(tmp_path / "run")
    assert files.read_plan() is None
    with files.locked():
        written = files.write_plan(["worker", "worker-2"], {"worker": 2})
    assert files.read_plan() == written
    files.clear_plan()
    assert files.read_plan() is None


def test_the_lock_excludes_another_holder_until_released(tmp_path: Path) -> None:
    files = SupervisionFiles(tmp_path / "run")
    with files.locked(), files.lock_file.open("a") as other, pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    with files.lock_file.open("a") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free once released
