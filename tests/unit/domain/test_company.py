from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain import Company, CompanyType, ValidationError


def make(**overrides: Any) -> Company:
    fields: dict[str, Any] = {
        "company_id": "CMP-0001",
        "name": "株式会社D商事",
        "company_type": CompanyType.OWN,
        "postal_code": "100-0001",
        "address": "東京都千代田区",
        "phone": "03-1234-5678",
        "representative": "山田太郎",
        "established_on": date(1985, 4, 1),
        "capital_yen": 50_000_000,
        "employees": 250,
    }
    return Company(**{**fields, **overrides})


def test_a_valid_company_is_built() -> None:
    company = make(company_type="取引先企業")
    assert company.company_type is CompanyType.PARTNER


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("company_id", "CMP-1"),
        ("postal_code", "1000001"),
        ("phone", "call me"),
        ("capital_yen", -1),
        ("employees", 1.5),
        ("name", " "),
        ("company_type", "他社"),
        ("established_on", "1985-04-01"),
    ],
)
def test_an_invalid_company_field_is_rejected(field: str, value: object) -> None:
    with pytest.raises(ValidationError):
        make(**{field: value})


def test_a_company_is_immutable() -> None:
    company = make()
    assert replace(company, employees=251).employees == 251
    with pytest.raises(AttributeError):
        company.employees = 1  # type: ignore[misc]
