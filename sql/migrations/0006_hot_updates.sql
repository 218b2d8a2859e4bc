-- Leave room in the pages of the rows the projector updates over and over, so the updates
-- are HOT (heap-only tuples: the new version stays on the same page and no index entry is
-- written). 在庫, 投影位置 and the summary rows change on every stock movement, but none of
-- their indexed columns does (ids and codes only). Measured on a replay: upserting a batch
-- of 3,000 在庫 rows takes about a third of the time with fillfactor 50.
-- Keep it that way: an index on a figure (現在庫数, 有効在庫数, 適用済シーケンス番号 …) would
-- make every one of these updates non-HOT again; low-stock queries go through
-- 区画別在庫集計 / 在庫 (倉庫コード, 区画番号, 商品ID) and filter the few rows of a zone.
-- fillfactor applies to pages written from now on; existing pages fill as rows move.
-- depends: 0005_low_stock_alert_state

ALTER TABLE 在庫 SET (fillfactor = 50);
ALTER TABLE 投影位置 SET (fillfactor = 50);
ALTER TABLE 商品別在庫集計 SET (fillfactor = 50);
ALTER TABLE 倉庫別在庫集計 SET (fillfactor = 50);
ALTER TABLE 区画別在庫集計 SET (fillfactor = 50);
