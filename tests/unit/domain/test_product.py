from __future__ import annotations

import pytest

from domain import (
    INITIAL,
    AlreadyExistsError,
    AlreadyInactiveError,
    Category,
    CategoryStorageMismatchError,
    ChangeStorageCondition,
    CreateProduct,
    DiscontinueProduct,
    NotFoundError,
    ProductCreated_V1,
    ProductDiscontinued_V1,
    ProductDiscontinuedError,
    ProductStatus,
    ProductUpdated_V1,
    StorageCondition,
    StorageConditionChanged_V1,
    UpdateProduct,
    ValidationError,
)
from domain.product import Product, decide, evolve, fold

PID = "PRD-000001"
CREATE = CreateProduct(PID, "牛乳", "MILK-1000", Category.FOOD, StorageCondition.CHILLED, "本")


def created() -> Product:
    state = fold(decide(INITIAL, CREATE))
    assert isinstance(state, Product)
    return state


def test_creating_a_product_emits_product_created() -> None:
    [event] = decide(INITIAL, CREATE)
    assert isinstance(event, ProductCreated_V1)
    assert event.status is ProductStatus.ACTIVE
    state = evolve(INITIAL, event)
    assert isinstance(state, Product)
    assert (state.storage_condition, state.version) == (StorageCondition.CHILLED, 1)


def test_creating_a_product_twice_is_rejected() -> None:
    with pytest.raises(AlreadyExistsError):
        decide(created(), CREATE)


@pytest.mark.parametrize(
    "command",
    [
        UpdateProduct(PID, name="x"),
        DiscontinueProduct(PID),
        ChangeStorageCondition(PID, StorageCondition.FROZEN),
    ],
)
def test_a_command_on_a_missing_product_is_rejected(command: object) -> None:
    with pytest.raises(NotFoundError) as caught:
        decide(INITIAL, command)  # type: ignore[arg-type]
    assert caught.value.ids == {"product_id": PID}


def test_daily_goods_must_be_ambient() -> None:
    with pytest.raises(CategoryStorageMismatchError):
        decide(
            INITIAL,
            CreateProduct(
                "PRD-000002", "洗剤", "DET-1", Category.DAILY_GOODS, StorageCondition.CHILLED, "本"
            ),
        )


def test_recategorising_chilled_food_as_daily_goods_is_rejected() -> None:
    with pytest.raises(CategoryStorageMismatchError):
        decide(created(), UpdateProduct(PID, category=Category.DAILY_GOODS))


def test_updating_a_product_emits_all_descriptive_fields_after_the_change() -> None:
    state = created()
    [event] = decide(state, UpdateProduct(PID, name="低脂肪牛乳", reference_price=198))
    assert event == ProductUpdated_V1(PID, "低脂肪牛乳", "MILK-1000", Category.FOOD, "", "本", 198)
    after = evolve(state, event)
    assert isinstance(after, Product)
    assert (after.name, after.reference_price, after.version) == ("低脂肪牛乳", 198, 2)


def test_an_update_that_changes_nothing_emits_nothing() -> None:
    assert decide(created(), UpdateProduct(PID, name="牛乳")) == []


def test_an_update_with_a_malformed_sku_is_rejected() -> None:
    with pytest.raises(ValidationError):
        UpdateProduct(PID, sku="bad sku")


def test_changing_the_storage_condition_records_old_and_new() -> None:
    [event] = decide(created(), ChangeStorageCondition(PID, StorageCondition.FROZEN))
    assert event == StorageConditionChanged_V1(
        PID, StorageCondition.CHILLED, StorageCondition.FROZEN
    )


def test_changing_to_the_same_storage_condition_emits_nothing() -> None:
    assert decide(created(), ChangeStorageCondition(PID, StorageCondition.CHILLED)) == []


def test_discontinuing_a_product_marks_it_discontinued() -> None:
    [event] = decide(created(), DiscontinueProduct(PID, reason="終売"))
    assert isinstance(event, ProductDiscontinued_V1)
    state = evolve(created(), event)
    assert isinstance(state, Product) and state.discontinued


def test_a_discontinued_product_refuses_updates_and_storage_changes() -> None:
    state = fold(
        [*decide(INITIAL, CREATE), ProductDiscontinued_V1(PID, None, ProductStatus.DISCONTINUED)]
    )
    with pytest.raises(ProductDiscontinuedError):
        decide(state, UpdateProduct(PID, name="x"))
    with pytest.raises(ProductDiscontinuedError):
        decide(state, ChangeStorageCondition(PID, StorageCondition.FROZEN))
    with pytest.raises(AlreadyInactiveError):
        decide(state, DiscontinueProduct(PID))
