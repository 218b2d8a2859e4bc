"""Ports of the Command API: where commands go and where companies are kept."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from domain.company import Company
from schemas import CommandEnvelope, CommandOutcome


class KafkaUnavailableError(Exception):
    """The command could not be handed to Kafka; nothing was sent."""


class CommandBus(Protocol):
    """Send a command to its topic and wait for its outcome on ``command.results``."""

    async def dispatch(
        self, envelope: CommandEnvelope[Any], timeout_s: float
    ) -> CommandOutcome | None:
        """Return the command's outcome, or None when none arrived within ``timeout_s``."""
        ...

    async def reachable(self, timeout_s: float) -> bool:
        """Tell whether the Kafka cluster answers a metadata request within ``timeout_s``."""
        ...


class CompanyExistsError(Exception):
    """A company with this id exists already."""


class CompanyNotFoundError(Exception):
    """No company has this id."""


class CompanyStoreUnavailableError(Exception):
    """The database could not be reached; nothing was changed."""


class CompanyStore(Protocol):
    """The company master (企業), plain CRUD."""

    async def create(self, company: Company) -> Mapping[str, Any]:
        """Insert ``company``; raise CompanyExistsError if its id is taken; return the row."""
        ...

    async def get(self, company_id: str) -> Mapping[str, Any] | None:
        """Return the company's row (English keys, as Company's fields), or None."""
        ...

    async def update(self, company: Company) -> Mapping[str, Any]:
        """Replace the company's fields; raise CompanyNotFoundError if absent; return the row."""
        ...

    async def delete(self, company_id: str) -> bool:
        """Delete the company; return whether it existed."""
        ...

    async def reachable(self, timeout_s: float) -> bool:
        """Tell whether the database answers within ``timeout_s``."""
        ...
