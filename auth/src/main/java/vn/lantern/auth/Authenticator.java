package vn.lantern.auth;

import io.vertx.core.Future;

/**
 * Turns a bearer token into its caller; fails for a token it does not accept ({@link
 * TokenRevokedException} for one that was revoked). Must not block.
 */
public interface Authenticator {
  Future<Caller> authenticate(String token);

  /** Told when a revoked token was presented from {@code address} (e.g. to audit it). */
  default void revokedTokenUsed(TokenRevokedException refusal, String address) {}
}
