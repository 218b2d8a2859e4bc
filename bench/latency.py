"""Latency figures of a paced run: its sending rate, its size and nearest-rank percentiles.

The paced run sends at a share (0.5 by default) of the raw conditional PutItem rate
measured in the same run, not at a share of the flood's peak: the hot workload's peak
depends on group commit, so half of it set a load level of its own per workload.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

MIN_PACED = 1000  # below this a p999 is the slowest sample or worse: nothing to read in it
TARGET_P99_MS = 250.0


def paced_count(commands: int) -> int:
    """Return how many commands the paced run sends: ``commands``, at least ``MIN_PACED``."""
    return max(commands, MIN_PACED)


def paced_target(put_per_s: float, share: float) -> float:
    """Return the paced run's sending rate: ``share`` of the raw PutItem rate."""
    if put_per_s <= 0 or share <= 0:
        raise ValueError(f"no paced rate from {put_per_s} PutItem/s at a share of {share}")
    return put_per_s * share


def rank(n: int, q: float) -> int:
    """Return the 1-based nearest rank of quantile ``q`` (0 < q <= 1) among ``n`` samples."""
    if n < 1 or not 0 < q <= 1:
        raise ValueError(f"no quantile {q} of {n} samples")
    return max(1, math.ceil(round(q * n, 9)))  # round: 0.999 * 1000 is 999.0000000000001


def percentile(ordered: Sequence[float], q: float) -> float:
    """Return the nearest-rank ``q`` quantile of ``ordered`` (sorted ascending)."""
    return ordered[rank(len(ordered), q) - 1]


@dataclass(frozen=True)
class Latency:
    """p50/p99/p999 of produced→outcome in ms, over ``samples`` commands."""

    samples: int
    p50_ms: float
    p99_ms: float
    p999_ms: float

    @property
    def above_p999(self) -> int:
        """Return how many samples are slower than the p999 (what the p999 rests on)."""
        return self.samples - rank(self.samples, 0.999)

    @property
    def p99_met(self) -> bool:
        return self.p99_ms <= TARGET_P99_MS


def summarize(seconds: Sequence[float]) -> Latency:
    """Return the latency figures of ``seconds`` (one produced→outcome per command)."""
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        raise ValueError("no latency samples")
    return Latency(len(ms), percentile(ms, 0.5), percentile(ms, 0.99), percentile(ms, 0.999))
