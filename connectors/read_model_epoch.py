"""Whether the read model belongs to the journal: compare its recorded epoch with the journal's.

The read model remembers (参照モデル世代, migration 0009) the journal epoch it was
projected from. When the journal started over (a new epoch: the embedded DynamoDB
restarted empty) while the read model still holds 投影位置, projecting the new journal
would skip its events as already applied, and a worker would decide on a history the
read model does not show. So ``zaiko stack up`` refuses to start, and the projector to
project, until the operator starts over (``--reset``).

A read model without a recorded epoch (made before 0009) but with positions is adopted
when the journal holds the first entry of a few of its aggregates, and refused when it
does not (the journal is empty or another one). Cost: one GetItem for the epoch, one
SELECT of the recorded epoch and of three positions, at most three GetItems.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from connectors.dynamodb.epoch import read_epoch
from connectors.dynamodb.tables import JOURNAL

MATCH, RECORDED, ADOPTED, MISMATCH, NO_JOURNAL = (
    "match", "recorded", "adopted", "mismatch", "no-journal"
)  # fmt: skip
_SAMPLE = 3


class EpochMismatchError(RuntimeError):
    """The read model holds positions of a journal that no longer exists."""


@dataclass(frozen=True)
class EpochCheck:
    """The journal's epoch, the read model's, and what the check concluded."""

    journal: str | None
    read_model: str | None
    positions: bool
    verdict: str

    @property
    def ok(self) -> bool:
        """Tell whether the read model may be projected into (and the stack started)."""
        return self.verdict in (MATCH, RECORDED, ADOPTED)

    def describe(self) -> str:
        """Return one line for logs and ``zaiko stack status``."""
        if self.verdict == NO_JOURNAL:
            return "the journal has no epoch yet (tables not created)"
        if self.ok:
            return f"journal epoch {self.journal}; read model {self.verdict}"
        return (
            f"the journal (epoch {self.journal}) is not the one the read model was projected"
            f" from (epoch {self.read_model or 'unrecorded'}): its positions point into a"
            " history the journal no longer has. Start over with `zaiko stack up --reset`"
            " (wipes the read model too), or restore the journal"
        )

    def raise_unless_ok(self) -> None:
        """Raise ``EpochMismatchError`` when the read model belongs to another journal."""
        if self.verdict == MISMATCH:
            raise EpochMismatchError(self.describe())


def check_epoch(conn: Any, dynamodb: Any, prefix: str, record: bool = True) -> EpochCheck:
    """Compare the read model's epoch with the journal's; ``record`` it where that is safe.

    ``conn`` is an autocommit psycopg connection to the read model.
    """
    journal = read_epoch(dynamodb, prefix)
    row = conn.execute("SELECT ジャーナル世代 FROM 参照モデル世代").fetchone()
    recorded = row[0] if row else None
    if journal is None:
        return EpochCheck(None, recorded, False, NO_JOURNAL)
    if recorded == journal:
        return EpochCheck(journal, recorded, True, MATCH)
    sample = [r[0] for r in conn.execute(
        "SELECT 集約ID FROM 投影位置 WHERE 適用済シーケンス番号 >= 1 LIMIT %s", (_SAMPLE,)
    )]  # fmt: skip
    if not sample:
        verdict = RECORDED
    elif recorded is None and all(_journal_has(dynamodb, prefix, a) for a in sample):
        verdict = ADOPTED
    else:
        return EpochCheck(journal, recorded, True, MISMATCH)
    if record:
        conn.execute(
            "INSERT INTO 参照モデル世代 (単一行, ジャーナル世代) VALUES (true, %s)"
            " ON CONFLICT (単一行) DO UPDATE SET ジャーナル世代 = excluded.ジャーナル世代,"
            " 記録日時 = now()",
            (journal,),
        )
    return EpochCheck(journal, recorded, bool(sample), verdict)


def _journal_has(dynamodb: Any, prefix: str, aggregate_id: str) -> bool:
    """Tell whether the journal holds the aggregate's first entry (every history has one)."""
    key = {"aggregate_id": {"S": aggregate_id}, "seq_nr": {"N": "1"}}
    response = dynamodb.get_item(TableName=JOURNAL.name(prefix), Key=key, ConsistentRead=True,
                                 ProjectionExpression="aggregate_id")  # fmt: skip
    return "Item" in response
