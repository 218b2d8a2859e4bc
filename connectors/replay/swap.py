"""Make a rebuilt shadow schema the live one, in one transaction, with what no event rebuilds.

Carried into the shadow before the rename:
- operator CRUD and the alert agent's memory (``CARRIED_OVER``), copied whole;
- 投影保留: the rebuilt model keeps its own parked aggregates (it may have applied what
  the live one parked, or parked what the live one did not get to), plus the live rows
  for events the replay never reached (the live projector parked them after the
  replay's end; it will not be given them again);
- 参照モデル世代: the journal epoch the events came from (a replay of the event store
  knows it), else the live model's row (a replay of the topics the live one reads).
"""

from __future__ import annotations

from typing import NamedTuple

import psycopg
from psycopg import sql

from connectors.postgres.conninfo import LONG, with_timeouts
from connectors.replay.schemas import backup_name, drop_schema

# Rows no event produces: operator CRUD (企業, thresholds) and the alert agent's memory of
# announced crossings. A swap copies them from the live schema so nothing is lost.
CARRIED_OVER = ("企業", "区画別在庫閾値", "低在庫アラート状態")
# parking and the projector's start-up check write these under no 投影位置 lock of ours
LOCKED = ("投影位置", "投影保留", "参照モデル世代", *CARRIED_OVER)


class SwapRefusedError(Exception):
    """Swapping now would make a read model live that is not the journal's."""


class LiveMovedOnError(SwapRefusedError):
    """The live model applied events the shadow lacks; swapping would lose them."""


class JournalChangedError(SwapRefusedError):
    """The journal started over (a new epoch) after the replay read it."""


class Swapped(NamedTuple):
    """The old live schema's new name ('' if dropped) and the epoch the new one records."""

    backup: str
    epoch: str | None


AHEAD = """
SELECT l.集約ID, l.適用済シーケンス番号, coalesce(s.適用済シーケンス番号, 0)
FROM {live}.投影位置 l LEFT JOIN {shadow}.投影位置 s USING (集約ID)
WHERE l.適用済シーケンス番号 > coalesce(s.適用済シーケンス番号, 0)
ORDER BY 1 LIMIT 5
"""
PARKED = "集約ID, 集約種別, 保留シーケンス番号, イベントID, 理由, 試行回数, 保留日時, 更新日時"
UNREACHED = f"""
INSERT INTO {{shadow}}.投影保留 ({PARKED})
SELECT {", ".join(f"l.{c}" for c in PARKED.split(", "))}
FROM {{live}}.投影保留 l LEFT JOIN {{shadow}}.投影位置 s USING (集約ID)
WHERE coalesce(s.適用済シーケンス番号, 0) < l.保留シーケンス番号
ON CONFLICT (集約ID) DO NOTHING
"""
RECORD_EPOCH = "INSERT INTO {shadow}.参照モデル世代 (単一行, ジャーナル世代) VALUES (true, %s)"
CARRY_EPOCH = "INSERT INTO {shadow}.参照モデル世代 SELECT * FROM {live}.参照モデル世代"
RECORDED = "SELECT ジャーナル世代 FROM {shadow}.参照モデル世代"


def swap(
    database_url: str,
    shadow: str,
    live: str = "public",
    keep_backup: bool = True,
    epoch: str | None = None,
) -> Swapped:
    """Make ``shadow`` the live schema in one transaction; ``epoch``: its journal's, if known.

    The live tables are locked first (投影位置 first: a projector's transaction starts by
    locking its rows there), so in-flight transactions finish before the swap and later
    ones wait and then resolve their (unqualified) names in the new schema. Refused when
    the live model holds events the shadow does not (it moved on while the replay ran).
    """
    backup = backup_name(live)
    ids = {"live": sql.Identifier(live), "shadow": sql.Identifier(shadow)}
    with psycopg.connect(with_timeouts(database_url, LONG)) as conn, conn.transaction():
        for table in LOCKED:
            name = {"table": sql.Identifier(table), **ids}
            conn.execute(sql.SQL("LOCK TABLE {live}.{table} IN EXCLUSIVE MODE").format(**name))
        ahead = conn.execute(sql.SQL(AHEAD).format(**ids)).fetchall()
        if ahead:
            raise LiveMovedOnError(
                "the live model is ahead of the shadow for "
                + ", ".join(f"{a} ({live_seq} > {shadow_seq})" for a, live_seq, shadow_seq in ahead)
            )
        for table in CARRIED_OVER:
            name = {"table": sql.Identifier(table), **ids}
            conn.execute(sql.SQL("DELETE FROM {shadow}.{table}").format(**name))
            conn.execute(
                sql.SQL("INSERT INTO {shadow}.{table} SELECT * FROM {live}.{table}").format(**name)
            )
        conn.execute(sql.SQL(UNREACHED).format(**ids))
        conn.execute(sql.SQL("DELETE FROM {shadow}.参照モデル世代").format(**ids))
        if epoch is None:
            conn.execute(sql.SQL(CARRY_EPOCH).format(**ids))
        else:
            conn.execute(sql.SQL(RECORD_EPOCH).format(**ids), (epoch,))
        row = conn.execute(sql.SQL(RECORDED).format(**ids)).fetchone()
        rename = "ALTER SCHEMA {} RENAME TO {}"
        conn.execute(sql.SQL(rename).format(sql.Identifier(live), sql.Identifier(backup)))
        conn.execute(sql.SQL(rename).format(sql.Identifier(shadow), sql.Identifier(live)))
    recorded = None if row is None else str(row[0])
    if keep_backup:
        return Swapped(backup, recorded)
    drop_schema(database_url, backup)
    return Swapped("", recorded)
