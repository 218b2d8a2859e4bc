"""Commands of the WarehouseZone (倉庫別区画) aggregate."""

from __future__ import annotations

from dataclasses import dataclass

from domain.enums import ZoneType
from domain.errors import ValidationError
from domain.ids import ZoneId
from domain.message import NAME, NOTE, Command, non_negative_int, optional, require, temperature

__all__ = [
    "ChangeZoneCapacity",
    "CreateZone",
    "DeactivateZone",
    "UpdateZone",
]


@dataclass(frozen=True)
class CreateZone(Command):
    """Create zone `zone_id` (e.g. TKY-01); the id names its warehouse."""

    zone_id: str
    name: str
    zone_type: ZoneType
    capacity: int
    min_temperature_c: float | None = None
    max_temperature_c: float | None = None

    def validate(self) -> None:
        require(self, zone_id=ZoneId, name=NAME, capacity=non_negative_int)
        optional(self, min_temperature_c=temperature, max_temperature_c=temperature)
        check_temperature_range(self.min_temperature_c, self.max_temperature_c)


@dataclass(frozen=True)
class UpdateZone(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    zone_id: str
    name: str | None = None
    min_temperature_c: float | None = None
    max_temperature_c: float | None = None

    def validate(self) -> None:
        require(self, zone_id=ZoneId)
        optional(self, name=NAME, min_temperature_c=temperature, max_temperature_c=temperature)
        check_temperature_range(self.min_temperature_c, self.max_temperature_c)


@dataclass(frozen=True)
class DeactivateZone(Command):
    zone_id: str
    reason: str | None = None

    def validate(self) -> None:
        require(self, zone_id=ZoneId)
        optional(self, reason=NOTE)


@dataclass(frozen=True)
class ChangeZoneCapacity(Command):
    zone_id: str
    capacity: int

    def validate(self) -> None:
        require(self, zone_id=ZoneId, capacity=non_negative_int)


def check_temperature_range(low: float | None, high: float | None) -> None:
    """Refuse a range whose minimum is above its maximum."""
    if low is not None and high is not None and low > high:
        raise ValidationError(f"min temperature {low} above max {high}", field="temperature")
