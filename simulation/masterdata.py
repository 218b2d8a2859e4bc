"""Deterministic, seedable generator of 株式会社D商事's master data and initial stock.

``generate(MasterDataSpec(seed=42))`` gives, every time and on every machine, the same
自社 + partner companies, 8,000 products, 430 customers, 3 warehouses, 9 zones with
thresholds, and one initial stock placement per product. Smaller specs (``products=60``)
keep every proportion, for tests; ``id_base`` moves the numeric ids out of another
data set's way and ``warehouse_codes`` renames the three warehouses.
"""

from __future__ import annotations

from simulation.model import MasterData, MasterDataSpec
from simulation.parties import generate_parties
from simulation.products import generate_products
from simulation.sites import generate_sites, place_stock


def generate(spec: MasterDataSpec | None = None) -> MasterData:
    """Generate D商事's master data for ``spec`` (defaults: seed 42, full size)."""
    spec = spec or MasterDataSpec()
    companies, customers = generate_parties(
        spec.seed, spec.customers, spec.id_base, spec.warehouse_codes
    )
    products = generate_products(spec.seed, spec.products, spec.id_base)
    warehouses, zones = generate_sites(spec.warehouse_codes)
    placements = place_stock(spec.seed, products, zones)
    return MasterData(
        spec=spec,
        companies=companies,
        products=products,
        customers=customers,
        warehouses=warehouses,
        zones=zones,
        placements=placements,
    )
