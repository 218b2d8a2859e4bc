-- 参照モデル世代: which journal epoch (connectors/dynamodb/epoch.py) the read model was
-- projected from.
-- depends: 0008_projection_parking
--
-- The embedded DynamoDB keeps its journal in memory; restarted and provisioned again it
-- holds an empty journal with a new epoch while 投影位置 still says how far each
-- aggregate was projected. Projecting the new journal into that read model would skip
-- its events as already applied. `zaiko stack up` and the projector compare the two
-- epochs first (connectors/read_model_epoch.py): an empty read model records the
-- journal's epoch; one that holds positions of another epoch is refused (`--reset`).
-- One row at most (単一行 is always true).
CREATE TABLE IF NOT EXISTS 参照モデル世代 (
    単一行         boolean     PRIMARY KEY DEFAULT true CHECK (単一行),
    ジャーナル世代 text        NOT NULL,
    記録日時       timestamptz NOT NULL DEFAULT now()
);
