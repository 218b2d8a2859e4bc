"""Every bound of the business, declared once.

The value objects and command fields check these (`domain.fields`), the schema
generator writes them into the Avro docs, and the read model's column types hold them
(`tests/integration/projector/test_limits_pipeline.py` compares both). The reasons
are in docs/domain.md ("Limits"). D商事: ~8,000 SKUs, 3 warehouses × 3 zones, about
2,000 movements a day, order lines of 1–300 units.
"""

from __future__ import annotations

# --- Stock of one product in one zone (one inventory), in whole units --------------
# The Query API serves per-inventory figures as GraphQL Int (32-bit) and the read model
# stores them in `integer` columns (max 2,147,483,647). 10^9 leaves room for on hand
# and in transit together, and is ~2,600× the whole 東京倉庫 (about 375,000 units).
MAX_ON_HAND = 1_000_000_000
"""On hand plus units sent out under unsettled transfers, per inventory."""
MAX_QUANTITY = MAX_ON_HAND
"""One movement (receipt, issue, reservation, transfer) can fill an inventory, no more."""
MAX_ADJUSTMENT = MAX_ON_HAND
"""The size of one adjustment's delta, either sign."""
MAX_OPEN_RESERVATIONS = 1_000
"""Open reservations per inventory: all 430 customers at once, twice over."""

# --- Recent windows: settled ids kept in the live state to refuse a reused id -------
# Redelivery is caught forever by the command id (outcome store and journal); these
# windows only catch a caller reusing a reservation or transfer id under a new
# command id. A hot inventory closes ~50 reservations a day: 1,000 is weeks.
CLOSED_RESERVATIONS_KEPT = 1_000
SETTLED_TRANSFERS_KEPT = 1_000
RECEIVED_TRANSFERS_KEPT = 1_000

# --- Master data ---------------------------------------------------------------------
MAX_CAPACITY = 2_000_000_000
"""Units a warehouse or zone holds (`integer` column, GraphQL Int)."""
MAX_REFERENCE_PRICE = 100_000_000
"""Yen per unit (1億円): far above any food or daily good (`integer` column)."""
MIN_FLOOR_AREA_M2 = 0.01
MAX_FLOOR_AREA_M2 = 10_000_000.0
"""10 km²: 25× the largest warehouse in the world; numeric(10, 2) holds < 10^8."""
FLOOR_AREA_DECIMALS = 2
MIN_TEMPERATURE_C = -60.0
MAX_TEMPERATURE_C = 60.0
"""Below any deep-freeze store (−50 °C), above any ambient room; numeric(5, 1)."""
TEMPERATURE_DECIMALS = 1
MAX_CAPITAL_YEN = 100_000_000_000_000
"""資本金 of a company (100兆円; `bigint`)."""
MAX_EMPLOYEES = 10_000_000
"""従業員数 of a company (`integer`)."""

# --- Ids: ASCII digits only, and never longer than their varchar ---------------------
PRODUCT_DIGITS = (6, 12)
"""商品ID `PRD-` + 6–12 digits: at most 16 characters (varchar(16)); 10^12 products."""
CUSTOMER_DIGITS = (4, 12)
"""取引先ID `CUS-` + 4–12 digits (varchar(16))."""
COMPANY_DIGITS = (4, 12)
"""企業ID `CMP-` + 4–12 digits (varchar(16))."""
ZONE_DIGITS = 2
"""区画番号: two digits (varchar(4) holds up to four)."""
COMMAND_ID_LENGTH = 128
"""A command id (idempotency key): the Command API's `idempotencyKey` and a partner's
`meta.command_id` alike. It keys the outcome and journal items (DynamoDB keys hold
2,048 bytes) and is copied into every event the command produces."""
CORRELATION_ID_LENGTH = 128
"""`meta.correlation_id`, copied into every event (a DynamoDB item holds 400 KB)."""
CHANNEL_LENGTH = 64
"""`meta.channel`: who sent the command (`ec-site`, `pos`, `graphql`, ...)."""
CALLER_ID_LENGTH = 64
"""Reservation and transfer ids, chosen by the caller (`text` columns)."""
SKU_LENGTH = (3, 32)
"""SKU (varchar(32))."""
MAX_SEQUENCE_NR = 2**63 - 1
"""An event's sequence number in its aggregate (Avro `long`, `bigint` columns)."""

# --- Text: characters (code points), as PostgreSQL counts them -----------------------
NAME_LENGTH = 200
NOTE_LENGTH = 1_000
OPERATOR_LENGTH = 100
UNIT_LENGTH = 16
DESCRIPTION_LENGTH = 2_000
ADDRESS_LENGTH = 300
LOCATION_LENGTH = 300
CONTACT_LENGTH = 200
REPRESENTATIVE_LENGTH = 100
LINE_BREAKS = "\t\n\r"
"""The only control characters allowed, and only in multi-line text (notes,
descriptions, addresses). PostgreSQL text cannot hold NUL; the others are invisible
in every screen that shows them."""
