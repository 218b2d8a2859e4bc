"""Every service instance gets its own metrics port from one base; 0 turns them off."""

from __future__ import annotations

from pathlib import Path

from compose.components.service import instance_components, metrics_port_for, service_components


def test_each_instance_has_its_own_metrics_port() -> None:
    names = ["command-gateway", "query-gateway", "worker", "worker-2", "bridge", "projector-3"]
    ports = [metrics_port_for(50510, n) for n in names]
    assert ports == [50510, 50511, 50520, 50521, 50530, 50542]


def test_a_base_of_zero_turns_metrics_off(tmp_path: Path) -> None:
    services = service_components(tmp_path, 5, {"ZAIKO_METRICS_BASE_PORT": "0"}, 1, 2)
    assert all(s.metrics_url is None and s.env["ZAIKO_METRICS_PORT"] == "0" for s in services)


def test_services_are_told_their_port_and_report_its_url(tmp_path: Path) -> None:
    env = {"ZAIKO_METRICS_BASE_PORT": "29100"}
    (worker2,) = instance_components(tmp_path, 5, env, {"worker": [2]})
    assert worker2.env["ZAIKO_METRICS_PORT"] == "29111"
    assert worker2.metrics_url == "http://127.0.0.1:29111/metrics"
    assert worker2.status().metrics == worker2.metrics_url
