-- Zones are data, not code: an operator can rename, split or merge them without a rebuild.
CREATE TABLE zone (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    name        VARCHAR(128) NOT NULL,
    kind        VARCHAR(32)  NOT NULL,
    parent      VARCHAR(64)  REFERENCES zone (id),
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION
);

CREATE TABLE device (
    id          VARCHAR(64)  NOT NULL PRIMARY KEY,
    type        VARCHAR(64)  NOT NULL,
    zone        VARCHAR(64)  NOT NULL REFERENCES zone (id),
    site        VARCHAR(128) NOT NULL,
    lat         DOUBLE PRECISION,
    lon         DOUBLE PRECISION,
    gateway     VARCHAR(64)  REFERENCES device (id),
    -- PBKDF2 hash in the form pbkdf2-sha256$iterations$salt$hash; never the secret itself.
    secret_hash VARCHAR(256),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX device_gateway ON device (gateway);
CREATE INDEX device_zone ON device (zone);
