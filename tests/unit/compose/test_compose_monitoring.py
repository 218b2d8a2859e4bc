"""The production compose file restarts what crashes, and Prometheus scrapes every metrics port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

COMPOSE_DIR = Path(__file__).resolve().parents[3] / "compose"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load((COMPOSE_DIR / "docker-compose.yml").read_text())
    return found["services"]


@pytest.fixture(scope="module")
def scraped() -> set[tuple[str, int]]:
    """Return every (host, port) prometheus.yml scrapes, static or by DNS."""
    config = yaml.safe_load((COMPOSE_DIR / "prometheus" / "prometheus.yml").read_text())
    targets: set[tuple[str, int]] = set()
    for job in config["scrape_configs"]:
        for dns in job.get("dns_sd_configs", []):
            targets |= {(name, int(dns["port"])) for name in dns["names"]}
        for static in job.get("static_configs", []):
            for target in static["targets"]:
                host, _, port = target.rpartition(":")
                targets.add((host, int(port)))
    return targets


def _metrics_ports(services: dict[str, Any]) -> dict[str, int]:
    return {name: int(s["environment"]["ZAIKO_METRICS_PORT"]) for name, s in services.items()
            if "ZAIKO_METRICS_PORT" in s.get("environment", {})}  # fmt: skip


def test_every_service_has_a_restart_policy(services: dict[str, Any]) -> None:
    def restarts(policy: object) -> bool:
        return policy in ("always", "unless-stopped") or str(policy).startswith("on-failure")

    missing = {n: s.get("restart") for n, s in services.items() if not restarts(s.get("restart"))}
    assert not missing, f"services without a restart policy: {missing}"


def test_every_zaiko_service_serves_metrics_on_all_interfaces(services: dict[str, Any]) -> None:
    ports = _metrics_ports(services)
    assert set(ports) == {"worker", "bridge", "projector", "command-gateway", "query-gateway"}
    assert len(set(ports.values())) == len(ports), f"two services share a port: {ports}"
    for name, port in ports.items():
        assert services[name]["environment"]["ZAIKO_METRICS_HOST"] == "0.0.0.0", name
        assert str(port) in {str(p) for p in services[name].get("expose", [])}, name


def test_prometheus_scrapes_every_metrics_port(
    services: dict[str, Any], scraped: set[tuple[str, int]]
) -> None:
    unscraped = set(_metrics_ports(services).items()) - scraped
    assert not unscraped, f"metrics ports prometheus.yml does not scrape: {sorted(unscraped)}"


def test_prometheus_and_grafana_run_with_their_provisioning_mounted(
    services: dict[str, Any],
) -> None:
    mounts = {v.split(":")[0] for s in ("prometheus", "grafana") for v in services[s]["volumes"]}
    for source in ("./prometheus/prometheus.yml", "./grafana/provisioning", "./grafana/dashboards"):
        assert source in mounts and (COMPOSE_DIR / source).exists(), source
    provisioned = COMPOSE_DIR / "grafana" / "provisioning"
    datasource = yaml.safe_load((provisioned / "datasources" / "prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((provisioned / "dashboards" / "zaiko.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
