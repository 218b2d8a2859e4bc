"""docs/contract.md stays in step with the domain and the schemas."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain import errors, messages
from schemas.catalog import message_specs

CONTRACT = (Path(__file__).parents[3] / "docs/contract.md").read_text(encoding="utf-8")
DOMAIN_CODES = {
    cls.code
    for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, errors.DomainError)
}


@pytest.mark.parametrize("name", sorted(messages.COMMANDS))
def test_every_command_is_documented_with_its_fields(name: str) -> None:
    row = next((line for line in CONTRACT.splitlines() if line.startswith(f"| `{name}`")), None)
    assert row is not None, f"{name} missing from docs/contract.md"
    spec = next(s for s in message_specs() if s.name == name)
    for field in spec.schema["fields"][1:]:
        assert f"`{field['name']}`" in row, f"{name}.{field['name']} undocumented"


@pytest.mark.parametrize("name", sorted(messages.EVENTS))
def test_every_event_is_listed(name: str) -> None:
    assert f"`{name}`" in CONTRACT


def test_every_documented_rejection_code_is_a_domain_error_code() -> None:
    commands = CONTRACT[CONTRACT.index("## Commands") : CONTRACT.index("## Events")]
    documented = set(re.findall(r"`([A-Z][A-Z_]{3,})`", commands))
    assert {"INSUFFICIENT_STOCK", "STORAGE_CONDITION_VIOLATION", "CONCURRENCY"} <= documented
    assert documented <= DOMAIN_CODES, documented - DOMAIN_CODES
