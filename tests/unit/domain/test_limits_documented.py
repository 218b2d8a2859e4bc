"""The documents partners and engineers read state the limits the code enforces."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain import limits

DOCS = Path(__file__).parents[3] / "docs"
FIGURES = [
    limits.MAX_ON_HAND,
    limits.MAX_QUANTITY,
    limits.MAX_ADJUSTMENT,
    limits.MAX_OPEN_RESERVATIONS,
    limits.CLOSED_RESERVATIONS_KEPT,
    limits.SETTLED_TRANSFERS_KEPT,
    limits.RECEIVED_TRANSFERS_KEPT,
    limits.MAX_CAPACITY,
    limits.MAX_REFERENCE_PRICE,
    int(limits.MAX_FLOOR_AREA_M2),
]


@pytest.mark.parametrize("document", ["contract.md", "domain.md"])
def test_the_documents_state_every_stock_and_master_data_limit(document: str) -> None:
    text = (DOCS / document).read_text(encoding="utf-8")
    missing = [f"{figure:,}" for figure in FIGURES if f"{figure:,}" not in text]
    assert missing == []
    for digits in (limits.PRODUCT_DIGITS, limits.CUSTOMER_DIGITS, limits.COMPANY_DIGITS):
        assert f"{digits[0]}–{digits[1]}" in text
    assert f"{limits.CALLER_ID_LENGTH}" in text and f"{limits.NAME_LENGTH}" in text
