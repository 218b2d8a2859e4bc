"""Settings of the DynamoDB Streams -> Kafka bridge (``zaiko bridge``)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from connectors.settings import ZaikoSettings


class BridgeSettings(ZaikoSettings):
    """How often and how much the bridge reads from the journal's stream."""

    toml_section: ClassVar[str | None] = "bridge"

    # Bridges sharing a bridge_id share the checkpoints and one lease: one publishes.
    bridge_id: str = "zaiko-bridge"
    # A holder renews every lease_renew_s; a standby takes over once the lease is
    # lease_ttl_s old, trying every lease_retry_s.
    lease_ttl_s: float = Field(10.0, gt=0)
    lease_renew_s: float = Field(2.5, gt=0)
    lease_retry_s: float = Field(1.0, gt=0)
    poll_interval_s: float = Field(0.2, gt=0)
    records_per_read: int = Field(1000, ge=1, le=1000)
    # How often DescribeStream looks for new shards (splits) and a re-created stream.
    discover_interval_s: float = Field(10.0, gt=0)
    # How long Kafka may take to acknowledge a produced event before the batch is retried.
    delivery_timeout_s: float = Field(30.0, gt=0)
