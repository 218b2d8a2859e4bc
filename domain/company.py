"""Company (企業): static master data kept by plain CRUD, not event-sourced."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from domain.enums import CompanyType
from domain.errors import ValidationError
from domain.fields import ADDRESS, CAPITAL_YEN, EMPLOYEES, NAME, REPRESENTATIVE
from domain.ids import CompanyId

POSTAL_CODE = re.compile(r"^[0-9]{3}-[0-9]{4}$")
PHONE = re.compile(r"^\+?[0-9][0-9-]{5,18}$")  # at most 20 characters: 電話番号 varchar(20)


@dataclass(frozen=True)
class Company:
    """A company (自社 or 取引先企業); validates itself on construction."""

    company_id: str
    name: str
    company_type: CompanyType
    postal_code: str
    address: str
    phone: str
    representative: str
    established_on: date
    capital_yen: int
    employees: int

    def __post_init__(self) -> None:
        CompanyId(self.company_id)
        if not isinstance(self.company_type, CompanyType):
            try:
                object.__setattr__(self, "company_type", CompanyType(self.company_type))
            except ValueError as e:
                raise self._invalid("company_type") from e
        checks = {
            "name": NAME,
            "address": ADDRESS,
            "representative": REPRESENTATIVE,
            "capital_yen": CAPITAL_YEN,
            "employees": EMPLOYEES,
        }
        for field, check in checks.items():
            try:
                check(getattr(self, field))
            except ValidationError as e:
                raise self._invalid(field) from e
        if not isinstance(self.postal_code, str) or not POSTAL_CODE.fullmatch(self.postal_code):
            raise self._invalid("postal_code")
        if not isinstance(self.phone, str) or not PHONE.fullmatch(self.phone):
            raise self._invalid("phone")
        if not isinstance(self.established_on, date) or self.established_on > date.today():
            raise self._invalid("established_on")

    def _invalid(self, field: str) -> ValidationError:
        value = getattr(self, field)
        return ValidationError(
            f"invalid {field}: {value!r}", company_id=self.company_id, field=field
        )
