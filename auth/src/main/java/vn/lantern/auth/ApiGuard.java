package vn.lantern.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;
import vn.lantern.common.http.ApiErrors;

/**
 * The one API guard, mounted by the node assembly on {@code /api/v1/*} before any module's routes.
 * It reads the bearer token (the {@code Authorization} header; for GET routes that declare it, the
 * console's cookie; never a query parameter, since URLs end up in logs and histories),
 * authenticates it and puts the {@link Caller} into the routing context; the declared {@link
 * Access} of the matched route (see {@link ApiRoutes}) then decides. A presented token that is not
 * valid is refused at once, even on an open route ({@code token_revoked} when it was revoked).
 * Every refused or failed API call is counted by status.
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

  /** Context key set when the cookie held a revoked token. */
  static final String COOKIE_REVOKED = "lantern.cookie-revoked";

  /** Context key of the check that the request's token still counts (see {@link #stillValid}). */
  private static final String RECHECK = "lantern.token-recheck";

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
              ctx.put(
                  RECHECK,
                  (Supplier<Future<Caller>>) () -> authenticator.result().authenticate(token));
              ctx.next();
            })
        .onFailure(
            e -> {
              boolean revoked = e instanceof TokenRevokedException;
              if (revoked) {
                authenticator
                    .result()
                    .revokedTokenUsed(
                        (TokenRevokedException) e, ctx.request().remoteAddress().hostAddress());
              }
              if (refuseBad) {
                refuse(ctx, revoked);
              } else {
                if (revoked) {
                  ctx.put(COOKIE_REVOKED, true);
                }
                ctx.next();
              }
            });
  }

  /**
   * Whether the token the request was authenticated with has not been revoked since: long-lived
   * answers (the live stream) ask this now and then and end once it is false. True for a request
   * without a token, and when the check fails for another reason (e.g. the token just expired).
   */
  public static Future<Boolean> stillValid(RoutingContext ctx) {
    Supplier<Future<Caller>> recheck = ctx.get(RECHECK);
    if (recheck == null) {
      return Future.succeededFuture(true);
    }
    return recheck.get().map(c -> true).otherwise(e -> !(e instanceof TokenRevokedException));
  }

  /** The request's bearer token, or null. */
  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return header.substring(7).trim();
  }

  /** 401: {@code token_revoked} for a revoked token, else {@code unauthorized}. */
  static void refuse(RoutingContext ctx, boolean revoked) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    if (revoked) {
      ApiErrors.send(ctx, 401, "token_revoked", "this token was revoked: sign in again", null);
    } else {
      ApiErrors.send(ctx, 401, "unauthorized", "a valid bearer token is required", null);
    }
  }
}
