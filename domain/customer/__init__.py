"""Customer aggregate (取引先)."""

from __future__ import annotations

from domain.aggregate import INITIAL
from domain.customer.rules import decide
from domain.customer.state import Customer, CustomerState, evolve, fold

__all__ = ["INITIAL", "Customer", "CustomerState", "decide", "evolve", "fold"]
