-- 在庫集計: by product across warehouses, by warehouse, by zone (with utilisation) and by
-- カテゴリ x 保管条件.
-- depends: 0003_inventory_read_model
--
-- Why incremental tables rather than materialised views: the views would be stale between
-- refreshes, and REFRESH ... CONCURRENTLY re-aggregates the whole 在庫 table and diffs it on
-- every refresh, a cost paid per refresh whatever changed. The projector already knows
-- each 在庫 row's figures before and after a batch, so it adds the differences to the
-- three keyed tables below in the same transaction as the 在庫 change: always exact, cost
-- proportional to what changed. Deltas are applied last in the transaction and sorted by
-- key, so concurrent projectors take the few hot rows (3 warehouses, 9 zones) in the same
-- order: they wait briefly, never deadlock.
--
-- カテゴリ x 保管条件 is a plain view over 商品別在庫集計 instead: a product's category and
-- storage condition can change (ProductUpdated / StorageConditionChanged), which would
-- force moving its totals between buckets; aggregating <= ~8,000 pre-summed product rows
-- at read time costs a few milliseconds and is never stale. Zone utilisation joins the
-- zone's current 区画容量 at read time for the same reason (capacity changes).
--
-- The figures carry no CHECK (>= 0): INSERT ... ON CONFLICT checks the proposed row, which
-- holds a delta (possibly negative), before it turns into an update. 在庫's CHECKs guard
-- the source, and `zaiko audit` compares the sums.

CREATE TABLE IF NOT EXISTS 商品別在庫集計 (
    商品ID      varchar(16) PRIMARY KEY,
    現在庫数    bigint      NOT NULL DEFAULT 0,
    引当済数    bigint      NOT NULL DEFAULT 0,
    有効在庫数  bigint      GENERATED ALWAYS AS (現在庫数 - 引当済数) STORED,
    移動中数    bigint      NOT NULL DEFAULT 0,
    在庫行数    integer     NOT NULL DEFAULT 0,
    更新日時    timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS 倉庫別在庫集計 (
    倉庫コード  char(3)     PRIMARY KEY,
    現在庫数    bigint      NOT NULL DEFAULT 0,
    引当済数    bigint      NOT NULL DEFAULT 0,
    有効在庫数  bigint      GENERATED ALWAYS AS (現在庫数 - 引当済数) STORED,
    移動中数    bigint      NOT NULL DEFAULT 0,
    在庫行数    integer     NOT NULL DEFAULT 0,
    更新日時    timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS 区画別在庫集計 (
    倉庫コード  char(3)     NOT NULL,
    区画番号    varchar(4)  NOT NULL,
    現在庫数    bigint      NOT NULL DEFAULT 0,
    引当済数    bigint      NOT NULL DEFAULT 0,
    有効在庫数  bigint      GENERATED ALWAYS AS (現在庫数 - 引当済数) STORED,
    移動中数    bigint      NOT NULL DEFAULT 0,
    在庫行数    integer     NOT NULL DEFAULT 0,
    更新日時    timestamptz NOT NULL,
    PRIMARY KEY (倉庫コード, 区画番号)
);

-- 使用率 = 現在庫数 / 区画容量 (NULL when the capacity is 0 or the zone is not projected yet).
CREATE OR REPLACE VIEW 区画使用率 AS
    SELECT z.倉庫コード, z.区画番号, k.区画名, k.区画タイプ, k.区画容量,
           z.現在庫数, z.引当済数, z.有効在庫数, z.移動中数, z.在庫行数,
           round(z.現在庫数::numeric / nullif(k.区画容量, 0), 4) AS 使用率
    FROM 区画別在庫集計 z
    LEFT JOIN 倉庫別区画 k USING (倉庫コード, 区画番号);

-- Products whose 商品 row is not projected yet appear under カテゴリ/保管条件 '未登録'.
CREATE OR REPLACE VIEW カテゴリ保管条件別在庫集計 AS
    SELECT coalesce(p.カテゴリ, '未登録') AS カテゴリ,
           coalesce(p.保管条件, '未登録') AS 保管条件,
           count(*)::integer AS 商品数,
           sum(s.現在庫数)::bigint AS 現在庫数,
           sum(s.引当済数)::bigint AS 引当済数,
           sum(s.有効在庫数)::bigint AS 有効在庫数,
           sum(s.移動中数)::bigint AS 移動中数
    FROM 商品別在庫集計 s
    LEFT JOIN 商品 p USING (商品ID)
    GROUP BY 1, 2;
