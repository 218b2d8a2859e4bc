"""Every field of every command is checked against `domain.limits`, at and beyond its bounds."""

from __future__ import annotations

import dataclasses
import math
import typing
from typing import Any

import pytest

from domain import CreateProduct, CreateWarehouse, CreateZone, ValidationError, limits, messages
from domain.ids import CompanyId, CustomerId, InventoryId, ProductId, ReservationId, Sku, ZoneId
from domain.inventory.commands import AdjustStock, ReceiveStock, ReserveStock
from domain.message import field_rules
from tests.unit.schemas.samples import sample_message

COMMANDS = sorted(messages.COMMANDS.items())
FIELDS = [(name, rule) for name, cls in COMMANDS for rule in field_rules(cls)]
BIGINT_FIELDS = {"out_sequence_nr"}  # a sequence number: `bigint` wherever it is stored


def plain_type(cls: type, field: str) -> Any:
    hint = typing.get_type_hints(cls)[field]
    return next(a for a in (*typing.get_args(hint), hint) if a in (str, int, float))


def bad_values(cls: type, field: str, doc: str) -> list[object]:
    """Values no check may let through, whatever the field's bounds."""
    kind = plain_type(cls, field)
    if kind is str:
        blanks = [] if "may be empty" in doc else ["", " ", "\u3000"]
        return [1, *blanks, "ok\x00", "ok\x07", "ok\ud800", "x" * 2001]
    if kind is int:
        beyond_int32 = [] if field in BIGINT_FIELDS else [2**31]
        return [True, 1.0, "3", *beyond_int32, -(2**31), 10**30]
    return [True, math.nan, math.inf, -math.inf, "1.5", 1e308, 10**400, 0.001]


def test_every_command_field_has_a_check_or_is_an_enum() -> None:
    unchecked = [f"{n}.{r.name}" for n, r in FIELDS if r.check is None and r.enum is None]
    assert unchecked == []


# ids from names only: a rule's repr holds function addresses, which differ between
# processes, and xdist needs every worker to collect the same test ids
@pytest.mark.parametrize(
    ("name", "rule"),
    [(n, r) for n, r in FIELDS if r.check],
    ids=lambda v: v if isinstance(v, str) else v.name,
)
def test_every_checked_field_refuses_what_the_read_model_cannot_hold(name: str, rule: Any) -> None:
    cls, field = messages.COMMANDS[name], rule.name
    valid = sample_message(cls)
    for bad in bad_values(cls, field, rule.check.doc):
        with pytest.raises(ValidationError) as caught:
            dataclasses.replace(valid, **{field: bad})
        assert caught.value.ids["field"] == field, bad


@pytest.mark.parametrize(("name", "field"), [(n, r.name) for n, r in FIELDS if not r.nullable])
def test_a_required_field_refuses_none(name: str, field: str) -> None:
    with pytest.raises(ValidationError):
        dataclasses.replace(sample_message(messages.COMMANDS[name]), **{field: None})


@pytest.mark.parametrize(
    ("id_type", "longest", "refused"),
    [
        (ProductId, "PRD-" + "9" * 12, ["PRD-" + "9" * 13, "PRD-１２３４５６", "PRD-٠٠٠٠٠١"]),
        (CustomerId, "CUS-" + "9" * 12, ["CUS-" + "9" * 13, "CUS-１２３４"]),
        (CompanyId, "CMP-" + "9" * 12, ["CMP-" + "9" * 13, "CMP-１２３４"]),
        (ZoneId, "TKY-99", ["TKY-１２", "TKY-999"]),
        (InventoryId, "PRD-" + "9" * 12 + "@TKY-99", ["PRD-１２３４５６@TKY-01"]),
        (ReservationId, "R" * 64, ["R" * 65, "R-１"]),
        (Sku, "S" * 32, ["S" * 33]),
    ],
)
def test_ids_take_ascii_digits_and_fit_their_column(
    id_type: Any, longest: str, refused: list[str]
) -> None:
    assert id_type(longest) == longest
    assert len(longest) == id_type.max_length
    for value in refused:
        with pytest.raises(ValidationError):
            id_type(value)


def test_quantities_deltas_capacities_and_prices_stop_at_their_limits() -> None:
    inv = "PRD-000001@TKY-01"
    assert ReceiveStock(inv, limits.MAX_QUANTITY).quantity == limits.MAX_QUANTITY
    assert AdjustStock(inv, -limits.MAX_ADJUSTMENT, "破損").delta == -limits.MAX_ADJUSTMENT
    product = sample_message(CreateProduct)
    assert dataclasses.replace(product, reference_price=limits.MAX_REFERENCE_PRICE)
    for build in (
        lambda: ReceiveStock(inv, limits.MAX_QUANTITY + 1),
        lambda: ReceiveStock(inv, 0),
        lambda: ReserveStock(inv, "R-1", limits.MAX_QUANTITY + 1),
        lambda: AdjustStock(inv, limits.MAX_ADJUSTMENT + 1, "棚卸差異"),
        lambda: AdjustStock(inv, 0, "棚卸差異"),
        lambda: dataclasses.replace(product, reference_price=limits.MAX_REFERENCE_PRICE + 1),
        lambda: dataclasses.replace(product, reference_price=-1),
        lambda: CreateZone("TKY-01", "区画", "常温", limits.MAX_CAPACITY + 1),
    ):
        with pytest.raises(ValidationError):
            build()
    assert CreateZone("TKY-01", "区画", "常温", limits.MAX_CAPACITY).capacity == limits.MAX_CAPACITY


def test_floor_areas_are_positive_finite_and_fit_numeric_10_2() -> None:
    good = [limits.MIN_FLOOR_AREA_M2, 5000.5, 1234567.89, limits.MAX_FLOOR_AREA_M2, 3]
    for area in good:
        assert CreateWarehouse("TKY", "東京", "江東区", area, 1).floor_area_m2 == area
    for area in [0, 0.0, -1.0, 0.001, 12.345, limits.MAX_FLOOR_AREA_M2 + 0.01, math.nan]:
        with pytest.raises(ValidationError):
            CreateWarehouse("TKY", "東京", "江東区", area, 1)


def test_temperatures_have_one_decimal_within_the_range() -> None:
    low, high = limits.MIN_TEMPERATURE_C, limits.MAX_TEMPERATURE_C
    assert CreateZone("TKY-03", "冷凍", "冷凍", 1, low, high).min_temperature_c == low
    assert CreateZone("TKY-03", "冷凍", "冷凍", 1, -18.5, 0.1).max_temperature_c == 0.1
    for bad in [low - 0.1, high + 0.1, -18.25, math.inf, -math.inf]:
        with pytest.raises(ValidationError):
            CreateZone("TKY-03", "冷凍", "冷凍", 1, bad, None)


def test_names_are_one_line_and_notes_may_break_lines() -> None:
    assert ReceiveStock("PRD-000001@TKY-01", 1, note="一行目\n二行目\tタブ\r\n").note
    for name in ["a\nb", "\t", "名前\x1b[31m", "ab\x7f", "ab\x85"]:
        with pytest.raises(ValidationError):
            dataclasses.replace(sample_message(CreateProduct), name=name)
    longest = "あ" * limits.NAME_LENGTH
    assert dataclasses.replace(sample_message(CreateProduct), name=longest).name == longest


def test_a_required_enum_refuses_none_and_unknown_values() -> None:
    for bad in (None, "冷やす"):
        with pytest.raises(ValidationError):
            dataclasses.replace(sample_message(CreateProduct), storage_condition=bad)
        with pytest.raises(ValidationError):
            AdjustStock("PRD-000001@TKY-01", 1, bad)  # type: ignore[arg-type]
