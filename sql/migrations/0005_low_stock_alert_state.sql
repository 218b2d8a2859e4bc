-- 低在庫アラート状態: the armed/disarmed state of each inventory's low-stock alert.
-- depends: 0004_inventory_summaries
--
-- Why Postgres rather than Redis: this is not a cache but the memory of which crossings
-- were already announced; losing it (an evicted key, a Redis without persistence) would
-- re-announce or swallow alerts. The thresholds live here too (区画別在庫閾値).
--
-- One row per 在庫ID. 最終評価シーケンス番号 makes a redelivered (or older) event a no-op.
-- 発報シーケンス番号 / 発報閾値 remember the last alert, so a redelivery of exactly that event
-- returns the same alert again (same alert_id <在庫ID>:<seq>): publishing is at least once,
-- and a consumer recognises the duplicate by its id.
CREATE TABLE IF NOT EXISTS 低在庫アラート状態 (
    在庫ID                  varchar(32) PRIMARY KEY,
    警告可能                boolean     NOT NULL DEFAULT true,  -- armed: next drop below fires
    最終評価シーケンス番号  bigint      NOT NULL DEFAULT 0 CHECK (最終評価シーケンス番号 >= 0),
    最終有効在庫数          integer,
    発報シーケンス番号      bigint,
    発報閾値                integer     CHECK (発報閾値 >= 0),
    更新日時                timestamptz NOT NULL DEFAULT now()
);
