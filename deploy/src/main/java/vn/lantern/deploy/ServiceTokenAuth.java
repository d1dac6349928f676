package vn.lantern.deploy;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import vn.lantern.common.http.ApiErrors;

/**
 * The ingest role's API guard: every call must carry {@code Authorization: Bearer <service token>}.
 * People sign in on the rules nodes; the ingest node's API is for automation and for the rules
 * nodes' device directory.
 */
final class ServiceTokenAuth implements Handler<RoutingContext> {
  private static final String PREFIX = "Bearer ";
  private final byte[] token;

  ServiceTokenAuth(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("a service token is required");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.startsWith(PREFIX)) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      ApiErrors.send(ctx, 401, "unauthorized", "bearer token required", null);
    } else if (!MessageDigest.isEqual(
        token, header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8))) {
      ApiErrors.send(ctx, 401, "unauthorized", "invalid token", null);
    } else {
      ctx.next();
    }
  }
}
