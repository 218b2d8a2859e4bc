"""What ``zaiko stack status`` shows beyond components: the journal's epoch, the bridge lease."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from compose.components.base import ComponentStatus
from compose.settings import StackSettings


def read_model_epoch(
    settings: StackSettings, dynamodb: Any, record: bool = False, quick: bool = False
) -> Any:  # EpochCheck (imported lazily: psycopg is slow to import)
    """Compare the read model's journal epoch with the journal's (``record`` it if safe).

    ``quick``: short connect and statement timeouts (for the status).
    """
    import psycopg

    from connectors.postgres.conninfo import DEFAULT, QUICK, with_timeouts
    from connectors.read_model_epoch import check_epoch

    timeouts = QUICK if quick else DEFAULT
    url = with_timeouts(settings.effective_database_url, timeouts)
    with psycopg.connect(url, autocommit=True) as conn:
        return check_epoch(conn, dynamodb, settings.table_prefix, record)


def epoch_report(settings: StackSettings, dynamodb: Callable[[], Any]) -> dict[str, Any]:
    """Return the epoch check for the status: journal, read model, healthy, detail."""
    try:
        check = read_model_epoch(settings, dynamodb(), quick=True)
    except Exception as exc:  # the components' own lines say what is down
        return {"healthy": None, "detail": f"not checked: {type(exc).__name__}"}
    return {"journal": check.journal, "read_model": check.read_model, "verdict": check.verdict,
            "healthy": check.ok, "detail": check.describe()}  # fmt: skip


def lease_report(
    settings: StackSettings, dynamodb: Callable[[], Any], bridges: Sequence[ComponentStatus]
) -> tuple[dict[str, Any], list[ComponentStatus]]:
    """Return the bridge lease for the status, and the bridges' lines saying who holds it."""
    from connectors.bridge.lease_item import read_lease
    from connectors.bridge_settings import BridgeSettings
    from connectors.dynamodb.tables import CHECKPOINTS

    config = BridgeSettings()
    try:
        view = read_lease(dynamodb(), CHECKPOINTS.name(settings.table_prefix), config.bridge_id)
    except Exception as exc:
        return {"healthy": None, "detail": f"not checked: {type(exc).__name__}"}, list(bridges)
    now_ms = int(time.time() * 1000)
    held = view is not None and view.held_at(now_ms)
    holder = view.holder if view is not None and held else None
    standbys = view.waiting(now_ms, int(config.lease_ttl_s * 1000)) if view else []
    report = {
        "bridge_id": config.bridge_id,
        "holder": holder,
        "token": view.token if view else None,
        "expires_in_s": round((view.expires_at_ms - now_ms) / 1000, 1) if holder and view else None,
        "standbys": standbys,
        "dead_lettered": view.dead_lettered if holder and view else None,
        "healthy": held or not bridges,
        "detail": (f"held by {holder}" if holder else "no bridge holds it")
        + (f"; standing by: {', '.join(standbys)}" if standbys else "")
        + (
            f"; {view.dead_lettered} dead-lettered"
            if holder and view and view.dead_lettered
            else ""
        ),
    }
    lines = []
    for bridge in bridges:
        mine = f"{bridge.name}@"
        role = ("holds the lease" if holder and holder.startswith(mine) and
                holder.endswith(f":{bridge.pid}") else "standing by")  # fmt: skip
        lines.append(replace(bridge, detail=bridge.detail or role))
    return report, lines
