"""One hierarchy of domain errors; every error has a stable machine code and the ids involved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from domain.message import Event


class DomainError(Exception):
    """Base of every business-rule rejection; edges translate it, the domain only raises it."""

    code: ClassVar[str] = "DOMAIN"

    def __init__(self, message: str, **ids: str) -> None:
        super().__init__(message)
        self.message = message
        self.ids: Mapping[str, str] = dict(ids)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value}" for key, value in self.ids.items())
        return f"[{self.code}] {self.message}" + (f" ({details})" if details else "")


class ValidationError(DomainError):
    code = "VALIDATION"


class NotFoundError(DomainError):
    code = "NOT_FOUND"


class UnknownProductError(NotFoundError):
    code = "UNKNOWN_PRODUCT"


class UnknownWarehouseError(NotFoundError):
    code = "UNKNOWN_WAREHOUSE"


class UnknownZoneError(NotFoundError):
    code = "UNKNOWN_ZONE"


class UnknownReservationError(NotFoundError):
    code = "UNKNOWN_RESERVATION"


class UnknownTransferError(NotFoundError):
    code = "UNKNOWN_TRANSFER"


class AlreadyExistsError(DomainError):
    code = "ALREADY_EXISTS"


class DuplicateReservationError(AlreadyExistsError):
    code = "DUPLICATE_RESERVATION"


class DuplicateTransferError(AlreadyExistsError):
    code = "DUPLICATE_TRANSFER"


class InsufficientStockError(DomainError):
    code = "INSUFFICIENT_STOCK"


class ReservationExceedsOnHandError(DomainError):
    code = "RESERVATION_EXCEEDS_ON_HAND"


class StockLimitExceededError(DomainError):
    """On hand plus units in transit would pass `limits.MAX_ON_HAND`."""

    code = "STOCK_LIMIT_EXCEEDED"


class TooManyOpenReservationsError(DomainError):
    """An inventory already holds `limits.MAX_OPEN_RESERVATIONS` open reservations."""

    code = "TOO_MANY_OPEN_RESERVATIONS"


class ReservationAlreadyReleasedError(DomainError):
    code = "RESERVATION_ALREADY_RELEASED"


class TransferAlreadySettledError(DomainError):
    code = "TRANSFER_ALREADY_SETTLED"


class StorageConditionViolationError(DomainError):
    """Refusal that must still be recorded: the edge appends `events_to_record`, then rejects."""

    code = "STORAGE_CONDITION_VIOLATION"

    def __init__(self, message: str, events_to_record: Sequence[Event], **ids: str) -> None:
        super().__init__(message, **ids)
        self.events_to_record: list[Event] = list(events_to_record)


class CategoryStorageMismatchError(DomainError):
    code = "CATEGORY_STORAGE_MISMATCH"


class ProductDiscontinuedError(DomainError):
    code = "PRODUCT_DISCONTINUED"


class CustomerInactiveError(DomainError):
    code = "CUSTOMER_INACTIVE"


class WarehouseInactiveError(DomainError):
    code = "WAREHOUSE_INACTIVE"


class ZoneInactiveError(DomainError):
    code = "ZONE_INACTIVE"


class AlreadyInactiveError(DomainError):
    code = "ALREADY_INACTIVE"


class AlreadyActiveError(DomainError):
    code = "ALREADY_ACTIVE"


class ConcurrencyError(DomainError):
    """Raised by event-store adapters when the expected stream version is stale."""

    code = "CONCURRENCY"


def _all_error_classes(root: type[DomainError]) -> list[type[DomainError]]:
    found = [root]
    for sub in root.__subclasses__():
        found.extend(_all_error_classes(sub))
    return found


ERROR_CLASSES: tuple[type[DomainError], ...] = tuple(_all_error_classes(DomainError))
ERROR_CODES: tuple[str, ...] = tuple(cls.code for cls in ERROR_CLASSES)
