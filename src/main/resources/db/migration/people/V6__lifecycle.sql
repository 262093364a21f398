-- People: per-project lifecycle thresholds in days (a project without a row uses the defaults
-- 7 / 14 / 30 / 90). The stages themselves live in the event store next to the activity.

CREATE TABLE lifecycle_settings (
    project_id   BIGINT                   NOT NULL PRIMARY KEY,
    new_days     INTEGER                  NOT NULL,
    at_risk_days INTEGER                  NOT NULL,
    dormant_days INTEGER                  NOT NULL,
    churned_days INTEGER                  NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by   VARCHAR(100)             NOT NULL
);
