"""Settings of the projection deployable (``zaiko projector``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field

from connectors.settings import ZaikoSettings


class ProjectorSettings(ZaikoSettings):
    """The projection agents' knobs: consumer group, batching, cache and alert thresholds."""

    toml_section: ClassVar[str | None] = "projector"

    # Its own name (not ``app_id``) so that ZAIKO_APP_ID, meant for the command worker,
    # can never put the projector into the worker's consumer group.
    projector_id: str = "zaiko-projections"
    projector_web_port: int = Field(0, ge=0)  # Faust's web server (0: off, see WorkerSettings)
    broker_session_timeout_s: float = 6.0
    broker_rebalance_timeout_s: float = 6.0
    broker_commit_interval_s: float = Field(1.0, gt=0)
    batch_size: int = Field(500, ge=1)
    batch_within_s: float = Field(0.05, gt=0)
    low_stock_default_threshold: int = Field(10, ge=0)
    threshold_ttl_s: float = Field(30.0, ge=0)
    cache_prefix: str = "zaiko"
    cache_ttl_s: int = Field(86_400, ge=1)
    retry_backoff_max_s: float = Field(10.0, gt=0)
    # An event the read model refuses is tried this often before its aggregate is parked.
    park_after_attempts: int = Field(3, ge=1)
    # How often the cache debt left by a Redis outage is looked for (one indexed read).
    cache_repair_interval_s: float = Field(5.0, gt=0)
    ready_file: Path | None = None
    # How often the lag and parked gauges are set (with /metrics on: metrics_port > 0).
    metrics_interval_s: float = Field(5.0, gt=0)
    # 受払処理の遅延 of projection: event published -> projected, worst across projectors,
    # per aggregate type; evaluated every `notify_interval_s` by one projector (Redis lease)
    notify_interval_s: float = Field(5.0, gt=0)
    projection_delay_threshold_s: float = Field(5.0, ge=0)
    projection_delay_window_s: float = Field(30.0, ge=0)
