package vn.lantern.auth;

import io.vertx.core.Future;

/** Turns a bearer token into its caller; fails for a token it does not accept. Must not block. */
public interface Authenticator {
  Future<Caller> authenticate(String token);
}
