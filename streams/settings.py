"""Settings of the Faust worker (``zaiko worker``)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from pydantic import Field

from connectors.settings import ZaikoSettings


class WorkerSettings(ZaikoSettings):
    """The command and projection agents' knobs."""

    toml_section: ClassVar[str | None] = "worker"

    app_id: str = "zaiko"
    # Faust's web server (0: off). Off by default so that any number of workers share a
    # host; nothing in Zaiko reads it.
    worker_web_port: int = Field(0, ge=0)
    snapshot_every: int = Field(100, ge=1)
    max_concurrency_retries: int = Field(5, ge=0)
    broker_session_timeout_s: float = 6.0
    broker_rebalance_timeout_s: float = 6.0
    low_stock_default_threshold: int = Field(10, ge=0)
    broker_commit_interval_s: float = Field(1.0, gt=0)
    state_cache_size: int = Field(50_000, ge=1)
    # aggregate states also in a Faust table (changelog), restored on restart: see
    # docs/decisions.md "State table" for what it costs and saves
    state_table: bool = False
    refs_max_age_s: float = Field(2.0, ge=0)
    handler_threads: int = Field(8, ge=1)
    # a command agent takes up to this many messages at once, waiting at most `within`
    command_batch_size: int = Field(256, ge=1)
    command_batch_within_s: float = Field(0.01, gt=0)
    # aggregates of one batch answered side by side (threads; DynamoDB calls block)
    command_parallelism: int = Field(16, ge=1)
    # Faust waits up to 1,500 ms per fetch; Tansu answers a waiting fetch only at that
    # deadline, not when records arrive, so a shorter wait is a shorter queueing delay
    consumer_fetch_max_wait_ms: int = Field(50, ge=1)
    ready_file: Path | None = None
    # Notifications (inventory.notifications): one worker, elected through Redis, evaluates
    # every `notify_interval_s`; each worker reports its own figures at the same pace.
    notify_interval_s: float = Field(5.0, gt=0)
    # 受払処理の遅延: command record -> outcome published, worst across workers
    command_delay_threshold_s: float = Field(5.0, ge=0)
    command_delay_window_s: float = Field(30.0, ge=0)
    # 拠点死活: a warehouse with no command for this long, within business hours (JST)
    site_silence_s: float = Field(1800.0, gt=0)
    site_business_hours: str = "08:00-20:00"
    site_business_days: list[int] = Field(default_factory=lambda: [0, 1, 2, 3, 4])
