"""Settings of the Query API (GraphQL queries)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from connectors.graphql.limits import MAX_TOKENS
from connectors.settings import ZaikoSettings


class QueryGatewaySettings(ZaikoSettings):
    """Where the Query API listens and its limits."""

    toml_section: ClassVar[str | None] = "query_gateway"

    query_api_host: str = "127.0.0.1"
    query_api_port: int = 50502
    max_page_size: int = Field(100, ge=1)
    default_page_size: int = Field(20, ge=1)
    cache_ttl_s: int = Field(300, ge=0)  # 0 = no Redis cache-aside
    read_your_writes_timeout_s: float = Field(5.0, ge=0)  # one deadline per request
    max_consistency_tokens: int = Field(8, ge=1)  # distinct tokens one request may wait for
    api_keys: str | None = None  # "key:role,key:role"; unset = open (embedded default)
    max_query_depth: int = Field(10, ge=1)
    max_query_complexity: int = Field(50_000, ge=1)
    max_request_bytes: int = Field(65_536, ge=256)
    max_query_tokens: int = Field(MAX_TOKENS, ge=100)  # lexical tokens of one document
    low_stock_default_threshold: int = Field(10, ge=0)  # the worker's default, same variable
    db_pool_min_size: int = Field(2, ge=1)
    db_pool_max_size: int = Field(10, ge=1)
    db_timeout_s: float = Field(5.0, gt=0)  # a statement, its wait for a connection included
    # the operations page at / (query_gateway/ops): what it scrapes and how much it keeps
    command_api_port: int = 50501  # for the page's link to the Command API's GraphiQL
    ops_metrics_urls: str = ""  # comma-separated /metrics URLs (the stack passes its services')
    ops_scrape_interval_s: float = Field(2.0, gt=0)
    ops_readmodel_interval_s: float = Field(2.0, gt=0)
    ops_history_s: float = Field(600.0, gt=0)  # the sparklines' span
    ops_feed_size: int = Field(200, ge=1)  # alerts and notifications kept in memory
