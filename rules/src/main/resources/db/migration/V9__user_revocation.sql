-- Users can be disabled, and every token carries its user's token version: a change that must end
-- the user's sessions (disable, role, zones, password) raises it, and older tokens are refused.
ALTER TABLE app_user ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE app_user ADD COLUMN token_version BIGINT DEFAULT 0 NOT NULL;

-- Tokens logged out before their expiry (by jti), kept until they expire.
CREATE TABLE revoked_token (
    jti        VARCHAR(64) NOT NULL PRIMARY KEY,
    expires_at BIGINT      NOT NULL
);
CREATE INDEX revoked_token_expiry ON revoked_token (expires_at);

-- Long-lived read-only tokens of wall screens (kiosks); deleting the row revokes the token.
CREATE TABLE display_token (
    id         VARCHAR(64)   NOT NULL PRIMARY KEY,
    name       VARCHAR(200)  NOT NULL,
    zones      VARCHAR(2000) NOT NULL,
    created_by VARCHAR(128)  NOT NULL,
    created_at BIGINT        NOT NULL,
    expires_at BIGINT        NOT NULL
);
