"""API keys with roles (header ``X-API-Key``): reader and operator may query, channel not.

Configured as ``api_keys = "key:role,key:role"``. Unset means open: the embedded default,
announced with a warning at start-up.
"""

from __future__ import annotations

import hmac
from enum import StrEnum

from query_gateway.errors import Code, GatewayError

HEADER = "X-API-Key"


class Role(StrEnum):
    READER = "reader"
    OPERATOR = "operator"
    CHANNEL = "channel"


QUERY_ROLES = {Role.READER, Role.OPERATOR}


def parse_keys(spec: str | None) -> dict[str, Role] | None:
    """Return key -> role, or None when no keys are configured (open access)."""
    if not spec or not spec.strip():
        return None
    keys: dict[str, Role] = {}
    for item in spec.split(","):
        key, sep, role = item.strip().rpartition(":")
        if not sep or not key:
            raise ValueError(f"api_keys entry {item.strip()!r} is not 'key:role'")
        try:
            keys[key] = Role(role.strip().lower())
        except ValueError:
            raise ValueError(f"unknown role {role!r} (reader, operator, channel)") from None
    return keys


def authorize(keys: dict[str, Role] | None, presented: str | None) -> Role | None:
    """Return the caller's role; UNAUTHENTICATED or FORBIDDEN when it may not query."""
    if keys is None:
        return None
    role = None
    for key, candidate in keys.items():  # compare every key in constant time
        if presented is not None and hmac.compare_digest(key.encode(), presented.encode()):
            role = candidate
    if role is None:
        raise GatewayError(Code.UNAUTHENTICATED, f"a valid {HEADER} header is required")
    if role not in QUERY_ROLES:
        raise GatewayError(
            Code.FORBIDDEN, f"role {role.value!r} may not use the Query API", role=role.value
        )
    return role
