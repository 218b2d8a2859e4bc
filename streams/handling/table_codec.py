"""Encode a ``Loaded`` (state, version, recent commands) for the state table's changelog.

``MAGIC`` + zlib(JSON): the aggregate's type and id, the journal epoch the state was
read in, its version, recent commands and the state tagged as in a snapshot
(``state_codec``), so a record names every type it holds and refuses anything else.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass

from streams.handling.cache import Loaded
from streams.handling.state_codec import (
    MAX_SNAPSHOT_BYTES,
    SnapshotTooLargeError,
    StateCodecError,
    from_document,
    to_document,
)

MAGIC = b"ZKT\x01"


@dataclass(frozen=True)
class TableEntry:
    """A state as the table holds it: ``loaded`` as read in journal ``epoch``."""

    epoch: str
    loaded: Loaded


def encode_entry(loaded: Loaded, epoch: str) -> bytes:
    """Return ``loaded`` of journal ``epoch`` as a changelog value.

    Raise SnapshotTooLargeError beyond MAX_SNAPSHOT_BYTES (a record must stay small).
    """
    document = {
        "t": loaded.aggregate_type,
        "id": loaded.aggregate_id,
        "e": epoch,
        "v": loaded.version,
        "r": [[c, k] for c, k in loaded.recent_commands],
        "s": to_document(loaded.state),
    }
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    data = MAGIC + zlib.compress(text.encode(), 1)
    if len(data) > MAX_SNAPSHOT_BYTES:
        raise SnapshotTooLargeError(f"table entry of {len(data):,} bytes not written")
    return data


def decode_entry(data: bytes) -> TableEntry:
    """Return the entry ``encode_entry`` wrote; raise StateCodecError otherwise."""
    if not data.startswith(MAGIC):
        raise StateCodecError("not a state table entry")
    try:
        document = json.loads(zlib.decompress(data[len(MAGIC) :]))
        recent = tuple((str(c), int(k)) for c, k in document["r"])
        loaded = Loaded(str(document["t"]), str(document["id"]), from_document(document["s"]),
                        int(document["v"]), recent)  # fmt: skip
        return TableEntry(str(document["e"]), loaded)
    except StateCodecError:
        raise
    except (ValueError, KeyError, TypeError, zlib.error) as e:
        raise StateCodecError(f"corrupt table entry: {e!r}") from e
