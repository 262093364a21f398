-- Analytics: per-project growth events (what counts as sign-up, activation, referral) and marketing
-- spend per channel and month, for CAC and ROI.

CREATE TABLE analytics_settings (
    project_id       BIGINT                   NOT NULL PRIMARY KEY,
    signup_event     VARCHAR(200)             NOT NULL,
    activation_event VARCHAR(200)             NOT NULL,
    referral_event   VARCHAR(200)             NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by       VARCHAR(100)             NOT NULL
);

CREATE TABLE channel_spend (
    project_id  BIGINT                   NOT NULL,
    channel     VARCHAR(64)              NOT NULL,
    spend_month DATE                     NOT NULL,
    amount      DECIMAL(18, 2)           NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_by  VARCHAR(100)             NOT NULL,
    PRIMARY KEY (project_id, channel, spend_month)
);
