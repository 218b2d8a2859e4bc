"""DynamoDB attribute-value form of journal entries, outcomes and snapshots.

``entry_from_item`` accepts the low-level form that both the DynamoDB client and
DynamoDB Streams records (``NewImage``) use; binary values may be raw bytes (boto3)
or base64 text (the JSON of a Lambda event).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import replace
from typing import Any

from connectors.eventstore.errors import UnreadableItemError
from connectors.eventstore.port import CommandOutcome, JournalEntry, Snapshot, StoredEvent

Item = dict[str, Any]


def _s(attr: Any) -> str:
    return str(attr["S"])


def _n(attr: Any) -> int:
    return int(attr["N"])


def _b(attr: Any) -> bytes:
    value = attr["B"]
    return base64.b64decode(value) if isinstance(value, str) else bytes(value)


def _opt_s(item: Item, name: str) -> str | None:
    attr = item.get(name)
    return None if attr is None or "NULL" in attr else _s(attr)


def entry_to_item(entry: JournalEntry, written_at_ms: int) -> Item:
    """Return the journal item for ``entry``.

    An entry of several commands lists them in ``command_ids`` (a string set) and marks
    each event of a later command with its id; ``fingerprints`` maps each command id to
    its command's fingerprint.
    """
    item = {
        "aggregate_id": {"S": entry.aggregate_id},
        "seq_nr": {"N": str(entry.first_seq_nr)},
        "last_seq_nr": {"N": str(entry.last_seq_nr)},
        "aggregate_type": {"S": entry.aggregate_type},
        "command_id": {"S": entry.command_id},
        "correlation_id": {"S": entry.correlation_id},
        "written_at_ms": {"N": str(written_at_ms)},
        "events": {
            "L": [
                {
                    "M": {
                        "event_id": {"S": e.event_id},
                        "seq_nr": {"N": str(e.seq_nr)},
                        "event_type": {"S": e.event_type},
                        "payload": {"B": e.payload},
                        "occurred_at_ms": {"N": str(e.occurred_at_ms)},
                        **_unless_same("command_id", e.command_id, entry.command_id),
                        **_unless_same("correlation_id", e.correlation_id, entry.correlation_id),
                    }
                }
                for e in entry.events
            ]
        },
    }
    if len(entry.command_ids) > 1:
        item["command_ids"] = {"SS": list(entry.command_ids)}
    if entry.fingerprints:
        item["fingerprints"] = {"M": {c: {"S": f} for c, f in entry.fingerprints}}
    return item


def _unless_same(name: str, value: str, entry_value: str) -> Item:
    """An event's own command or correlation id, stored only when not the entry's."""
    return {} if value == entry_value else {name: {"S": value}}


def entry_from_item(item: Item) -> JournalEntry:
    """Parse a journal item (client response or Streams ``NewImage``) into an entry.

    Raises ``UnreadableItemError`` (naming the item's key) when it is not an entry.
    """
    try:
        return _entry_from_item(item)
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error) as e:
        key = item_key(item)
        message = f"journal item {key} is not an entry: {type(e).__name__} {e}"
        aggregate_id = key.rsplit("/", 1)[0]
        raise UnreadableItemError(message, key, "" if aggregate_id == "?" else aggregate_id) from e


def item_key(item: Item) -> str:
    """Return ``aggregate id/seq nr`` of a journal item, as far as it has them."""
    if not isinstance(item, dict):
        return "?/?"
    key = [item.get(name, {}) for name in ("aggregate_id", "seq_nr")]
    return "/".join(str(k.get("S", k.get("N", "?"))) if isinstance(k, dict) else "?" for k in key)


def _entry_from_item(item: Item) -> JournalEntry:
    aggregate_id = _s(item["aggregate_id"])
    command_id, correlation_id = _s(item["command_id"]), _s(item["correlation_id"])
    events = tuple(
        StoredEvent(
            aggregate_id=aggregate_id,
            seq_nr=_n(m["seq_nr"]),
            event_id=_s(m["event_id"]),
            event_type=_s(m["event_type"]),
            payload=_b(m["payload"]),
            occurred_at_ms=_n(m["occurred_at_ms"]),
            command_id=_s(m["command_id"]) if "command_id" in m else command_id,
            correlation_id=_s(m["correlation_id"]) if "correlation_id" in m else correlation_id,
        )
        for m in (element["M"] for element in item["events"]["L"])
    )
    entry = JournalEntry(
        aggregate_id=aggregate_id,
        aggregate_type=_s(item["aggregate_type"]),
        first_seq_nr=_n(item["seq_nr"]),
        last_seq_nr=_n(item["last_seq_nr"]),
        command_id=command_id,
        correlation_id=correlation_id,
        events=events,
    )
    stored = item.get("fingerprints", {}).get("M", {})
    fingerprints = tuple((c, _s(stored[c])) for c in entry.command_ids if c in stored)
    return replace(entry, fingerprints=fingerprints) if fingerprints else entry


def outcome_to_item(outcome: CommandOutcome) -> Item:
    """Return the outcomes-table item for ``outcome``."""
    item: Item = {
        "command_id": {"S": outcome.command_id},
        "aggregate_id": {"S": outcome.aggregate_id},
        "aggregate_type": {"S": outcome.aggregate_type},
        "status": {"S": outcome.status},
        "event_types": {"L": [{"S": t} for t in outcome.event_types]},
        "recorded_at_ms": {"N": str(outcome.recorded_at_ms)},
    }
    if outcome.version is not None:
        item["version"] = {"N": str(outcome.version)}
    if outcome.error_code is not None:
        item["error_code"] = {"S": outcome.error_code}
    if outcome.message is not None:
        item["message"] = {"S": outcome.message}
    if outcome.fingerprint is not None:
        item["fingerprint"] = {"S": outcome.fingerprint}
    return item


def outcome_from_item(item: Item) -> CommandOutcome:
    """Parse an outcomes-table item."""
    status = _s(item["status"])
    if status not in ("ACCEPTED", "REJECTED"):
        raise ValueError(f"unknown outcome status {status!r}")
    return CommandOutcome(
        command_id=_s(item["command_id"]),
        aggregate_id=_s(item["aggregate_id"]),
        aggregate_type=_s(item["aggregate_type"]),
        status="ACCEPTED" if status == "ACCEPTED" else "REJECTED",
        version=_n(item["version"]) if "version" in item else None,
        event_types=tuple(_s(t) for t in item["event_types"]["L"]),
        error_code=_opt_s(item, "error_code"),
        message=_opt_s(item, "message"),
        recorded_at_ms=_n(item["recorded_at_ms"]),
        fingerprint=_opt_s(item, "fingerprint"),
    )


LATEST_SNAPSHOT_KEY = 0  # sort key of an aggregate's latest snapshot; versions start at 1


def snapshot_to_item(snapshot: Snapshot) -> Item:
    """Return the snapshots-table item that holds ``snapshot`` as the aggregate's latest.

    It sits under the fixed sort key 0, so reading the latest is one GetItem; its
    ``version`` says which one it is. Items keyed by their version were written before
    this and are no longer read.
    """
    return {
        "aggregate_id": {"S": snapshot.aggregate_id},
        "seq_nr": {"N": str(LATEST_SNAPSHOT_KEY)},
        "version": {"N": str(snapshot.version)},
        "state": {"B": snapshot.state},
        "recent_commands": {
            "L": [{"L": [{"S": c}, {"N": str(key)}]} for c, key in snapshot.recent_commands]
        },
    }


def snapshot_from_item(item: Item) -> Snapshot:
    """Parse a snapshots-table item."""
    pairs = item.get("recent_commands", {}).get("L", [])
    recent = tuple((_s(pair["L"][0]), _n(pair["L"][1])) for pair in pairs)
    version = _n(item["version"]) if "version" in item else _n(item["seq_nr"])
    return Snapshot(_s(item["aggregate_id"]), version, _b(item["state"]), recent)
