"""Warehouse codes for tests: each one handed out at most once per test run.

Tests share one database, one journal and one set of topics per session, so two tests
that drew the same code saw each other's zones. Random picks collided (a birthday
problem), and so did two builders drawing from overlapping alphabets.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Iterator

from simulation.model import DEFAULT_WAREHOUSE_CODES

# Codes that tests or the demo data name literally.
RESERVED = frozenset({*DEFAULT_WAREHOUSE_CODES, "SIA", "SIB", "SIC", "QTK", "QOS", "QFK", "QQQ"})


def _codes() -> Iterator[str]:
    letters = string.ascii_uppercase
    codes = [a + b + c for a in letters for b in letters for c in letters]
    codes = [code for code in codes if code not in RESERVED]
    random.Random(uuid.uuid4().int).shuffle(codes)
    return iter(codes)


_CODES = _codes()


def unique_warehouse() -> str:
    """Return a three-letter warehouse code (倉庫コード) no other test of this run has."""
    return next(_CODES)
