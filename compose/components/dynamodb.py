"""DynamoDB + DynamoDB Streams: moto in server mode, or any endpoint (LocalStack, AWS)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from compose.components.base import Component


class DynamoDB(Component):
    """moto (``compose.dynamodb_server``) on the configured endpoint's port."""

    name = "dynamodb"
    port_variable = "ZAIKO_DYNAMODB_ENDPOINT_URL"

    def __init__(self, *args: Any, endpoint_url: str, client_factory: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.endpoint_url = endpoint_url
        self.client_factory = client_factory

    @property
    def url(self) -> str:
        return self.endpoint_url

    def argv(self) -> Sequence[str]:
        return [sys.executable, "-m", "compose.dynamodb_server",
                "--host", self.host, "--port", str(self.port)]  # fmt: skip

    def probe(self) -> None:
        self.client_factory(connect_timeout=2, read_timeout=2).list_tables(Limit=1)
