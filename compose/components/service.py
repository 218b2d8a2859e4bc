"""A Zaiko service (worker, bridge, projector, gateways) run by the stack in the background."""

from __future__ import annotations

import os
import re
import sys
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from compose.components.base import Component, ComponentStatus
from compose.processes import listens, spawn

# Services that run as any number of instances; the gateways listen on fixed ports.
SCALABLE = ("worker", "bridge", "projector")
# Each instance serves /metrics on base + offset + (index - 1); base 0 turns them off.
METRICS_BASE_VARIABLE = "ZAIKO_METRICS_BASE_PORT"
METRICS_OFFSETS = {"command-gateway": 0, "query-gateway": 1, "worker": 10, "bridge": 20,
                   "projector": 30}  # fmt: skip
MAX_INSTANCES_WITH_METRICS = 9
OPS_METRICS_VARIABLE = "ZAIKO_OPS_METRICS_URLS"


def metrics_port_for(base: int, name: str) -> int:
    """Return the metrics port of instance ``name`` (``worker-2`` …) for ``base``; 0 = off."""
    command, _, index = name.rpartition("-") if name[-1].isdigit() else (name, "", "1")
    if base <= 0 or command not in METRICS_OFFSETS or int(index) > MAX_INSTANCES_WITH_METRICS:
        return 0
    return base + METRICS_OFFSETS[command] + int(index) - 1


class ServiceComponent(Component):
    """Runs ``python -m compose <command>``; healthy while alive (and ready, if it says so)."""

    def __init__(
        self,
        state_dir: Path,
        command: str,
        ready_timeout_s: float,
        env: Mapping[str, str],
        ready_file: Path | None = None,
        health_url: str | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(state_dir, "127.0.0.1", 0, True, ready_timeout_s)
        self.name = name or command
        self.command = command
        # the instance's name, for its logs and for what it tells others (bridge lease)
        self.metrics_port = metrics_port_for(int(env.get(METRICS_BASE_VARIABLE, 0)), self.name)
        self.env = {**env, "ZAIKO_INSTANCE_NAME": self.name,
                    "ZAIKO_METRICS_PORT": str(self.metrics_port)}  # fmt: skip
        self.ready_file = ready_file
        self.health_url = health_url

    @property
    def url(self) -> str:
        if self.health_url:  # a gateway: show where people go, not the probe
            return self.health_url.removesuffix("/health") + "/graphql"
        return f"zaiko {self.command}"

    @property
    def metrics_url(self) -> str | None:
        """Return where this instance serves Prometheus metrics, or None when off."""
        return f"http://127.0.0.1:{self.metrics_port}/metrics" if self.metrics_port else None

    def argv(self) -> Sequence[str]:
        return [sys.executable, "-m", "compose", self.command]

    def status(self) -> ComponentStatus:
        """Return the status with the instance's metrics URL."""
        return replace(super().status(), metrics=self.metrics_url)

    def probe(self) -> None:
        """Raise unless our process is alive and, when it signals readiness, ready."""
        record = self.record()
        if record is None:
            raise RuntimeError("not running")
        if self.ready_file is not None and not self.ready_file.exists():
            raise RuntimeError("running, not ready yet")
        if self.health_url is not None:
            # Connect only once our process listens: the gateway ports lie in Linux's
            # ephemeral range, and a connect to an unbound one can connect to itself
            # (TCP self-connect), holding the port so the gateway's bind fails.
            port = urlsplit(self.health_url).port
            if not listens(record.pid, port):
                raise RuntimeError(f"running, not listening on {port} yet")
            with urllib.request.urlopen(self.health_url, timeout=2) as response:
                if response.status != 200:
                    raise RuntimeError(f"{self.health_url} answered {response.status}")

    def start(self) -> None:
        """Start the service unless it runs already; wait until it is healthy."""
        self.launch()
        self.wait_ready()

    def launch(self) -> None:
        """Start the service unless it runs already; do not wait."""
        if self.record() is None:
            if self.ready_file is not None:
                self.ready_file.unlink(missing_ok=True)
            self.pid_file.parent.mkdir(parents=True, exist_ok=True)
            env = {**os.environ, **self.env}
            if self.ready_file is not None:
                env["ZAIKO_READY_FILE"] = str(self.ready_file)
            spawn(self.argv(), self.log_file, self.pid_file, env=env)

    def wait_ready(self) -> None:
        """Wait until the service is healthy; raise ``StartError`` at the deadline."""
        self._wait_ready()

    def stop(self) -> None:
        """Stop our process (SIGTERM, then SIGKILL) and forget its readiness."""
        super().stop()
        if self.ready_file is not None:
            self.ready_file.unlink(missing_ok=True)

    def reset(self) -> None:
        """A service keeps no data of its own."""


def instance_name(command: str, index: int) -> str:
    """Return the name of a service's ``index``-th instance: worker, worker-2, worker-3, …"""
    return command if index == 1 else f"{command}-{index}"


def instances_on_record(run_dir: Path, command: str) -> list[int]:
    """Return the indexes of ``command``'s instances that have a pid file (alive or not)."""
    pattern = re.compile(rf"{re.escape(command)}(?:-([1-9][0-9]*))?\.pid")
    found = (pattern.fullmatch(p.name) for p in run_dir.glob(f"{command}*.pid"))
    return sorted(int(m.group(1) or 1) for m in found if m is not None)


def service_components(
    state_dir: Path, ready_timeout_s: float, connection_env: Mapping[str, str],
    command_api_port: int, query_api_port: int,
    instances: Mapping[str, Iterable[int]] | None = None,
) -> list[ServiceComponent]:  # fmt: skip
    """Return the two GraphQL gateways (ready once /api/health answers 200), then the
    ``instances`` of the worker, the bridge and the projector (one each by default;
    workers and projectors are ready once they joined their groups)."""
    api = "http://127.0.0.1:{}/api/health"
    scalable = instance_components(state_dir, ready_timeout_s, connection_env,
                                   instances or {c: [1] for c in SCALABLE})  # fmt: skip
    # The gateways go first, so their ports (in Linux's ephemeral range) are bound
    # before the other services open their long-lived client connections.
    services = [
        ServiceComponent(state_dir, "command-gateway", ready_timeout_s, connection_env,
                         health_url=api.format(command_api_port)),
        ServiceComponent(state_dir, "query-gateway", ready_timeout_s, connection_env,
                         health_url=api.format(query_api_port)),
    ]  # fmt: skip
    # the operations page (query gateway) scrapes every instance's /metrics
    urls = [s.metrics_url for s in [*services, *scalable] if s.metrics_url]
    services[1].env[OPS_METRICS_VARIABLE] = ",".join(urls)
    return [*services, *scalable]


def instance_components(
    state_dir: Path, ready_timeout_s: float, connection_env: Mapping[str, str],
    instances: Mapping[str, Iterable[int]],
) -> list[ServiceComponent]:  # fmt: skip
    """Return the given instances of the worker, the bridge and the projector, in that order."""
    run = state_dir / "run"
    services = []
    for command in SCALABLE:
        for index in instances.get(command, ()):
            name = instance_name(command, index)
            ready = None if command == "bridge" else run / f"{name}.ready"
            services.append(ServiceComponent(state_dir, command, ready_timeout_s, connection_env,
                                             ready_file=ready, name=name))  # fmt: skip
    return services


def connection_env(
    kafka_bootstrap_servers: str, dynamodb_endpoint_url: str | None, table_prefix: str,
    topic_partitions: int, aws_region: str, database_url: str, redis_url: str,
    command_api_port: int, query_api_port: int, metrics_base_port: int = 0,
) -> dict[str, str]:  # fmt: skip
    """Return the environment that points a service at the stack's infrastructure."""
    env = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap_servers,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ZAIKO_COMMAND_API_PORT": str(command_api_port),
        "ZAIKO_QUERY_API_PORT": str(query_api_port),
        "ZAIKO_TABLE_PREFIX": table_prefix,
        "ZAIKO_TOPIC_PARTITIONS": str(topic_partitions),
        "AWS_REGION": aws_region,
        METRICS_BASE_VARIABLE: str(metrics_base_port),
    }
    if dynamodb_endpoint_url:
        env["ZAIKO_DYNAMODB_ENDPOINT_URL"] = dynamodb_endpoint_url
    return env
