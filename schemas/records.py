"""Records that are not domain messages: command outcomes and low-stock alerts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from schemas.envelope import to_millis
from schemas.typemap import AVRO_LOGICAL


class OutcomeStatus(StrEnum):
    ACCEPTED = "ACCEPTED"
    REJECTED = "REJECTED"


@dataclass(frozen=True, kw_only=True)
class CommandOutcome:
    """What became of a command; published to ``command.results`` keyed by command id."""

    command_id: str
    aggregate_id: str
    aggregate_type: str
    status: OutcomeStatus
    version: int | None = None
    event_types: tuple[str, ...] = ()
    error_code: str | None = None
    message: str | None = None
    completed_at: dt.datetime = field(metadata={AVRO_LOGICAL: "timestamp-millis"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "completed_at", to_millis(self.completed_at))


@dataclass(frozen=True, kw_only=True)
class LowStockAlert:
    """Available stock of a product in a zone fell to or below the zone's threshold."""

    alert_id: str
    product_id: str
    warehouse_id: str
    zone_id: str
    available: int
    threshold: int
    occurred_at: dt.datetime = field(metadata={AVRO_LOGICAL: "timestamp-millis"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", to_millis(self.occurred_at))
