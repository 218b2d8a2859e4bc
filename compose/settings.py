"""Settings of the embedded stack launcher (``zaiko stack``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

from pydantic import Field

from connectors.settings import ZaikoSettings


class StackSettings(ZaikoSettings):
    """Where the embedded stack keeps its state and which parts it starts itself."""

    toml_section: ClassVar[str | None] = "stack"

    state_dir: Path = Path(".zaiko")
    embedded_kafka: bool = True
    embedded_dynamodb: bool = True
    ready_timeout_s: float = 60.0
    # where `stack up --services` runs the gateways (same variables the gateways read)
    command_api_port: int = 50501
    query_api_port: int = 50502
    # services' /metrics: gateways base, base+1; workers base+10…, bridges base+20…,
    # projectors base+30… (one per instance); 0 turns every endpoint off
    metrics_base_port: int = 50510
    # the supervisor of `stack up --services`: checks every poll_s, restarts a crashed
    # service after initial_s doubling to max_s, gives up after give_up_after crashes
    # within window_s (compose/supervision)
    supervisor_poll_s: float = Field(0.2, gt=0)
    supervisor_backoff_initial_s: float = Field(0.5, gt=0)
    supervisor_backoff_max_s: float = Field(30.0, gt=0)
    supervisor_give_up_after: int = Field(5, ge=1)
    supervisor_window_s: float = Field(300.0, gt=0)

    @property
    def kafka_address(self) -> tuple[str, int]:
        """Return the (host, port) the embedded broker listens on: the first bootstrap server."""
        first = self.kafka_bootstrap_servers.split(",")[0].strip()
        host, _, port = first.rpartition(":")
        return host or "127.0.0.1", int(port or 9092)

    @property
    def dynamodb_address(self) -> tuple[str, int]:
        """Return the (host, port) of the DynamoDB endpoint."""
        parts = urlsplit(self.dynamodb_endpoint_url or "http://127.0.0.1:50503")
        return parts.hostname or "127.0.0.1", parts.port or 80

    @property
    def embedded_postgres(self) -> bool:
        """Return True when no DATABASE_URL is set and the stack runs PostgreSQL itself."""
        return not self.database_url

    @property
    def embedded_redis(self) -> bool:
        """Return True when no REDIS_URL is set and the stack runs Redis itself."""
        return not self.redis_url
