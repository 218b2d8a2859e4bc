"""The query gateway is told every service instance's metrics URL (for the operations page)."""

from __future__ import annotations

from pathlib import Path

from compose.components.service import service_components


def test_the_query_gateway_scrapes_every_instance_the_stack_runs(tmp_path: Path) -> None:
    env = {"ZAIKO_METRICS_BASE_PORT": "29100"}
    services = service_components(tmp_path, 5, env, 1, 2, {"worker": [1, 2], "projector": [1]})
    query = next(s for s in services if s.name == "query-gateway")
    urls = query.env["ZAIKO_OPS_METRICS_URLS"].split(",")
    assert urls == [s.metrics_url for s in services]
    assert "http://127.0.0.1:29111/metrics" in urls  # worker-2
    assert "ZAIKO_OPS_METRICS_URLS" not in next(s for s in services if s.name == "worker").env


def test_with_metrics_off_the_page_scrapes_nothing(tmp_path: Path) -> None:
    services = service_components(tmp_path, 5, {"ZAIKO_METRICS_BASE_PORT": "0"}, 1, 2)
    query = next(s for s in services if s.name == "query-gateway")
    assert query.env["ZAIKO_OPS_METRICS_URLS"] == ""
