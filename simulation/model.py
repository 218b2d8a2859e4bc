"""D商事's master data as plain values: what the generator produces and the loaders send."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from domain.company import Company
from domain.enums import Category, CustomerType, StorageCondition, ZoneType

DEFAULT_WAREHOUSE_CODES = ("TKY", "OSK", "FUK")


@dataclass(frozen=True)
class MasterDataSpec:
    """How much to generate and from which seed; ``id_base`` offsets every numeric id."""

    seed: int = 42
    products: int = 8000
    customers: int = 430
    id_base: int = 0
    warehouse_codes: tuple[str, str, str] = DEFAULT_WAREHOUSE_CODES

    def __post_init__(self) -> None:
        if self.products < 1 or self.customers < 4 or self.id_base < 0:
            raise ValueError("need at least 1 product, 4 customers and a non-negative id base")


@dataclass(frozen=True)
class ProductSpec:
    product_id: str
    name: str
    sku: str
    category: Category
    subcategory: str
    storage_condition: StorageCondition
    unit: str
    description: str
    reference_price: int


@dataclass(frozen=True)
class CustomerSpec:
    customer_id: str
    company_id: str
    name: str
    customer_type: CustomerType
    address: str
    contact: str
    warehouse_id: str  # the warehouse that serves the customer's region


@dataclass(frozen=True)
class WarehouseSpec:
    warehouse_id: str
    name: str
    location: str
    floor_area_m2: float
    capacity: int


@dataclass(frozen=True)
class ZoneSpec:
    zone_id: str
    warehouse_id: str
    name: str
    zone_type: ZoneType
    capacity: int
    floor_area_m2: float
    min_temperature_c: float
    max_temperature_c: float
    low_stock_threshold: int  # 区画別在庫閾値.閾値

    @property
    def zone_no(self) -> str:
        return self.zone_id[4:]


@dataclass(frozen=True)
class Placement:
    """Initial stock of one product in the zone matching its storage condition."""

    inventory_id: str
    product_id: str
    warehouse_id: str
    zone_id: str
    quantity: int


@dataclass(frozen=True)
class MasterData:
    """Everything ``zaiko load`` puts into Zaiko, generated from one spec."""

    spec: MasterDataSpec
    companies: tuple[Company, ...]
    products: tuple[ProductSpec, ...]
    customers: tuple[CustomerSpec, ...]
    warehouses: tuple[WarehouseSpec, ...]
    zones: tuple[ZoneSpec, ...]
    placements: tuple[Placement, ...]

    @cached_property
    def product_by_id(self) -> dict[str, ProductSpec]:
        return {p.product_id: p for p in self.products}

    @cached_property
    def zone_by_id(self) -> dict[str, ZoneSpec]:
        return {z.zone_id: z for z in self.zones}

    def zone_for(self, warehouse_id: str, zone_type: ZoneType) -> ZoneSpec:
        """Return the zone of ``zone_type`` in ``warehouse_id``."""
        return next(
            z for z in self.zones if z.warehouse_id == warehouse_id and z.zone_type == zone_type
        )
