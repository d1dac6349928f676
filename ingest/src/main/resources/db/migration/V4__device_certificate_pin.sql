-- Certificate-authenticated devices: a device may pin the SHA-256 fingerprint of its client
-- certificate (64 lower-case hex digits), and may be disabled, which refuses every credential it
-- has without deleting it.
ALTER TABLE device ADD COLUMN cert_sha256 CHAR(64);
ALTER TABLE device ADD COLUMN disabled BOOLEAN DEFAULT FALSE NOT NULL;
