"""Settings of the Command API (GraphQL mutations)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from connectors.graphql.limits import MAX_TOKENS
from connectors.settings import ZaikoSettings


class CommandGatewaySettings(ZaikoSettings):
    """Where the Command API listens, how long a mutation waits, and what a request may cost."""

    toml_section: ClassVar[str | None] = "command_gateway"

    command_api_host: str = "127.0.0.1"
    command_api_port: int = 50501
    command_timeout_s: float = Field(10.0, gt=0)
    api_keys: str | None = None  # "key:role,key:role"; unset = open (embedded default)
    channel: str = "graphql"  # meta.channel of the commands this gateway sends
    max_query_depth: int = Field(8, ge=1)
    max_query_complexity: int = Field(200, ge=1)
    mutation_cost: int = Field(20, ge=1)  # complexity of one mutation field (it waits on Kafka)
    max_request_bytes: int = Field(64 * 1024, ge=1024)
    max_query_tokens: int = Field(MAX_TOKENS, ge=100)  # lexical tokens of one document
    kafka_probe_timeout_s: float = Field(3.0, gt=0)
    results_clock_skew_s: float = Field(30.0, ge=0)
    postgres_pool_max: int = Field(4, ge=1)
    postgres_timeout_s: float = Field(5.0, gt=0)  # a company statement, pool wait included
