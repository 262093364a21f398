-- Collect: per-project channel rules. A project without a row in channel_rule_sets uses the defaults.

CREATE TABLE channel_rule_sets (
    project_id BIGINT                   NOT NULL PRIMARY KEY,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by VARCHAR(100)             NOT NULL
);

CREATE TABLE channel_rules (
    project_id  BIGINT        NOT NULL,
    position    INTEGER       NOT NULL,
    channel     VARCHAR(64)   NOT NULL,
    field       VARCHAR(32)   NOT NULL,
    operator    VARCHAR(16)   NOT NULL,
    rule_values VARCHAR(2000) NOT NULL,
    PRIMARY KEY (project_id, position)
);
