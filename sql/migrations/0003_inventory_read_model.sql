-- 在庫, 受払履歴 (monthly partitions), 保管条件違反 and 区画別在庫閾値.
-- depends: 0002_master_read_model
--
-- No foreign key from 在庫 to 商品 or 倉庫別区画: inventory events arrive on their own
-- topic, possibly before the product or zone is projected (and replay may rebuild the
-- topics in any order). The command side checked those references when it decided the
-- event; `zaiko audit` compares the read model with the event store.

CREATE TABLE IF NOT EXISTS 在庫 (
    在庫ID        varchar(32) PRIMARY KEY,  -- <商品ID>@<倉庫コード>-<区画番号>
    商品ID        varchar(16) NOT NULL,
    倉庫コード    char(3)     NOT NULL,
    区画番号      varchar(4)  NOT NULL,
    現在庫数      integer     NOT NULL DEFAULT 0,
    引当済数      integer     NOT NULL DEFAULT 0,
    有効在庫数    integer     GENERATED ALWAYS AS (現在庫数 - 引当済数) STORED,
    -- units sent by an outbound transfer that the source has not settled yet
    -- (StockTransferred/ZoneTransferred OUT until TransferCompleted_V1 or a RETURN leg)
    移動中数      integer     NOT NULL DEFAULT 0,
    最終更新日時  timestamptz NOT NULL,
    CONSTRAINT 在庫_現在庫数_非負 CHECK (現在庫数 >= 0),
    CONSTRAINT 在庫_引当済数_非負 CHECK (引当済数 >= 0),
    CONSTRAINT 在庫_引当済数_上限 CHECK (引当済数 <= 現在庫数),
    CONSTRAINT 在庫_移動中数_非負 CHECK (移動中数 >= 0)
);
CREATE INDEX IF NOT EXISTS 在庫_商品ID_idx ON 在庫 (商品ID);
CREATE INDEX IF NOT EXISTS 在庫_倉庫コード_区画番号_商品ID_idx ON 在庫 (倉庫コード, 区画番号, 商品ID);

-- 受払履歴: one row per stock movement, keyed by the event id (受払履歴No), so a redelivered
-- event inserts nothing (ON CONFLICT DO NOTHING). The partition key 受払日時 (the event's
-- occurred_at) must be part of the primary key; an event id always carries the same time.
-- 受払区分: StockReceived 入庫, StockIssued 出庫, transfer legs (OUT/IN/RETURN) 移動,
-- StockAdjusted 調整. Reservations (引当/引当解除) do not move goods: they change 在庫.引当済数
-- only and are not 受払. 受払数量 is signed (+ into this 在庫, - out of it), so the sum of
-- 受払数量 per 在庫ID equals 現在庫数 and 受払後在庫数 is the 現在庫数 after the movement.
-- 移動元/移動先 name the source and destination of a transfer on both legs.
CREATE TABLE IF NOT EXISTS 受払履歴 (
    受払履歴No        text        NOT NULL,  -- the event id
    受払日時          timestamptz NOT NULL,
    在庫ID            varchar(32) NOT NULL,
    シーケンス番号    bigint      NOT NULL,
    商品ID            varchar(16) NOT NULL,
    倉庫コード        char(3)     NOT NULL,
    区画番号          varchar(4)  NOT NULL,
    受払区分          text        NOT NULL CHECK (受払区分 IN ('入庫', '出庫', '移動', '調整')),
    受払数量          integer     NOT NULL CHECK (受払数量 <> 0),
    受払後在庫数      integer     NOT NULL CHECK (受払後在庫数 >= 0),
    操作者            text,
    備考              text,
    調整理由          text        CHECK (調整理由 IN ('棚卸差異', '破損', '期限切れ', '紛失', 'その他')),
    移動ID            text,
    移動方向          text        CHECK (移動方向 IN ('OUT', 'IN', 'RETURN')),
    移動元倉庫コード  char(3),
    移動元区画番号    varchar(4),
    移動先倉庫コード  char(3),
    移動先区画番号    varchar(4),
    PRIMARY KEY (受払履歴No, 受払日時),
    CHECK ((受払区分 = '移動') = (移動ID IS NOT NULL)),
    CHECK ((受払区分 = '調整') = (調整理由 IS NOT NULL))
) PARTITION BY RANGE (受払日時);
CREATE INDEX IF NOT EXISTS 受払履歴_商品ID_受払日時_idx ON 受払履歴 (商品ID, 受払日時);
CREATE INDEX IF NOT EXISTS 受払履歴_区画_受払日時_idx ON 受払履歴 (倉庫コード, 区画番号, 受払日時);
CREATE INDEX IF NOT EXISTS 受払履歴_在庫ID_シーケンス番号_idx ON 受払履歴 (在庫ID, シーケンス番号);

-- Month boundaries are Japan time (the business's calendar). Partitions are created for
-- 2025-01 .. 2027-12; later months land in the DEFAULT partition until someone calls
-- 受払履歴_月次パーティション作成 (before rows of that month arrive: attaching a range whose
-- rows already sit in DEFAULT fails, which is the signal to move them first).
CREATE OR REPLACE FUNCTION 受払履歴_月次パーティション作成(開始月 date, 月数 integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m date;
BEGIN
    FOR i IN 0 .. 月数 - 1 LOOP
        m := date_trunc('month', 開始月)::date + make_interval(months => i);
        EXECUTE format(
            'CREATE TABLE IF NOT EXISTS %I PARTITION OF 受払履歴 FOR VALUES FROM (%L) TO (%L)',
            '受払履歴_' || to_char(m, 'YYYY_MM'),
            (m::timestamp AT TIME ZONE 'Asia/Tokyo'),
            ((m + interval '1 month')::timestamp AT TIME ZONE 'Asia/Tokyo'));
    END LOOP;
END $$;

SELECT 受払履歴_月次パーティション作成(date '2025-01-01', 36);
CREATE TABLE IF NOT EXISTS 受払履歴_default PARTITION OF 受払履歴 DEFAULT;

-- A refused placement (StorageConditionViolated_V1), recorded on the inventory's stream.
CREATE TABLE IF NOT EXISTS 保管条件違反 (
    イベントID      text        PRIMARY KEY,
    在庫ID          varchar(32) NOT NULL,
    商品ID          varchar(16) NOT NULL,
    倉庫コード      char(3)     NOT NULL,
    区画番号        varchar(4)  NOT NULL,
    保管条件        text        NOT NULL CHECK (保管条件 IN ('常温', '冷蔵', '冷凍')),
    区画タイプ      text        NOT NULL CHECK (区画タイプ IN ('常温', '冷蔵', '冷凍')),
    試行コマンド    text        NOT NULL,
    数量            integer     NOT NULL CHECK (数量 >= 0),
    移動ID          text,
    発生日時        timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS 保管条件違反_区画_発生日時_idx ON 保管条件違反 (倉庫コード, 区画番号, 発生日時);
CREATE INDEX IF NOT EXISTS 保管条件違反_商品ID_idx ON 保管条件違反 (商品ID, 発生日時);

-- Per-zone low-stock thresholds, maintained by operators (CRUD). A zone without a row uses
-- the deployment's default (setting low_stock_default_threshold): pass it as 既定閾値.
CREATE TABLE IF NOT EXISTS 区画別在庫閾値 (
    倉庫コード  char(3)     NOT NULL,
    区画番号    varchar(4)  NOT NULL,
    閾値        integer     NOT NULL CHECK (閾値 >= 0),
    更新日時    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (倉庫コード, 区画番号),
    FOREIGN KEY (倉庫コード, 区画番号) REFERENCES 倉庫別区画 (倉庫コード, 区画番号)
);

CREATE OR REPLACE FUNCTION 区画閾値(p_倉庫コード text, p_区画番号 text, 既定閾値 integer)
RETURNS integer LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT 閾値 FROM 区画別在庫閾値 WHERE 倉庫コード = p_倉庫コード AND 区画番号 = p_区画番号),
        既定閾値)
$$;
