package vn.lantern.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.InvalidFieldException;

/**
 * Signing in and out: {@code POST /api/v1/login}, {@code POST /api/v1/login/refresh} (a signed-in
 * user's fresh token), {@code POST /api/v1/logout} and {@code POST /api/v1/users/me/password}.
 */
public final class AuthApi {
  private final AuthService auth;
  private final AuditLog audit;
  private final LoginThrottle throttle = new LoginThrottle();
  private final MeterRegistry metrics;

  /**
   * @param metrics counts logins by outcome ({@code lantern.auth.logins}: {@code success}, {@code
   *     wrong_credentials}, {@code throttled}, {@code busy})
   */
  public AuthApi(AuthService auth, AuditLog audit, MeterRegistry metrics) {
    this.auth = auth;
    this.audit = audit;
    this.metrics = metrics;
  }

  private void count(String outcome) {
    metrics.counter("lantern.auth.logins", "outcome", outcome).increment();
  }

  /**
   * Mounts {@code /api/v1/login}, open to everyone, and the routes of signed-in users: refresh,
   * logout and their own password change.
   */
  public void mount(ApiRoutes api) {
    api.post("/api/v1/login", Access.open(), this::login);
    api.post("/api/v1/login/refresh", Access.signedIn(), this::refresh);
    api.post("/api/v1/logout", Access.signedIn(), this::logout);
    api.post("/api/v1/users/me/password", Access.signedIn(), this::changeOwnPassword);
  }

  private void refresh(RoutingContext ctx) {
    auth.refresh(ctx.get(AuthService.CALLER))
        .onSuccess(
            token -> {
              if (token.isEmpty()) {
                ApiErrors.send(
                    ctx,
                    400,
                    "not_refreshable",
                    "only tokens of this node's users are refreshed",
                    null);
              } else {
                sendToken(ctx, token.get());
              }
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void login(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    if (!(body.getValue("username") instanceof String username) || username.isEmpty()) {
      ApiErrors.send(ctx, 400, "invalid_field", "username is required", "username");
      return;
    }
    if (!(body.getValue("password") instanceof String password) || password.isEmpty()) {
      ApiErrors.send(ctx, 400, "invalid_field", "password is required", "password");
      return;
    }
    String client = AuditLog.address(ctx);
    if (throttled(ctx, username, client)) {
      count("throttled");
      return;
    }
    auth.login(username, password)
        .onSuccess(
            token -> {
              audit.record(username, client, "login", username, token != null, null);
              if (token == null) {
                count("wrong_credentials");
                ApiErrors.send(ctx, 401, "unauthorized", "wrong username or password", null);
              } else {
                throttle.succeeded(username, client);
                count("success");
                sendToken(ctx, token);
              }
            })
        .onFailure(
            e -> {
              if (e instanceof LoginPool.Busy) {
                count("busy");
              }
              loginFailed(ctx, e, username, client);
            });
  }

  /** Answers 429 with Retry-After when the throttle refuses the attempt; else counts it. */
  private boolean throttled(RoutingContext ctx, String username, String client) {
    long retryAfterMs = throttle.acquire(username, client);
    if (retryAfterMs <= 0) {
      return false;
    }
    ctx.response().putHeader("Retry-After", String.valueOf((retryAfterMs + 999) / 1000));
    ApiErrors.send(ctx, 429, "too_many_attempts", "too many failed logins, retry later", null);
    return true;
  }

  private void loginFailed(RoutingContext ctx, Throwable e, String username, String client) {
    if (e instanceof LoginPool.Busy) {
      throttle.cancelled(username, client);
      ctx.response().putHeader("Retry-After", "1");
      ApiErrors.send(ctx, 503, "busy", "too many logins in progress, retry later", null);
    } else {
      ApiErrors.fail(ctx, e);
    }
  }

  /**
   * Revokes the caller's token until it expires and clears the stream cookie; tokens that cannot be
   * revoked one by one (the service token, external issuers) get 400.
   */
  private void logout(RoutingContext ctx) {
    Caller caller = ctx.get(AuthService.CALLER);
    if (caller.tokenId() == null) {
      ApiErrors.send(
          ctx,
          400,
          "not_revocable",
          "only tokens this node issued can be logged out; revoke others at their issuer",
          null);
      return;
    }
    auth.worker()
        .executeBlocking(
            () -> {
              auth.logout(caller);
              return null;
            },
            false)
        .onSuccess(
            v -> {
              audit.record(ctx, "logout", caller.username(), true, null);
              ctx.response().addCookie(tokenCookie(ctx, "").setMaxAge(0));
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  /**
   * A signed-in user changes their own password, giving the current one (checked like a login, and
   * throttled like one). Every token of the user, this one included, stops working.
   */
  private void changeOwnPassword(RoutingContext ctx) {
    Caller caller = ctx.get(AuthService.CALLER);
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    if (caller.tokenId() == null || caller.role() == Role.VIEWER) {
      ApiErrors.send(
          ctx, 400, "not_a_local_user", "only users of this node have a password here", null);
      return;
    }
    if (!(body.getValue("currentPassword") instanceof String current) || current.isEmpty()) {
      ApiErrors.send(ctx, 400, "invalid_field", "currentPassword is required", "currentPassword");
      return;
    }
    String fresh;
    try {
      fresh = UsersApi.password(body.getValue("newPassword"), "newPassword");
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    String username = caller.username();
    String client = AuditLog.address(ctx);
    if (throttled(ctx, username, client)) {
      return;
    }
    auth.checkPassword(username, current)
        .compose(
            ok -> {
              if (!ok) {
                return Future.succeededFuture(false);
              }
              throttle.succeeded(username, client);
              return auth.worker()
                  .executeBlocking(
                      () -> {
                        String hash = auth.hash(fresh);
                        return auth.users()
                            .update(username, u -> withPassword(u, hash))
                            .isPresent();
                      },
                      false);
            })
        .onSuccess(
            changed -> {
              audit.record(ctx, "password.change", username, changed, null);
              if (changed) {
                auth.revoked();
                ctx.response().setStatusCode(204).end();
              } else {
                ApiErrors.send(
                    ctx, 403, "wrong_password", "the current password is wrong", "currentPassword");
              }
            })
        .onFailure(e -> loginFailed(ctx, e, username, client));
  }

  private static User withPassword(User u, String hash) {
    return new User(u.username(), hash, u.role(), u.zones(), u.disabled(), u.tokenVersion());
  }

  /**
   * Answers with a fresh token, also set as the console's cookie for the live stream: EventSource
   * cannot send an Authorization header, and a token in the URL would end up in logs.
   */
  private static void sendToken(RoutingContext ctx, String token) {
    ctx.response().addCookie(tokenCookie(ctx, token));
    ApiErrors.json(ctx, 200, new JsonObject().put("token", token));
  }

  /** The stream cookie; logout sends it empty with the same attributes, so the browser drops it. */
  private static Cookie tokenCookie(RoutingContext ctx, String value) {
    return Cookie.cookie(ApiGuard.TOKEN_COOKIE, value)
        .setPath("/api/v1")
        .setHttpOnly(true)
        .setSecure(ctx.request().isSSL())
        .setSameSite(CookieSameSite.STRICT);
  }
}
