"""What a scenario counts and which counts must agree; printed by the suite at its end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.faults.harness.outcomes import Seen

REPORTS: list[Counts] = []  # every scenario's counts, for the terminal summary
# test report properties that carry them to the summary (tests/conftest.py)
COUNTS_PROPERTY = "fault_counts"
ELAPSED_PROPERTY = "fault_suite_seconds"


@dataclass
class Counts:
    """Commands sent, outcomes, journal and read model of one scenario."""

    scenario: str
    sent: int = 0
    answered: int = 0
    outcome_copies: int = 0
    conflicting: int = 0  # commands answered twice, differently
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    journal_items: int = 0
    journal_commands: int = 0  # of the commands sent, how many the journal holds
    appended_twice: int = 0  # commands in two journal entries
    rejected_but_journaled: int = 0
    accepted_not_journaled: int = 0
    other_journal_commands: int = 0  # the process managers' steps, injected entries
    gaps: int = 0
    lagging: int = 0  # aggregates whose 投影位置 is not the journal's head
    open_transfer_units: int = 0  # units of transfers the journal never settled
    audit_differences: int = 0
    read_model_findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    phases: list[str] = field(default_factory=list)  # "<phase> <seconds>"
    seconds: float = 0.0

    def tally(self, sent: set[str], seen: Callable[[str], list[Seen]]) -> tuple[set[str], set[str]]:
        """Count the outcomes of ``sent``; return the ids accepted and the ids rejected."""
        accepted, rejected = set(), set()
        for command_id in sent:
            copies = seen(command_id)
            self.outcome_copies += len(copies)
            if not copies:
                continue
            self.conflicting += len({s.answer for s in copies}) > 1
            first = copies[0].outcome
            if first.status == "ACCEPTED":
                accepted.add(command_id)
            else:
                rejected.add(command_id)
                self.rejected[first.error_code or "?"] += 1
        self.sent, self.answered, self.accepted = len(sent), len(accepted | rejected), len(accepted)
        return accepted, rejected

    def problems(self) -> list[str]:
        """Return every way the counts disagree (empty: the scenario's data is consistent)."""
        checks = [
            (self.answered == self.sent, f"{self.sent - self.answered} of {self.sent} commands"
                                         " got no outcome"),
            (self.conflicting == 0, f"{self.conflicting} commands got two different outcomes"),
            (self.accepted == self.journal_commands, f"{self.accepted} accepted but"
                                                     f" {self.journal_commands} in the journal"),
            (self.appended_twice == 0, f"{self.appended_twice} commands appended twice"),
            (self.rejected_but_journaled == 0,
             f"{self.rejected_but_journaled} commands answered REJECTED are in the journal"),
            (self.accepted_not_journaled == 0,
             f"{self.accepted_not_journaled} commands answered ACCEPTED are not in the journal"),
            (self.gaps == 0, f"{self.gaps} aggregates with a gap in their seq nrs"),
            (self.lagging == 0, f"{self.lagging} aggregates not projected up to the journal"),
            (self.open_transfer_units == 0,
             f"{self.open_transfer_units} units of transfers never settled in the journal"),
            (self.audit_differences == 0, f"zaiko audit: {self.audit_differences} differences"),
            (not self.read_model_findings,
             f"{len(self.read_model_findings)} read-model findings: "
             + "; ".join(self.read_model_findings[:5])),
        ]  # fmt: skip
        return [message for ok, message in checks if not ok]

    def line(self) -> str:
        """Return the counts as one line."""
        rejected = ",".join(f"{k}:{v}" for k, v in sorted(self.rejected.items())) or "0"
        verdict = "consistent" if not self.problems() else "INCONSISTENT"
        notes = f" | {'; '.join(self.notes)}" if self.notes else ""
        return (f"{self.scenario}: sent {self.sent} = answered {self.answered}"
                f" (copies {self.outcome_copies}, conflicting {self.conflicting});"
                f" accepted {self.accepted} = journal {self.journal_commands}"
                f" (items {self.journal_items}, other {self.other_journal_commands},"
                f" twice {self.appended_twice}, gaps {self.gaps}); rejected {rejected};"
                f" lagging {self.lagging}; open transfers {self.open_transfer_units};"
                f" audit {self.audit_differences};"
                f" read-model findings {len(self.read_model_findings)};"
                f" {self.seconds:.0f} s ({', '.join(self.phases)}): {verdict}{notes}")  # fmt: skip
