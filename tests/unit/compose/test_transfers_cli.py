"""``zaiko transfers open``: how entries are shown."""

from __future__ import annotations

import json

import pytest

from compose.transfers import Listed, _age, _listed, print_open
from connectors.open_transfers import OpenTransfer


def test_ages_read_in_the_largest_units_that_matter() -> None:
    assert [_age(s) for s in (0, 59, 61, 3_660, 90_000)] == ["0s", "59s", "1m 1s", "1h 1m",
                                                             "1d 1h"]  # fmt: skip


def test_an_expired_claim_is_not_shown() -> None:
    entry = OpenTransfer("PRD-000001@TKY-01", "T-1", "PRD-000001@OSK-01", 3, 1_000, 1_000,
                         claimed_by="w1", claimed_until_ms=5_000)  # fmt: skip
    assert _listed(entry, True, now_ms=4_000).claimed_by == "w1"
    listed = _listed(entry, True, now_ms=61_000)
    assert (listed.claimed_by, listed.age_s) == (None, 60.0)


def test_json_lists_every_field(capsys: pytest.CaptureFixture[str]) -> None:
    listed = Listed("T-1", "PRD-000001@TKY-01", "PRD-000001@OSK-01", 3, 12.5, True, None)
    print_open([listed], as_json=True)
    assert json.loads(capsys.readouterr().out) == [{
        "transfer_id": "T-1", "source": "PRD-000001@TKY-01",
        "destination": "PRD-000001@OSK-01", "quantity": 3, "age_s": 12.5, "pending": True,
        "claimed_by": None,
    }]  # fmt: skip
