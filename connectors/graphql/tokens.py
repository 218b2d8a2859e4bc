"""Consistency tokens ``"<aggregateId>:<version>"``: the Command API writes, the Query API reads.

Parsed strictly: the version is 1 to 19 ASCII digits within PostgreSQL's bigint, the
aggregate id has the format of one of the event-sourced aggregates' ids (domain/ids.py,
in ASCII digits; a unit test keeps the two in step: the Query API imports no domain).
Anything else is malformed, never an internal error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# product, customer, warehouse, warehouse-zone, inventory (<product id>@<zone id>)
AGGREGATE_ID = re.compile(
    r"PRD-[0-9]{6,12}|CUS-[0-9]{4,12}|[A-Z]{3}|[A-Z]{3}-[0-9]{2}|PRD-[0-9]{6,12}@[A-Z]{3}-[0-9]{2}"
)
MAX_VERSION = 2**63 - 1  # 投影位置.適用済シーケンス番号 is a bigint
_TOKEN = re.compile(r"(?P<aggregate>[!-~]{1,64}):(?P<version>[0-9]{1,19})")
HELP = "'<aggregateId>:<version>' as the Command API returned it (version >= 1)"


class MalformedTokenError(ValueError):
    """A consistency token that is not one the Command API could have written."""


@dataclass(frozen=True)
class Token:
    aggregate_id: str
    version: int

    def __str__(self) -> str:
        return format_token(self.aggregate_id, self.version)


def format_token(aggregate_id: str, version: int) -> str:
    """Return the token of an aggregate at ``version``."""
    return f"{aggregate_id}:{version}"


def parse_token(text: str) -> Token:
    """Return the token ``text`` stands for; raise MalformedTokenError otherwise."""
    match = _TOKEN.fullmatch(text)
    if match is None:
        raise MalformedTokenError(f"consistencyToken must be {HELP}")
    aggregate_id, version = match["aggregate"], int(match["version"])
    if not 1 <= version <= MAX_VERSION:
        raise MalformedTokenError(f"the version of a consistencyToken is 1 to {MAX_VERSION}")
    if not AGGREGATE_ID.fullmatch(aggregate_id):
        raise MalformedTokenError(f"{aggregate_id!r} is not the id of an aggregate")
    return Token(aggregate_id, version)
