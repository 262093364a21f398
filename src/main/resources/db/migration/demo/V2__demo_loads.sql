-- Demo data: one row per project that received simulated demo events. A load that is still
-- LOADING (or FAILED) at the next start was cut short; its events are deleted and it is redone
-- from the same plan. Written in the SQL that H2 and PostgreSQL share.

CREATE TABLE demo_loads (
    project_id    BIGINT                   NOT NULL,
    state         VARCHAR(16)              NOT NULL,
    persons       INTEGER                  NOT NULL,
    target_events BIGINT                   NOT NULL,
    period_days   INTEGER                  NOT NULL,
    seed          BIGINT                   NOT NULL,
    end_date      DATE                     NOT NULL,
    cutoff_at     TIMESTAMP WITH TIME ZONE,
    events        BIGINT                   NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT demo_loads_pk PRIMARY KEY (project_id),
    CONSTRAINT demo_loads_state_check CHECK (state IN ('LOADING', 'READY', 'FAILED'))
);
