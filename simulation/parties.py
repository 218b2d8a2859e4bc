"""Generate companies (自社 + 取引先企業) and the 430 customers (取引先) tied to them."""

from __future__ import annotations

import random
import re
from datetime import date

from domain.company import Company
from domain.enums import CompanyType, CustomerType
from simulation import people
from simulation.model import CustomerSpec
from simulation.products import apportion

PREFECTURE = re.compile(r"^(東京都|北海道|京都府|大阪府|.{2,3}県)")

# 50 スーパー, 30 コンビニ, 200 飲食店, 150 小売店 of 430 (MISSION.md).
CUSTOMER_MIX: dict[CustomerType, int] = {
    CustomerType.SUPERMARKET: 50,
    CustomerType.CONVENIENCE_STORE: 30,
    CustomerType.RESTAURANT: 200,
    CustomerType.RETAILER: 150,
}
# How many customers one partner company runs: chains are companies of their own;
# restaurants belong to groups of about four, retailers to owners of about two shops.
CUSTOMERS_PER_COMPANY: dict[CustomerType, int] = {
    CustomerType.SUPERMARKET: 1,
    CustomerType.CONVENIENCE_STORE: 1,
    CustomerType.RESTAURANT: 4,
    CustomerType.RETAILER: 2,
}
COMPANY_SUFFIXES: dict[CustomerType, tuple[str, ...]] = {
    CustomerType.SUPERMARKET: ("ストア", "マート", "スーパー", "フードセンター"),
    CustomerType.CONVENIENCE_STORE: ("ミニマート", "デイリーストア", "24"),
    CustomerType.RESTAURANT: ("ダイニング", "フードサービス", "外食"),
    CustomerType.RETAILER: ("商店", "屋", "商会"),
}
SHOP_SUFFIXES: dict[CustomerType, tuple[str, ...]] = {
    CustomerType.SUPERMARKET: ("",),
    CustomerType.CONVENIENCE_STORE: ("",),
    CustomerType.RESTAURANT: ("食堂", "亭", "キッチン", "そば処", "居酒屋"),
    CustomerType.RETAILER: ("", "ストア"),
}


def customer_counts(total: int) -> dict[CustomerType, int]:
    """Return the number of customers per type for ``total`` customers (430 = 50/30/200/150)."""
    counts = apportion(total, list(CUSTOMER_MIX.values()))
    return dict(zip(CUSTOMER_MIX, counts, strict=True))


def own_company(company_id: str) -> Company:
    """Return 株式会社D商事 itself (自社)."""
    return Company(
        company_id=company_id, name="株式会社D商事", company_type=CompanyType.OWN,
        postal_code="135-0061", address="東京都江東区豊洲3-2-20", phone="03-5500-1985",
        representative="大道 正雄", established_on=date(1985, 4, 1),
        capital_yen=300_000_000, employees=250,
    )  # fmt: skip


def generate_parties(
    seed: int, customers: int, id_base: int, warehouse_codes: tuple[str, str, str]
) -> tuple[tuple[Company, ...], tuple[CustomerSpec, ...]]:
    """Generate the companies and the customers deterministically from ``seed``."""
    rng = random.Random(f"{seed}:parties")
    companies = [own_company(f"CMP-{id_base + 1:04d}")]
    result: list[CustomerSpec] = []
    for customer_type, count in customer_counts(customers).items():
        per_company = CUSTOMERS_PER_COMPANY[customer_type]
        company: Company | None = None
        for n in range(count):
            if n % per_company == 0:
                company = _partner(rng, f"CMP-{id_base + len(companies) + 1:04d}", customer_type)
                companies.append(company)
            assert company is not None
            number = id_base + len(result) + 1
            result.append(_customer(rng, number, company, customer_type, warehouse_codes))
    return tuple(companies), tuple(result)


def _partner(rng: random.Random, company_id: str, customer_type: CustomerType) -> Company:
    region = people.region_for(rng)
    stem = rng.choice(people.NAME_STEMS)
    name = f"株式会社{stem}{rng.choice(COMPANY_SUFFIXES[customer_type])}"
    return Company(
        company_id=company_id, name=name, company_type=CompanyType.PARTNER,
        postal_code=people.postal_code(rng, region), address=people.address(rng, region),
        phone=people.phone(rng, region), representative=people.person(rng),
        established_on=date(rng.randint(1950, 2020), rng.randint(1, 12), rng.randint(1, 28)),
        capital_yen=rng.choice((10, 30, 50, 100, 300, 1000)) * 1_000_000,
        employees=rng.randint(5, 2000),
    )  # fmt: skip


def _customer(
    rng: random.Random,
    number: int,
    company: Company,
    customer_type: CustomerType,
    warehouse_codes: tuple[str, str, str],
) -> CustomerSpec:
    region = people.region_for(rng)
    brand = company.name.removeprefix("株式会社")
    town = rng.choice(region.towns)
    branch = PREFECTURE.sub("", town)
    shop = rng.choice(SHOP_SUFFIXES[customer_type])
    return CustomerSpec(
        customer_id=f"CUS-{number:04d}",
        company_id=company.company_id,
        name=f"{brand}{shop} {branch}店",
        customer_type=customer_type,
        address=people.address(rng, region),
        contact=f"{people.person(rng)} {people.phone(rng, region)}",
        warehouse_id=warehouse_codes[region.warehouse_index],
    )
