"""When a replay has read a topic partition to its end, judged by fetch high watermarks.

Tansu answers ListOffsets(LATEST) wrongly when a record batch holds several records, so
a replay never asks for end offsets. It reads each partition from the beginning; every
Fetch response carries the partition's high watermark (the offset after the last
committed record), and librdkafka reports "partition EOF" with that offset when a fetch
reaches it. The first high watermark seen per partition fixes where that partition's
replay ends: records appended later belong to the live projector, not to this replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Partition = tuple[str, int]


@dataclass
class PartitionEnds:
    """Tracks, per assigned partition, the end to reach and the next offset to read."""

    assigned: set[Partition]
    ends: dict[Partition, int] = field(default_factory=dict)
    positions: dict[Partition, int] = field(default_factory=dict)

    def observe_end(self, partition: Partition, high_watermark: int) -> None:
        """Record a fetch high watermark; only the first one observed counts."""
        self.ends.setdefault(partition, high_watermark)

    def wanted(self, partition: Partition, offset: int) -> bool:
        """Return True when a record at ``offset`` is before the partition's end (or no end yet)."""
        end = self.ends.get(partition)
        return end is None or offset < end

    def consumed(self, partition: Partition, offset: int) -> None:
        """Note that the record at ``offset`` was read."""
        self.positions[partition] = offset + 1

    def reached(self, partition: Partition, eof_offset: int) -> None:
        """Note a partition-EOF at ``eof_offset`` (the high watermark of that fetch)."""
        self.observe_end(partition, eof_offset)
        self.positions[partition] = max(self.positions.get(partition, 0), eof_offset)

    def done(self, partition: Partition) -> bool:
        """Return True once the partition was read up to its end."""
        end = self.ends.get(partition)
        return end is not None and self.positions.get(partition, 0) >= end

    @property
    def finished(self) -> bool:
        """Return True when every assigned partition is done."""
        return all(self.done(p) for p in self.assigned)

    @property
    def known_total(self) -> int:
        """Return the sum of the ends observed so far (a progress bar's total)."""
        return sum(self.ends.values())
