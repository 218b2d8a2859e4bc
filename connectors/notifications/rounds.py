"""One evaluation round of a service: report what this instance saw, and, if it holds the
lease, decide the 受払処理の遅延 and 拠点死活 transitions for every instance at once.

Cost per round: one write of this instance's observations and one lease call; the
leader also reads the observation, delay and site hashes (bounded by instances ×
subjects and by warehouses) and writes what changed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from connectors.notifications.hours import BusinessHours
from connectors.notifications.records import Kind, State, notification
from connectors.notifications.shared import SharedState
from connectors.notifications.silence import SiteTransition, site_transitions
from connectors.notifications.tracker import Condition, ThresholdTracker
from schemas import Notification


@dataclass(frozen=True)
class SiteWatch:
    """拠点死活 settings: silence allowed (seconds) within business hours."""

    silence_s: float
    hours: BusinessHours


@dataclass
class Round:
    """Notifications to publish, then ``commit`` to record that they were published."""

    notifications: list[Notification] = field(default_factory=list)
    commits: list[Callable[[], None]] = field(default_factory=list)

    def commit(self) -> None:
        """Record the new states (call once the broker acknowledged every notification)."""
        for write in self.commits:
            write()


class Evaluator:
    """Evaluates one service's delay subjects (and, for the worker, its sites)."""

    def __init__(self, shared: SharedState, delay: ThresholdTracker, interval_s: float,
                 sites: SiteWatch | None = None) -> None:  # fmt: skip
        self.shared = shared
        self.delay = delay
        self.interval_s = interval_s
        self.sites = sites

    def round(self, seen: dict[str, float], now: float) -> Round:
        """Report ``seen`` (subject -> seconds late); evaluate everything if leading."""
        self.shared.report(seen, now)
        out = Round()
        if not self.shared.lead(3 * self.interval_s):
            return out
        self._delays(now, out)
        if self.sites is not None:
            self._sites(now, out)
        return out

    def _delays(self, now: float, out: Round) -> None:
        observed = self.shared.observations(now, 3 * self.interval_s)
        states = self.shared.delays()
        writes: dict[str, str | None] = {}
        for subject in sorted(set(observed) | set(states)):
            before = Condition.from_json(states.get(subject))
            if before.raised and subject not in observed:
                # nobody reports a raised stage (its process died or hangs): unknown is
                # not recovered, so it stays raised until an instance measures it again
                writes[subject] = before.to_json()
                continue
            # no instance reports the subject: nothing is in flight or late there
            after, change = self.delay.observe(before, observed.get(subject, 0.0), now)
            idle = not after.raised and after.pending_since is None and subject not in observed
            writes[subject] = None if idle else after.to_json()
            if change is not None:
                out.notifications.append(self._delayed(subject, change, after))
        out.commits.append(lambda: self.shared.save_delays(writes))

    def _delayed(self, subject: str, change: State, after: Condition) -> Notification:
        d = self.delay
        verb = "超えています" if change is State.RAISED else "以下に戻りました"
        lasting = f" ({d.window_s:g} 秒継続)" if d.window_s > 0 else ""
        text = f"遅延 {after.observed:.1f} 秒: 閾値 {d.threshold:g} 秒を{verb}{lasting}"
        return notification(Kind.PROCESSING_DELAYED, change, subject, repr(after.raised_at),
                            text, observed=after.observed, threshold=d.threshold)  # fmt: skip

    def _sites(self, now: float, out: Round) -> None:
        assert self.sites is not None
        seen, silent = self.shared.sites()
        for t in site_transitions(seen, silent, now, self.sites.hours, self.sites.silence_s):
            out.notifications.append(self._site(t))
            mark = t.last_seen if t.state is State.RAISED else None
            out.commits.append(functools.partial(self.shared.mark_silent, t.warehouse_id, mark))

    def _site(self, t: SiteTransition) -> Notification:
        assert self.sites is not None
        if t.state is State.RAISED:
            text = f"倉庫 {t.warehouse_id} から {t.silent_s:.0f} 秒コマンドがありません"
        else:
            text = f"倉庫 {t.warehouse_id} からのコマンドが再開しました ({t.silent_s:.0f} 秒ぶり)"
        return notification(Kind.SITE_SILENT, t.state, t.warehouse_id, repr(t.last_seen), text,
                            warehouse_id=t.warehouse_id, observed=t.silent_s,
                            threshold=self.sites.silence_s)  # fmt: skip
