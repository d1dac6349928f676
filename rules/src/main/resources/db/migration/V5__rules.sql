-- The rules engine's tables (before the one store: its own file and history, V1 there). Long
-- texts are VARCHAR(1000000), which H2 and PostgreSQL both take (CLOB is not PostgreSQL's).
CREATE TABLE rule (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    zone        VARCHAR(64)  NOT NULL,
    version     INT          NOT NULL,
    body        VARCHAR(1000000) NOT NULL,
    updated_at  BIGINT       NOT NULL
);
CREATE INDEX rule_zone ON rule (zone);

-- One row per alert; its transitions are in alert_transition.
CREATE TABLE alert (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    rule_id     VARCHAR(64)  NOT NULL,
    rule_name   VARCHAR(200) NOT NULL,
    device      VARCHAR(64)  NOT NULL,
    zone        VARCHAR(64)  NOT NULL,
    site        VARCHAR(128),
    metric      VARCHAR(64),
    state       VARCHAR(16)  NOT NULL,
    severity    VARCHAR(16)  NOT NULL,
    since       BIGINT       NOT NULL,
    alert_value DOUBLE PRECISION,
    acked_by    VARCHAR(64),
    acked_at    BIGINT,
    ack_comment VARCHAR(1000),
    resolved_at BIGINT,
    resolved_by VARCHAR(64),
    updated_at  BIGINT       NOT NULL
);
CREATE INDEX alert_open ON alert (state);
CREATE INDEX alert_zone_since ON alert (zone, since);

CREATE TABLE alert_transition (
    alert_id    VARCHAR(64)  NOT NULL,
    seq         INT          NOT NULL,
    at          BIGINT       NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    severity    VARCHAR(16)  NOT NULL,
    actor       VARCHAR(64),
    note        VARCHAR(1000),
    alert_value DOUBLE PRECISION,
    PRIMARY KEY (alert_id, seq)
);

-- Users of the API; passwords are PBKDF2 hashes, never the password itself.
CREATE TABLE app_user (
    username      VARCHAR(64)  NOT NULL PRIMARY KEY,
    password_hash VARCHAR(256) NOT NULL,
    role          VARCHAR(16)  NOT NULL,
    zones         VARCHAR(2000) NOT NULL,
    created_at    BIGINT       NOT NULL
);

-- Notifications given up on after the configured number of attempts.
CREATE TABLE dead_letter (
    id          VARCHAR(64)   NOT NULL PRIMARY KEY,
    alert_id    VARCHAR(64)   NOT NULL,
    rule_id     VARCHAR(64)   NOT NULL,
    zone        VARCHAR(64)   NOT NULL,
    channel     VARCHAR(16)   NOT NULL,
    target      VARCHAR(2000) NOT NULL,
    payload     VARCHAR(1000000) NOT NULL,
    attempts    INT           NOT NULL,
    last_error  VARCHAR(1000),
    failed_at   BIGINT        NOT NULL
);

-- Small key/value facts, e.g. which rule packs have been seeded.
CREATE TABLE setting (
    name        VARCHAR(64)   NOT NULL PRIMARY KEY,
    setting_value VARCHAR(1000) NOT NULL
);
