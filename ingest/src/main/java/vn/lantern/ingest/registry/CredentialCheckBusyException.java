package vn.lantern.ingest.registry;

/**
 * A credential check that was not run because the hashing queue is full ({@code
 * deviceAuth.maxPending}): the credentials may well be right, so the endpoint answers "server busy"
 * (MQTT 5 0x89, MQTT 3.1.1 return code 3, CoAP 5.03 with Max-Age) and the device retries. Says
 * nothing about the id or the secret. Carries no stack trace: it is an expected answer under load.
 */
public final class CredentialCheckBusyException extends RuntimeException {
  CredentialCheckBusyException() {
    super("credential checks are busy, retry later", null, false, false);
  }
}
