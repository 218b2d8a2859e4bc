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


class NotificationKind(StrEnum):
    """What an operator is told about (seed §11.3)."""

    ALLOCATION_FAILED = "ALLOCATION_FAILED"  # 引当失敗: storage-condition mismatch, shortage
    PROCESSING_DELAYED = "PROCESSING_DELAYED"  # 受払処理の遅延: outcome or projection lag
    SITE_SILENT = "SITE_SILENT"  # 拠点死活: a warehouse's channel silent in business hours
    AGGREGATE_PARKED = "AGGREGATE_PARKED"  # a projection parked one aggregate


class NotificationState(StrEnum):
    """RAISED when a condition starts (or for a one-off like 引当失敗), CLEARED when it ends."""

    RAISED = "RAISED"
    CLEARED = "CLEARED"


class NotificationSeverity(StrEnum):
    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"


@dataclass(frozen=True, kw_only=True)
class Notification:
    """Something an operator must know (seed §11.3); published to ``inventory.notifications``.

    ``subject`` names what it is about (an inventory, warehouse or aggregate id, or a
    stage such as ``command-outcome``); a condition is RAISED once and CLEARED once, with
    the same ``subject`` and ``kind``. ``code`` is the rejection code of an 引当失敗;
    ``observed`` and ``threshold`` the figures that raised or cleared a condition (seconds
    of lag or of silence).
    """

    notification_id: str
    kind: NotificationKind
    state: NotificationState
    severity: NotificationSeverity
    subject: str
    title: str
    message: str
    product_id: str | None = None
    warehouse_id: str | None = None
    zone_id: str | None = None
    code: str | None = None
    observed: float | None = None
    threshold: float | None = None
    occurred_at: dt.datetime = field(metadata={AVRO_LOGICAL: "timestamp-millis"})

    def __post_init__(self) -> None:
        object.__setattr__(self, "occurred_at", to_millis(self.occurred_at))


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
