package vn.lantern.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.InvalidFieldException;

/**
 * {@code POST /api/v1/login}, {@code POST /api/v1/login/refresh} (a signed-in user's fresh token)
 * and the admin's {@code /api/v1/users}.
 */
public final class AuthApi {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
  private static final int MIN_PASSWORD = 12;

  private final AuthService auth;
  private final Predicate<String> zoneExists;
  private final LoginThrottle throttle = new LoginThrottle();
  private final MeterRegistry metrics;

  /**
   * @param metrics counts logins by outcome ({@code lantern.auth.logins}: {@code success}, {@code
   *     wrong_credentials}, {@code throttled}, {@code busy})
   */
  public AuthApi(AuthService auth, Predicate<String> zoneExists, MeterRegistry metrics) {
    this.auth = auth;
    this.zoneExists = zoneExists;
    this.metrics = metrics;
  }

  private void count(String outcome) {
    metrics.counter("lantern.auth.logins", "outcome", outcome).increment();
  }

  /**
   * Mounts {@code /api/v1/login}, open to everyone, {@code /api/v1/login/refresh} for signed-in
   * users, and the admin's {@code /api/v1/users}.
   */
  public void mount(ApiRoutes api) {
    api.post("/api/v1/login", Access.open(), this::login);
    api.post("/api/v1/login/refresh", Access.signedIn(), this::refresh);
    api.get("/api/v1/users", Access.role(Role.ADMIN), this::list);
    api.post("/api/v1/users", Access.role(Role.ADMIN), this::create);
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
    String client = ctx.request().remoteAddress().hostAddress();
    long retryAfterMs = throttle.acquire(username, client);
    if (retryAfterMs > 0) {
      count("throttled");
      ctx.response().putHeader("Retry-After", String.valueOf((retryAfterMs + 999) / 1000));
      ApiErrors.send(ctx, 429, "too_many_attempts", "too many failed logins, retry later", null);
      return;
    }
    auth.login(username, password)
        .onSuccess(
            token -> {
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
                throttle.cancelled(username, client);
                count("busy");
                ctx.response().putHeader("Retry-After", "1");
                ApiErrors.send(ctx, 503, "busy", "too many logins in progress, retry later", null);
              } else {
                ApiErrors.fail(ctx, e);
              }
            });
  }

  /**
   * Answers with a fresh token, also set as the console's cookie for the live stream: EventSource
   * cannot send an Authorization header, and a token in the URL would end up in logs.
   */
  private static void sendToken(RoutingContext ctx, String token) {
    ctx.response()
        .addCookie(
            Cookie.cookie(ApiGuard.TOKEN_COOKIE, token)
                .setPath("/api/v1")
                .setHttpOnly(true)
                .setSecure(ctx.request().isSSL())
                .setSameSite(CookieSameSite.STRICT));
    ApiErrors.json(ctx, 200, new JsonObject().put("token", token));
  }

  private void list(RoutingContext ctx) {
    auth.users()
        .onSuccess(
            users -> {
              JsonArray items = new JsonArray();
              users.forEach(u -> items.add(u.toJson()));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    String username;
    String password;
    Role role;
    Set<String> zones = new LinkedHashSet<>();
    try {
      if (!(body.getValue("username") instanceof String u) || !USERNAME.matcher(u).matches()) {
        throw new InvalidFieldException("username", "must match [a-z0-9][a-z0-9._-]{1,63}");
      }
      username = u;
      if (!(body.getValue("password") instanceof String p) || p.length() < MIN_PASSWORD) {
        throw new InvalidFieldException(
            "password", "must be at least " + MIN_PASSWORD + " characters");
      }
      password = p;
      role = Role.parse(body.getValue("role"));
      if (role == null) {
        throw new InvalidFieldException("role", "must be admin, zone-manager or operator");
      }
      Object list = body.getValue("zones");
      if (list != null && !(list instanceof JsonArray)) {
        throw new InvalidFieldException("zones", "must be an array of zone ids");
      }
      JsonArray array = list == null ? new JsonArray() : (JsonArray) list;
      for (int i = 0; i < array.size(); i++) {
        Object zone = array.getValue(i);
        if (!(zone instanceof String z) || !zoneExists.test(z)) {
          throw new InvalidFieldException("zones[" + i + "]", "unknown zone '" + zone + "'");
        }
        zones.add(z);
      }
      if (role == Role.ZONE_MANAGER && zones.isEmpty()) {
        throw new InvalidFieldException("zones", "a zone manager needs at least one zone");
      }
      if (role != Role.ZONE_MANAGER && !zones.isEmpty()) {
        throw new InvalidFieldException("zones", "only zone managers have zones");
      }
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    auth.saveUser(username, password, role, zones)
        .onSuccess(
            created ->
                ApiErrors.json(
                    ctx,
                    created ? 201 : 200,
                    new JsonObject()
                        .put("username", username)
                        .put("role", role.json())
                        .put("zones", new JsonArray(java.util.List.copyOf(zones)))))
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }
}
