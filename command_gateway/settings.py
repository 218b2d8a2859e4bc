"""Settings of the Command API (GraphQL mutations)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from connectors.settings import ZaikoSettings


class CommandGatewaySettings(ZaikoSettings):
    """Where the Command API listens and how long a mutation waits for its outcome."""

    toml_section: ClassVar[str | None] = "command_gateway"

    command_api_host: str = "127.0.0.1"
    command_api_port: int = 50501
    command_timeout_s: float = Field(10.0, gt=0)
    api_keys: str | None = None  # "key:role,key:role"; unset = open (embedded default)
