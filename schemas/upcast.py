"""Upcasters: turn decoded older event versions into the newest, so consumers see one version."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from typing import Any

from schemas.envelope import EventEnvelope

Upcaster = Callable[[Any], Any]


@functools.cache
def upcasters() -> dict[type[Any], Upcaster]:
    """Return the upcaster of each event class that has a newer version."""
    from domain.product.events import ProductUpdated_V1, ProductUpdated_V2

    def product_updated_v1_to_v2(event: ProductUpdated_V1) -> ProductUpdated_V2:
        # V2 only adds optional fields: everything V1 knew carries over, the rest is unknown.
        old = {f.name: getattr(event, f.name) for f in dataclasses.fields(event)}
        return ProductUpdated_V2(**old)

    return {ProductUpdated_V1: product_updated_v1_to_v2}


def upcast_event(event: Any) -> Any:
    """Return the newest version of an event (the event itself when it is the newest)."""
    table = upcasters()
    while type(event) in table:
        event = table[type(event)](event)
    return event


def upcast(envelope: EventEnvelope[Any]) -> EventEnvelope[Any]:
    """Return the envelope with its event upcast to the newest version."""
    newest = upcast_event(envelope.event)
    return envelope if newest is envelope.event else envelope.replace_event(newest)
