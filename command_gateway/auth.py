"""API keys with roles: channel (command mutations), operator (all), reader (no mutations)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

log = logging.getLogger(__name__)
API_KEY_HEADER = "X-API-Key"


class Role(StrEnum):
    CHANNEL = "channel"
    OPERATOR = "operator"
    READER = "reader"


class Permission(StrEnum):
    COMMANDS = "commands"  # the aggregates' command mutations
    COMPANIES = "companies"  # company CRUD (master data, operators only)


GRANTS: Mapping[Role, frozenset[Permission]] = {
    Role.CHANNEL: frozenset({Permission.COMMANDS}),
    Role.OPERATOR: frozenset(Permission),
    Role.READER: frozenset(),
}


@dataclass(frozen=True)
class Principal:
    """Who is calling: a role, and a label for logs (never the key itself)."""

    role: Role
    key_name: str

    def may(self, permission: Permission) -> bool:
        """Tell whether this caller holds ``permission``."""
        return permission in GRANTS[self.role]


OPEN = Principal(Role.OPERATOR, "open")


class ApiKeys:
    """The configured keys; with none configured every caller is an operator (open mode)."""

    def __init__(self, roles_by_key: Mapping[str, Role]) -> None:
        self._roles = dict(roles_by_key)

    @property
    def open(self) -> bool:
        """Tell whether no key is configured (the embedded default)."""
        return not self._roles

    @classmethod
    def parse(cls, spec: str | None) -> ApiKeys:
        """Parse ``"key:role,key:role"``; raise ValueError on a malformed entry."""
        roles: dict[str, Role] = {}
        for entry in (spec or "").split(","):
            if not entry.strip():
                continue
            key, sep, role = entry.strip().rpartition(":")
            if not sep or not key:
                raise ValueError(f"api key entry {entry!r} is not key:role")
            try:
                roles[key] = Role(role.strip().lower())
            except ValueError:
                raise ValueError(  # noqa: B904 -- the role list says more than the enum's error
                    f"unknown role {role!r}; use one of {[r.value for r in Role]}"
                )
        return cls(roles)

    def authenticate(self, presented: str | None) -> Principal | None:
        """Return the caller for ``presented``; None if keys are configured and it is unknown."""
        if self.open:
            return OPEN
        if not presented:
            return None
        for key, role in self._roles.items():
            if hmac.compare_digest(key.encode(), presented.encode()):
                return Principal(role, f"key-{role.value}")
        return None

    def warn_if_open(self) -> None:
        """Log at start-up that the API is open when no key is configured."""
        if self.open:
            log.warning("no API keys configured (ZAIKO_API_KEYS): the Command API is OPEN, "
                        "every caller acts as operator; set keys before exposing it")  # fmt: skip
