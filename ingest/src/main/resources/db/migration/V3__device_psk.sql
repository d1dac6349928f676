-- DTLS pre-shared keys for CoAP. The DTLS handshake needs the key itself on the server, so it
-- cannot be hashed like secret_hash: it is stored encrypted (AES-256-GCM under the node's PSK key,
-- authenticated with the device id) in the form v1:base64(nonce || ciphertext || tag).
ALTER TABLE device ADD COLUMN psk_ciphertext VARCHAR(256);
