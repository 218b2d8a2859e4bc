"""Product aggregate (商品)."""

from __future__ import annotations

from domain.aggregate import INITIAL
from domain.product.rules import decide
from domain.product.state import Product, ProductState, evolve, fold

__all__ = ["INITIAL", "Product", "ProductState", "decide", "evolve", "fold"]
