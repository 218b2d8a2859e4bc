"""One scenario on the fault stack: its worlds, its flood, and the verdict on its counts."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Collection
from typing import Any

from connectors.audit import run_audit
from connectors.dynamodb.client import dynamodb_client
from tests.faults.harness.audit import audit_journal
from tests.faults.harness.counts import REPORTS, Counts
from tests.faults.harness.deadline import DeadlineError, wait_for
from tests.faults.harness.faultstack import FaultStack
from tests.faults.harness.flood import Flood
from tests.faults.harness.journal import Journal, read_journal
from tests.faults.harness.outcomes import OutcomeLog
from tests.faults.harness.readmodel import findings, fold, lagging
from tests.faults.harness.world import World, build, new_world


class Scenario:
    """Sends a scenario's commands and checks everything they left behind."""

    def __init__(self, stack: FaultStack, name: str) -> None:
        self.stack = stack
        self.settings = stack.settings
        self.started = time.monotonic()
        self.outcomes = OutcomeLog(self.settings.kafka_bootstrap_servers)
        self.flood = Flood(self.settings.kafka_bootstrap_servers, self.outcomes)
        self.client: Any = dynamodb_client(self.settings)
        self.counts = Counts(name)
        self.worlds: list[World] = []
        # aggregates outside the worlds (D商事's, or odd ids) the checks must also cover
        self.extra_aggregates: list[str] = []
        self.whole_read_model = False  # summaries over every row, audit over everything
        self.whole_audit = True  # with whole_read_model: `zaiko audit` of all (a Scan)
        self._mark = self.started

    def mark(self, phase: str) -> None:
        """Note how long ``phase`` took (since the previous mark)."""
        now = time.monotonic()
        self.counts.phases.append(f"{phase} {now - self._mark:.0f}")
        self._mark = now

    @property
    def inventories(self) -> list[str]:
        """Every inventory the scenario's checks cover."""
        extra = [a for a in self.extra_aggregates if "@" in a]
        return [*(i for w in self.worlds for i in w.inventories), *extra]

    @property
    def url(self) -> str:
        return self.settings.effective_database_url

    def world(self, products: int, stock: int = 500) -> World:
        """Create a world of fresh aggregates through the pipeline."""
        world = new_world(products)
        build(self.flood, world, stock)
        self.worlds.append(world)
        self.mark("world")
        return world

    def journal(self, aggregates: Collection[str] | None = None) -> Journal:
        ids = aggregates
        if ids is None:
            ids = [*(a for w in self.worlds for a in w.aggregates), *self.extra_aggregates]
        return read_journal(self.client, self.settings.table_prefix, ids)

    def settle(self, timeout_s: float = 120.0, exempt: Collection[str] = ()) -> Journal:
        """Wait until the journal holds still, is projected, and nothing is in transit."""
        state: dict[str, Any] = {}
        inventories = self.inventories

        def settled() -> bool:
            journal = self.journal()
            heads = {a: journal.last_seq(a) for a in journal.entries}
            behind = {a for a in lagging(self.url, journal) if a not in exempt}
            # transfers still open in the journal (the read model's 移動中数 is checked later)
            in_transit = sum((fold(journal.events(i)) or (0, 0, 0))[2]
                             for i in inventories if i not in exempt)  # fmt: skip
            still = heads == state.get("heads")
            state.update(journal=journal, heads=heads, behind=behind, in_transit=in_transit)
            return still and not behind and in_transit == 0

        try:
            wait_for(settled, timeout_s, "the read model to settle", interval_s=0.5)
        except DeadlineError:
            behind, in_transit = len(state.get("behind", ())), state.get("in_transit", "?")
            self.counts.notes.append(f"not settled after {timeout_s:.0f} s: {behind} behind,"
                                     f" {in_transit} units in transit")  # fmt: skip
        if "journal" not in state:  # every poll failed (a service down): count what there is
            settled()
        self.counts.lagging = len(state["behind"])
        self.counts.open_transfer_units = state["in_transit"]
        journal: Journal = state["journal"]
        return journal

    def verify(
        self, answer_timeout_s: float = 120.0, settle_timeout_s: float = 120.0,
        exempt: Collection[str] = (), audit: bool = True,
    ) -> Counts:  # fmt: skip
        """Count outcomes, journal and read model of every command sent; print the counts."""
        sent = set(self.flood.sent)
        try:
            self.outcomes.wait(sent, answer_timeout_s, "every command's outcome")
        except DeadlineError as exc:
            self.counts.notes.append(str(exc))
        c = self.counts
        accepted, rejected = c.tally(sent, self.outcomes.seen)
        self.mark("outcomes")
        journal = self.settle(settle_timeout_s, exempt)
        self.mark("settle")
        in_journal = Counter(journal.command_ids())
        c.journal_items = journal.items
        c.appended_twice = sum(1 for n in in_journal.values() if n > 1)
        c.journal_commands = len(sent & in_journal.keys())
        c.other_journal_commands = len(in_journal.keys() - sent)
        c.rejected_but_journaled = len(rejected & in_journal.keys())
        c.accepted_not_journaled = len(accepted - in_journal.keys())
        c.gaps = len(journal.gaps())
        inventories = [i for i in self.inventories if i not in exempt]
        scope = None
        if not self.whole_read_model:
            tables = ("商品別在庫集計", "倉庫別在庫集計", "区画別在庫集計")
            scope = {t: [k for w in self.worlds for k in w.summary_scope[t]] for t in tables}
        c.read_model_findings = findings(self.url, journal, inventories, scope)
        if audit:
            self.audit(journal, exempt)
            self.mark("audit")
        c.seconds = time.monotonic() - self.started
        REPORTS.append(c)
        print(c.line())
        return c

    def audit(self, journal: Journal, exempt: Collection[str] = ()) -> None:
        """Audit the scenario's aggregates (whole-model scenarios: ``zaiko audit`` of all)."""
        if self.whole_read_model and self.whole_audit:
            found = run_audit(self.settings, client=self.client).differences
        else:
            parts = [w.audit_match for w in self.worlds]
            parts += [f"^{re.escape(a)}$" for a in self.extra_aggregates]
            found = audit_journal(self.url, journal, "|".join(f"(?:{p})" for p in parts))
        left_out = set(exempt)
        if self.whole_read_model and self.whole_audit:
            left_out |= self.stack.broken_on_purpose
            skipped = {d.subject for d in found if d.subject in self.stack.broken_on_purpose}
            if skipped:
                self.counts.notes.append(f"audit leaves out {sorted(skipped)}: parked on"
                                         " purpose by an earlier scenario")  # fmt: skip
        differences = [d for d in found if d.subject not in left_out]
        self.counts.audit_differences = len(differences)
        for d in differences[:5]:
            self.counts.notes.append(
                f"audit {d.check} {d.subject}: {d.event_store} vs {d.read_model}"
            )

    def assert_consistent(self) -> None:
        problems = self.counts.problems()
        assert not problems, f"{self.counts.line()}\n" + "\n".join(problems)

    def close(self) -> None:
        self.outcomes.close()
