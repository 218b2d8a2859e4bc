"""Generate D商事's product master: food 75% (常温/冷蔵/冷凍 = 60/30/10), daily goods 常温."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from domain.enums import Category, StorageCondition
from simulation.catalog import (
    CATEGORY_OF_SUBCATEGORY,
    DAILY_LINES,
    FOOD_LINES,
    FOOD_SHARE,
    FOOD_STORAGE_SHARES,
    MAKERS,
    SKU_CODES,
    VARIANTS,
    Line,
)
from simulation.model import ProductSpec


def apportion(total: int, shares: Sequence[float]) -> list[int]:
    """Split ``total`` into whole counts proportional to ``shares`` (largest remainder)."""
    exact = [total * s / sum(shares) for s in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def storage_plan(rng: random.Random, products: int) -> list[tuple[Category, StorageCondition]]:
    """Return each product's category and storage condition, exact to the shares, shuffled."""
    food, daily = apportion(products, (FOOD_SHARE, 1 - FOOD_SHARE))
    conditions = list(FOOD_STORAGE_SHARES)
    plan: list[tuple[Category, StorageCondition]] = []
    for condition, count in zip(
        conditions, apportion(food, [FOOD_STORAGE_SHARES[c] for c in conditions]), strict=True
    ):
        plan += [(Category.FOOD, condition)] * count
    plan += [(Category.DAILY_GOODS, StorageCondition.AMBIENT)] * daily
    rng.shuffle(plan)
    return plan


def product_id(number: int) -> str:
    """Return the product id of product number ``number`` (1-based, base included)."""
    return f"PRD-{number:06d}"


def generate_products(seed: int, count: int, id_base: int) -> tuple[ProductSpec, ...]:
    """Generate ``count`` products deterministically from ``seed``."""
    rng = random.Random(f"{seed}:products")
    lines: Mapping[StorageCondition, list[Line]] = FOOD_LINES
    products = []
    for i, (category, condition) in enumerate(storage_plan(rng, count), start=1):
        line = rng.choice(lines[condition] if category is Category.FOOD else DAILY_LINES)
        assert CATEGORY_OF_SUBCATEGORY[line.subcategory] is category
        products.append(_product(rng, id_base + i, line, condition))
    return tuple(products)


def _product(
    rng: random.Random, number: int, line: Line, condition: StorageCondition
) -> ProductSpec:
    maker = rng.choice(MAKERS[line.subcategory])
    variant = rng.choice(VARIANTS)
    size = rng.choice(line.sizes)
    name = " ".join(part for part in (maker, variant, line.item, size) if part)
    low, high = line.price
    price = max(10, round(rng.randint(low, high), -1) - 2)  # shelf prices end in 8
    category = CATEGORY_OF_SUBCATEGORY[line.subcategory]
    return ProductSpec(
        product_id=product_id(number),
        name=name,
        sku=f"{SKU_CODES[line.subcategory]}-{number:06d}",
        category=category,
        subcategory=line.subcategory,
        storage_condition=condition,
        unit=line.unit,
        description=f"{category}・{line.subcategory}（{condition}保存）。{maker}の{line.item}。",
        reference_price=price,
    )
