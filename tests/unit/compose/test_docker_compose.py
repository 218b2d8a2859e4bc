"""The production-like compose file speaks the same configuration as the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from command_gateway.settings import CommandGatewaySettings
from compose.settings import StackSettings
from connectors.bridge_settings import BridgeSettings
from query_gateway.settings import QueryGatewaySettings
from streams.projector.settings import ProjectorSettings
from streams.settings import WorkerSettings

COMPOSE = Path(__file__).resolve().parents[3] / "compose" / "docker-compose.yml"
SETTINGS_OF = {
    "provision": StackSettings,
    "worker": WorkerSettings,
    "bridge": BridgeSettings,
    "projector": ProjectorSettings,
    "command-gateway": CommandGatewaySettings,
    "query-gateway": QueryGatewaySettings,
}
CONTRACT_PORTS = {
    "kafka": 9092,
    "localstack": 50503,
    "postgres": 50504,
    "redis": 50505,
    "command-gateway": 50501,
    "query-gateway": 50502,
}


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_every_zaiko_deployable_and_infrastructure_service_is_declared(services: dict) -> None:
    assert set(SETTINGS_OF) | set(CONTRACT_PORTS) <= set(services)


@pytest.mark.parametrize("service", sorted(SETTINGS_OF))
def test_each_service_runs_a_real_zaiko_command(services: dict[str, Any], service: str) -> None:
    from compose.cli import app

    argv = services[service]["command"]
    known = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert argv[0] == "zaiko" and argv[1] in known, f"{service} runs unknown {argv}"


@pytest.mark.parametrize("service", sorted(SETTINGS_OF))
def test_every_variable_a_service_sets_is_read_by_its_settings_class(
    services: dict[str, Any], service: str
) -> None:
    environment = services[service]["environment"]
    unknown = set(environment) - SETTINGS_OF[service].env_names()
    assert not unknown, f"{service} sets variables nothing reads: {sorted(unknown)}"


@pytest.mark.parametrize("service", sorted(SETTINGS_OF))
def test_each_service_settings_load_from_the_compose_environment(
    services: dict[str, Any], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in services[service]["environment"].items():
        monkeypatch.setenv(name, str(value))
    settings = SETTINGS_OF[service]()
    assert settings.kafka_bootstrap_servers == "kafka:29092"
    assert settings.effective_database_url.endswith("@postgres:5432/zaiko")


@pytest.mark.parametrize(("service", "port"), sorted(CONTRACT_PORTS.items()))
def test_published_host_ports_match_the_public_contract(
    services: dict[str, Any], service: str, port: int
) -> None:
    host_ports = {int(str(p).split(":")[0]) for p in services[service].get("ports", [])}
    assert port in host_ports


def test_gateway_ports_inside_containers_match_their_settings(services: dict[str, Any]) -> None:
    command = services["command-gateway"]["environment"]["ZAIKO_COMMAND_API_PORT"]
    query = services["query-gateway"]["environment"]["ZAIKO_QUERY_API_PORT"]
    assert int(command) == CommandGatewaySettings().command_api_port == 50501
    assert int(query) == QueryGatewaySettings().query_api_port == 50502
