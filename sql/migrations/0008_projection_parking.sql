-- 投影保留 (parked aggregates), キャッシュ未反映 (cache debt), and 投影位置 claimable at 0.
-- depends: 0006_hot_updates
--
-- 投影位置 at 0: a projector claims the position row of every aggregate of a batch before
-- it locks them (INSERT ... 0 ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE, in one
-- transaction), so two projectors (two processes, or a zombie during a rebalance) take
-- turns even on an aggregate's first event instead of both applying it. A row still at
-- 0 when the transaction ends is deleted in it, so readers never see a committed 0; the
-- CHECK allows it only because the row exists at 0 inside the claiming transaction.
ALTER TABLE 投影位置 DROP CONSTRAINT IF EXISTS "投影位置_適用済シーケンス番号_check";
ALTER TABLE 投影位置 ADD CONSTRAINT 投影位置_適用済シーケンス番号_非負 CHECK (適用済シーケンス番号 >= 0);

-- 投影保留: an aggregate the projector stopped projecting because one of its events is
-- refused by the read model deterministically (a value out of a column's range, a check
-- violation, an unknown event class, a gap the event store cannot fill) after bounded
-- retries. Its later events stay in the journal and are not applied (order); every other
-- aggregate keeps projecting. `zaiko projector retry <集約ID>` re-projects it from the event
-- store after its 投影位置 and deletes the row on success.
CREATE TABLE IF NOT EXISTS 投影保留 (
    集約ID             text        PRIMARY KEY,
    集約種別           text        NOT NULL,
    保留シーケンス番号 bigint      NOT NULL CHECK (保留シーケンス番号 >= 1),  -- first event not applied
    イベントID         text        NOT NULL,  -- the event that failed
    理由               text        NOT NULL,
    試行回数           integer     NOT NULL CHECK (試行回数 >= 1),
    保留日時           timestamptz NOT NULL DEFAULT now(),
    更新日時           timestamptz NOT NULL DEFAULT now()
);

-- キャッシュ未反映: Redis entries the projector could not write (Redis down or refusing)
-- after PostgreSQL committed the events. One row per entry, at the newest version it
-- missed; the projector invalidates each (a tombstone at that version) once Redis answers
-- again, then deletes the row. The size is the number of entries touched during an outage.
CREATE TABLE IF NOT EXISTS キャッシュ未反映 (
    キー         text        NOT NULL,
    フィールド   text        NOT NULL,
    バージョン   bigint      NOT NULL,
    記録日時     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (キー, フィールド)
);
