"""Commands of the WarehouseZone (倉庫別区画) aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from domain.enums import ZoneType
from domain.errors import ValidationError
from domain.fields import CAPACITY, NAME, NOTE, TEMPERATURE, ZONE_ID
from domain.message import Command

__all__ = [
    "ChangeZoneCapacity",
    "CreateZone",
    "DeactivateZone",
    "UpdateZone",
]


@dataclass(frozen=True)
class CreateZone(Command):
    """Create zone `zone_id` (e.g. TKY-01); the id names its warehouse."""

    zone_id: Annotated[str, ZONE_ID]
    name: Annotated[str, NAME]
    zone_type: ZoneType
    capacity: Annotated[int, CAPACITY]
    min_temperature_c: Annotated[float | None, TEMPERATURE] = None
    max_temperature_c: Annotated[float | None, TEMPERATURE] = None

    def validate(self) -> None:
        check_temperature_range(self.min_temperature_c, self.max_temperature_c)


@dataclass(frozen=True)
class UpdateZone(Command):
    """Change descriptive fields; a field left as None keeps its current value."""

    zone_id: Annotated[str, ZONE_ID]
    name: Annotated[str | None, NAME] = None
    min_temperature_c: Annotated[float | None, TEMPERATURE] = None
    max_temperature_c: Annotated[float | None, TEMPERATURE] = None

    def validate(self) -> None:
        check_temperature_range(self.min_temperature_c, self.max_temperature_c)


@dataclass(frozen=True)
class DeactivateZone(Command):
    zone_id: Annotated[str, ZONE_ID]
    reason: Annotated[str | None, NOTE] = None


@dataclass(frozen=True)
class ChangeZoneCapacity(Command):
    zone_id: Annotated[str, ZONE_ID]
    capacity: Annotated[int, CAPACITY]


def check_temperature_range(low: float | None, high: float | None) -> None:
    """Refuse a range whose minimum is above its maximum."""
    if low is not None and high is not None and low > high:
        raise ValidationError(f"min temperature {low} above max {high}", field="temperature")
