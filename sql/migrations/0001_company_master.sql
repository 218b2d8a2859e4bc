-- 企業マスタ: the company master is plain CRUD (not event-sourced).
CREATE TABLE IF NOT EXISTS 企業 (
    企業ID      varchar(16) PRIMARY KEY CHECK (企業ID ~ '^CMP-[0-9]{4,}$'),
    企業名      text        NOT NULL CHECK (length(企業名) > 0),
    企業種別    text        NOT NULL CHECK (企業種別 IN ('自社', '取引先企業')),
    郵便番号    varchar(8)  CHECK (郵便番号 ~ '^[0-9]{3}-[0-9]{4}$'),
    住所        text,
    電話番号    varchar(20),
    代表者名    text,
    設立年月日  date,
    資本金      bigint      CHECK (資本金 >= 0),
    従業員数    integer     CHECK (従業員数 >= 0),
    作成日時    timestamptz NOT NULL DEFAULT now(),
    更新日時    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS 企業_企業種別_idx ON 企業 (企業種別);
