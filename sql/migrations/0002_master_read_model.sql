-- 参照モデル (read model) of the event-sourced master aggregates: 商品, 取引先, 倉庫, 倉庫別区画,
-- plus 投影位置, the last applied sequence number per aggregate.
-- depends: 0001_company_master
--
-- Foreign keys and writer order. Each aggregate type is projected from its own topic, so
-- two aggregates' events reach Postgres in no guaranteed order (live or during replay).
-- * 取引先.企業ID has NO foreign key: 企業 is CRUD master data loaded by another path, and a
--   customer may legitimately be projected before its company exists. DEFERRABLE would not
--   help (the rows come from different transactions). The view 企業未登録取引先 lists the
--   orphans so the gap is visible instead of blocking the projection.
-- * 倉庫別区画 -> 倉庫 IS a real foreign key: the zone projector first inserts a placeholder
--   倉庫 row (倉庫名 NULL, 有効フラグ false) when its warehouse has not been projected yet,
--   and WarehouseCreated_V1 fills it in. So the writer order is made safe by the writer.
--
-- Idempotency: 投影位置 (one row per aggregate id) rather than a column on every table,
-- because an inventory stream may hold only StorageConditionViolated_V1 (a refused
-- placement on a never-created inventory): there is no 在庫 row to carry its position.
-- The projector locks the rows of a batch's aggregates (FOR UPDATE, ordered by 集約ID)
-- and writes the new number in the same transaction as the row changes.

CREATE TABLE IF NOT EXISTS 投影位置 (
    集約ID                 text        PRIMARY KEY,
    集約種別               text        NOT NULL CHECK (集約種別 IN
                               ('product', 'customer', 'warehouse', 'warehouse-zone', 'inventory')),
    適用済シーケンス番号   bigint      NOT NULL CHECK (適用済シーケンス番号 >= 1),
    最終イベントID         text        NOT NULL,
    更新日時               timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS 投影位置_集約種別_idx ON 投影位置 (集約種別);

CREATE TABLE IF NOT EXISTS 商品 (
    商品ID      varchar(16) PRIMARY KEY CHECK (商品ID ~ '^PRD-[0-9]{6,}$'),
    商品名      text        NOT NULL,
    SKU         varchar(32) NOT NULL,
    カテゴリ    text        NOT NULL CHECK (カテゴリ IN ('食品類', '日用品')),
    保管条件    text        NOT NULL CHECK (保管条件 IN ('常温', '冷蔵', '冷凍')),
    説明        text        NOT NULL DEFAULT '',
    単位        text        NOT NULL,
    参考価格    integer     CHECK (参考価格 >= 0),
    JANコード   varchar(14),
    ステータス  text        NOT NULL CHECK (ステータス IN ('有効', '廃止')),
    廃止理由    text,
    作成日時    timestamptz NOT NULL,
    更新日時    timestamptz NOT NULL,
    CHECK (カテゴリ <> '日用品' OR 保管条件 = '常温')
);
CREATE INDEX IF NOT EXISTS 商品_カテゴリ_保管条件_idx ON 商品 (カテゴリ, 保管条件);
CREATE INDEX IF NOT EXISTS 商品_保管条件_idx ON 商品 (保管条件);
CREATE INDEX IF NOT EXISTS 商品_SKU_idx ON 商品 (SKU);

CREATE TABLE IF NOT EXISTS 取引先 (
    取引先ID        varchar(16) PRIMARY KEY CHECK (取引先ID ~ '^CUS-[0-9]{4,}$'),
    企業ID          varchar(16) NOT NULL,  -- no FK to 企業: see the header
    取引先名        text        NOT NULL,
    取引先タイプ    text        NOT NULL CHECK (取引先タイプ IN ('スーパー', 'コンビニ', '飲食店', '小売店')),
    住所            text        NOT NULL DEFAULT '',
    連絡先          text        NOT NULL DEFAULT '',
    取引開始日      date        NOT NULL,  -- the creation day in Japan time
    取引ステータス  text        NOT NULL CHECK (取引ステータス IN ('取引中', '取引停止')),
    停止理由        text,
    作成日時        timestamptz NOT NULL,
    更新日時        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS 取引先_企業ID_idx ON 取引先 (企業ID);
CREATE INDEX IF NOT EXISTS 取引先_取引先タイプ_idx ON 取引先 (取引先タイプ, 取引ステータス);

CREATE OR REPLACE VIEW 企業未登録取引先 AS
    SELECT t.取引先ID, t.企業ID, t.取引先名
    FROM 取引先 t
    WHERE NOT EXISTS (SELECT 1 FROM 企業 k WHERE k.企業ID = t.企業ID);

CREATE TABLE IF NOT EXISTS 倉庫 (
    倉庫コード    char(3)       PRIMARY KEY CHECK (倉庫コード ~ '^[A-Z]{3}$'),
    倉庫名        text,          -- NULL while only a placeholder (zone projected first)
    所在地        text,
    延べ床面積    numeric(10, 2) CHECK (延べ床面積 >= 0),
    容量          integer       CHECK (容量 >= 0),
    有効フラグ    boolean       NOT NULL DEFAULT false,
    停止理由      text,
    作成日時      timestamptz   NOT NULL DEFAULT now(),
    更新日時      timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS 倉庫別区画 (
    倉庫コード  char(3)       NOT NULL REFERENCES 倉庫 (倉庫コード),
    区画番号    varchar(4)    NOT NULL CHECK (区画番号 ~ '^[0-9]{2,4}$'),
    区画名      text          NOT NULL,
    区画タイプ  text          NOT NULL CHECK (区画タイプ IN ('常温', '冷蔵', '冷凍')),
    区画容量    integer       NOT NULL CHECK (区画容量 >= 0),
    最低温度    numeric(5, 1),  -- °C; NULL when the zone has no controlled range
    最高温度    numeric(5, 1),
    有効フラグ  boolean       NOT NULL,
    停止理由    text,
    作成日時    timestamptz   NOT NULL,
    更新日時    timestamptz   NOT NULL,
    PRIMARY KEY (倉庫コード, 区画番号),
    CHECK (最低温度 IS NULL OR 最高温度 IS NULL OR 最低温度 <= 最高温度)
);
CREATE INDEX IF NOT EXISTS 倉庫別区画_区画タイプ_idx ON 倉庫別区画 (区画タイプ, 倉庫コード);
