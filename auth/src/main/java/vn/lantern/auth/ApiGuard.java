package vn.lantern.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import vn.lantern.common.http.ApiErrors;

/**
 * The one API guard, mounted by the node assembly on {@code /api/v1/*} before any module's routes.
 * It reads the bearer token (the {@code Authorization} header; for GET routes that declare it, the
 * console's cookie; never a query parameter, since URLs end up in logs and histories),
 * authenticates it and puts the {@link Caller} into the routing context; the declared {@link
 * Access} of the matched route (see {@link ApiRoutes}) then decides. A presented token that is not
 * valid is refused at once, even on an open route. Every refused or failed API call is counted by
 * status.
 */
public final class ApiGuard {
  /** Route metadata key marking the guard's own route (the router walk skips it). */
  public static final String METADATA = "lantern.api-guard";

  /**
   * Cookie set at login in which the browser keeps the console's token for the live stream
   * (HttpOnly, SameSite=Strict, path {@code /api/v1}).
   */
  public static final String TOKEN_COOKIE = "lantern_token";

  /** Context key of a caller known only from the cookie, for routes that accept it. */
  static final String COOKIE_CALLER = "lantern.cookie-caller";

  private final Future<Authenticator> authenticator;
  private final MeterRegistry metrics;

  private ApiGuard(Future<Authenticator> authenticator, MeterRegistry metrics) {
    this.authenticator = authenticator;
    this.metrics = metrics;
  }

  /**
   * Mounts the guard on {@code router}; call before any module mounts its routes.
   *
   * @param authenticator completes once the node's authenticator exists (before the node listens)
   */
  public static void mount(
      Router router, Future<Authenticator> authenticator, MeterRegistry metrics) {
    ApiGuard guard = new ApiGuard(authenticator, metrics);
    router.route("/api/v1/*").putMetadata(METADATA, true).handler(guard::handle);
  }

  private void handle(RoutingContext ctx) {
    ctx.addHeadersEndHandler(
        v -> {
          int status = ctx.response().getStatusCode();
          if (status >= 400) {
            metrics.counter(ApiMeters.ERRORS, "status", Integer.toString(status)).increment();
          }
        });
    String token = bearerToken(ctx);
    if (token != null) {
      authenticate(ctx, token, AuthService.CALLER, true);
      return;
    }
    Cookie cookie =
        ctx.request().method() == HttpMethod.GET ? ctx.request().getCookie(TOKEN_COOKIE) : null;
    if (cookie != null && !cookie.getValue().isBlank()) {
      authenticate(ctx, cookie.getValue().trim(), COOKIE_CALLER, false);
    } else {
      ctx.next();
    }
  }

  /**
   * Puts the token's caller under {@code key}; a bad token is refused when {@code refuseBad}, else
   * the request goes on without a caller.
   */
  private void authenticate(RoutingContext ctx, String token, String key, boolean refuseBad) {
    if (!authenticator.isComplete()) {
      ApiErrors.send(ctx, 503, "unavailable", "the node is starting", null);
      return;
    }
    authenticator
        .result()
        .authenticate(token)
        .onSuccess(
            caller -> {
              ctx.put(key, caller);
              ctx.next();
            })
        .onFailure(
            e -> {
              if (refuseBad) {
                unauthorized(ctx);
              } else {
                ctx.next();
              }
            });
  }

  /** The request's bearer token, or null. */
  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  static void unauthorized(RoutingContext ctx) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    ApiErrors.send(ctx, 401, "unauthorized", "a valid bearer token is required", null);
  }
}
