"""The embedded stack: start, provision, report and stop Zaiko's infrastructure."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from compose.checks import epoch_report, lease_report, read_model_epoch
from compose.components.base import Component, ComponentStatus
from compose.components.dynamodb import DynamoDB
from compose.components.kafka import Kafka
from compose.components.postgres import Postgres
from compose.components.redis import Redis
from compose.components.service import (
    SCALABLE,
    connection_env,
    instance_components,
    service_components,
)
from compose.instances import plan_instances
from compose.settings import StackSettings
from compose.supervision.component import supervisor_component
from compose.supervision.files import SupervisionFiles

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


class Stack:
    """Kafka, DynamoDB, PostgreSQL and Redis, embedded or external per settings.

    ``instances``: how many workers, bridges and projectors ``up(with_services=True)``
    runs (by service name; unnamed ones keep as many as have pid files, at least one).
    """

    def __init__(
        self, settings: StackSettings, instances: Mapping[str, int | None] | None = None
    ) -> None:
        self.settings = settings
        state = settings.state_dir.resolve()
        timeout = settings.ready_timeout_s
        kafka_host, kafka_port = settings.kafka_address
        ddb_host, ddb_port = settings.dynamodb_address
        self.kafka = Kafka(
            state,
            kafka_host,
            kafka_port,
            settings.embedded_kafka,
            timeout,
            bootstrap_servers=settings.kafka_bootstrap_servers,
        )
        self.dynamodb = DynamoDB(
            state,
            ddb_host,
            ddb_port,
            settings.embedded_dynamodb,
            timeout,
            endpoint_url=settings.dynamodb_endpoint_url or "",
            client_factory=self._dynamodb_client,
        )
        self.postgres = Postgres(
            state,
            "127.0.0.1",
            settings.postgres_port,
            settings.embedded_postgres,
            timeout,
            database_url=settings.effective_database_url,
        )
        self.redis = Redis(
            state,
            "127.0.0.1",
            settings.redis_port,
            settings.embedded_redis,
            timeout,
            redis_url=settings.effective_redis_url,
        )
        plan = plan_instances(state / "run", instances)
        env = connection_env(
            settings.kafka_bootstrap_servers, settings.dynamodb_endpoint_url,
            settings.table_prefix, settings.topic_partitions, settings.aws_region,
            settings.effective_database_url, settings.effective_redis_url,
            settings.command_api_port, settings.query_api_port, settings.metrics_base_port,
        )  # fmt: skip
        ports = (settings.command_api_port, settings.query_api_port)
        self.services = service_components(state, timeout, env, *ports, instances=plan.run)
        # instances beyond the numbers asked for: stopped by up(with_services) and down()
        self.surplus = instance_components(state, timeout, env, plan.surplus)
        # restarts crashed services when up(with_services=True, supervised=True) asked
        self.supervision = SupervisionFiles(state / "run")
        self.supervisor = supervisor_component(settings, env)

    @property
    def components(self) -> list[Component]:
        return [self.kafka, self.dynamodb, self.postgres, self.redis]

    def _dynamodb_client(self, **timeouts: Any) -> Any:
        from botocore.config import Config

        from connectors.dynamodb.client import dynamodb_client

        config = Config(retries={"max_attempts": 1}, **timeouts) if timeouts else None
        return dynamodb_client(self.settings, config=config)

    def up(
        self, progress: Progress = _quiet, reset: bool = False, with_services: bool = False,
        supervised: bool = False,
    ) -> None:  # fmt: skip
        """Start every component (idempotent), create topics, tables and schema; then services
        (``supervised``: launched and kept running by the supervisor)."""
        if reset:
            self.down(progress, reset=True)
        started: list[Component] = []
        try:
            for component in self.components:
                progress(f"starting {component.name}")
                if component.embedded and component.record() is None:
                    started.append(component)
                component.start()
            self.provision(progress)
            progress("checking the read model against the journal")
            read_model_epoch(self.settings, self._dynamodb_client(), record=True).raise_unless_ok()
        except BaseException:
            # a half-started stack is of no use: stop what this call started (not what ran)
            for component in reversed(started):
                component.stop()
            raise
        if with_services and supervised:
            self._start_supervised(progress)
        elif with_services:
            self._start_services(progress)

    def _start_supervised(self, progress: Progress) -> None:
        counts = {c: sum(s.command == c for s in self.services) for c in SCALABLE}
        # under the lock: the supervisor's next pass sees the new plan, and never the
        # surplus instances dead but still planned
        with self.supervision.locked():
            self.supervision.write_plan([s.name for s in self.services], counts)
            for service in self.surplus:
                progress(f"stopping {service.name}")
                service.stop()
        progress("starting the supervisor")
        self.supervisor.launch()  # it launches what is not running, gateways first
        for service in self.services:
            progress(f"waiting for {service.name}")
            service.wait_ready()

    def _start_services(self, progress: Progress) -> None:
        for service in self.surplus:
            progress(f"stopping {service.name}")
            service.stop()
        # the instances of one service start together: one rebalance of their group, not N
        for command in dict.fromkeys(s.command for s in self.services):
            group = [s for s in self.services if s.command == command]
            for service in group:
                progress(f"starting {service.name}")
                service.launch()
            for service in group:
                service.wait_ready()

    def provision(self, progress: Progress = _quiet) -> None:
        """Create Kafka topics, DynamoDB tables and apply SQL migrations (idempotent)."""
        from compose.migrate import apply_migrations
        from connectors.dynamodb.tables import ensure_tables
        from connectors.kafka.topics import ensure_topics

        progress("creating kafka topics")
        ensure_topics(self.settings.kafka_bootstrap_servers, self.settings.topic_partitions)
        progress("creating dynamodb tables")
        ensure_tables(self._dynamodb_client(), self.settings.table_prefix)
        if self.postgres.embedded:
            self.postgres.ensure_database(self.settings.postgres_db)
        progress("applying sql migrations")
        apply_migrations(self.settings.effective_database_url)

    def down(self, progress: Progress = _quiet, reset: bool = False) -> None:
        """Stop the processes this stack started; with ``reset`` also wipe their data."""
        # the supervisor first, so it never restarts what is being stopped deliberately
        progress("stopping the supervisor")
        self.supervisor.stop()
        with self.supervision.locked():
            self.supervision.clear_plan()
        services = [*self.services, *self.surplus]
        for component in [*reversed(services), *reversed(self.components)]:
            progress(f"stopping {component.name}")
            component.stop()
        if reset:
            progress("wiping state")
            for component in self.components:
                component.reset()
            shutil.rmtree(self.settings.state_dir / "logs", ignore_errors=True)

    def metrics_endpoints(self) -> dict[str, str]:
        """Return the /metrics URL of each service instance on record, by instance name."""
        running = [s for s in [*self.services, *self.surplus] if s.pid_file.exists()]
        return {s.name: s.metrics_url for s in running if s.metrics_url}

    def status(self) -> list[ComponentStatus]:
        """Return each component's URL, health and pid."""
        running = [s for s in [*self.services, *self.surplus] if s.pid_file.exists()]
        return [component.status() for component in [*self.components, *running]]

    def status_json(self) -> dict[str, Any]:
        """Return the status as a JSON-ready mapping keyed by component name.

        Also the journal epoch check, and the bridge lease when bridges run.
        """
        from compose.projection_status import projection_status
        from compose.supervision.report import supervision_report

        statuses = self.status()
        probe = functools.partial(self._dynamodb_client, connect_timeout=2, read_timeout=2)
        up = {s.name for s in statuses if s.healthy} >= {"dynamodb", "postgres"}
        checks = {
            "journal_epoch": epoch_report(self.settings, probe)
            if up  # else their own lines say what is down; do not wait for timeouts
            else {"healthy": None, "detail": "not checked: DynamoDB or PostgreSQL is down"}
        }
        bridges = [s for s in statuses if s.name.split("-")[0] == "bridge"]
        if bridges:
            checks["bridge_lease"], lines = lease_report(self.settings, probe, bridges)
            statuses = [next((b for b in lines if b.name == s.name), s) for s in statuses]
        checks["supervisor"], supervision = supervision_report(self.supervision, self.supervisor)
        components = {s.name: asdict(s) for s in statuses}
        for name, line in supervision.items():
            if name in components:
                components[name]["supervision"] = line
        return {
            "healthy": all(s.healthy for s in statuses)
            and all(c["healthy"] is not False for c in checks.values()),
            "state_dir": str(self.settings.state_dir.resolve()),
            "components": components,
            # parked aggregates and cache debt: not a process's health, but work for an operator
            "projection": projection_status(self.settings.effective_database_url),
            **checks,
        }
