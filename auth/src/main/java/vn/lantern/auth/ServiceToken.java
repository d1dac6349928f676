package vn.lantern.auth;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The static bearer token for automation (provisioning scripts, the simulator, rules nodes reading
 * an ingest node's directory): it acts as an admin. The ingest role accepts nothing else.
 */
public final class ServiceToken implements Authenticator {
  private static final String USER = "service";
  private final byte[] token;

  public ServiceToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a service token is required");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether {@code candidate} is this token (compared in constant time). */
  public boolean matches(String candidate) {
    return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Future<Caller> authenticate(String candidate) {
    return matches(candidate)
        ? Future.succeededFuture(new Caller(USER, Role.ADMIN, Set.of()))
        : Future.failedFuture("invalid token");
  }
}
