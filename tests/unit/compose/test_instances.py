"""Several instances of a service in the embedded stack: names, files, scaling up and down."""

from __future__ import annotations

from pathlib import Path

from compose.components.service import instance_components, instances_on_record
from compose.instances import plan_instances


def _pid_files(run: Path, *names: str) -> None:
    run.mkdir(parents=True, exist_ok=True)
    for name in names:
        (run / f"{name}.pid").write_text("{}")


def test_each_instance_has_its_own_name_pid_log_and_ready_file(tmp_path: Path) -> None:
    services = instance_components(tmp_path, 5, {}, {"worker": [1, 2, 3], "bridge": [1, 2]})
    assert [s.name for s in services] == ["worker", "worker-2", "worker-3", "bridge", "bridge-2"]
    for files in (
        [s.pid_file for s in services],
        [s.log_file for s in services],
        [s.ready_file for s in services if s.command == "worker"],
    ):
        assert len(set(files)) == len(files)
    assert services[1].ready_file == tmp_path / "run" / "worker-2.ready"
    assert services[4].argv()[-1] == "bridge"
    assert services[4].env["ZAIKO_INSTANCE_NAME"] == "bridge-2"


def test_instances_on_record_are_read_from_the_pid_files(tmp_path: Path) -> None:
    _pid_files(tmp_path, "worker", "worker-3", "worker-x", "projector-2", "command-gateway")
    assert instances_on_record(tmp_path, "worker") == [1, 3]
    assert instances_on_record(tmp_path, "projector") == [2]
    assert instances_on_record(tmp_path, "bridge") == []


def test_without_a_number_a_service_keeps_the_instances_it_has_and_at_least_one(
    tmp_path: Path,
) -> None:
    _pid_files(tmp_path, "worker", "worker-3")
    plan = plan_instances(tmp_path)
    assert plan.run == {"worker": [1, 2, 3], "bridge": [1], "projector": [1]}
    assert plan.surplus == {"worker": [], "bridge": [], "projector": []}


def test_a_number_scales_a_service_up_or_down(tmp_path: Path) -> None:
    _pid_files(tmp_path, "worker", "worker-2", "worker-3", "bridge")
    plan = plan_instances(tmp_path, {"worker": 1, "bridge": 0, "projector": 2})
    assert plan.run == {"worker": [1], "bridge": [], "projector": [1, 2]}
    assert plan.surplus == {"worker": [2, 3], "bridge": [1], "projector": []}
