package vn.lantern.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.InvalidFieldException;

/**
 * The admins' {@code /api/v1/users}: list, read, create ({@code POST}), change ({@code PUT} with
 * any of {@code role}, {@code zones}, {@code disabled}, {@code password}) and delete. A change or a
 * deletion ends the user's sessions at once; one that would leave no enabled admin is refused with
 * 409 {@code last_admin}. Users are never answered with their hash.
 */
public final class UsersApi {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,63}");
  private static final int MIN_PASSWORD = 12;
  private static final int MAX_PASSWORD = 1024;

  private final AuthService auth;
  private final AuditLog audit;
  private final Predicate<String> zoneExists;

  public UsersApi(AuthService auth, AuditLog audit, Predicate<String> zoneExists) {
    this.auth = auth;
    this.audit = audit;
    this.zoneExists = zoneExists;
  }

  public void mount(ApiRoutes api) {
    Access admin = Access.role(Role.ADMIN);
    api.get("/api/v1/users", admin, this::list);
    api.post("/api/v1/users", admin, this::create);
    api.get("/api/v1/users/:username", admin, this::get);
    api.put("/api/v1/users/:username", admin, this::change);
    api.delete("/api/v1/users/:username", admin, this::delete);
  }

  /** A valid new password from a request field. */
  static String password(Object value, String field) {
    if (!(value instanceof String p) || p.length() < MIN_PASSWORD || p.length() > MAX_PASSWORD) {
      throw new InvalidFieldException(
          field, "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return p;
  }

  private void list(RoutingContext ctx) {
    auth.worker()
        .executeBlocking(() -> auth.users().all(), false)
        .onSuccess(
            users -> {
              JsonArray items = new JsonArray();
              users.forEach(u -> items.add(u.toJson()));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void get(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    auth.worker()
        .executeBlocking(() -> auth.users().find(username), false)
        .onSuccess(
            user ->
                user.ifPresentOrElse(
                    u -> ApiErrors.json(ctx, 200, u.toJson()), () -> notFound(ctx, username)))
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
    Set<String> zones;
    try {
      if (!(body.getValue("username") instanceof String u) || !USERNAME.matcher(u).matches()) {
        throw new InvalidFieldException("username", "must match [a-z0-9][a-z0-9._-]{1,63}");
      }
      username = u;
      password = password(body.getValue("password"), "password");
      role = role(body.getValue("role"));
      zones = zones(body.getValue("zones"));
      checkZones(role, zones);
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    auth.worker()
        .executeBlocking(
            () -> auth.users().save(new User(username, auth.hash(password), role, zones)), false)
        .onSuccess(
            created -> {
              auth.revoked();
              audit.record(
                  ctx,
                  created ? "user.create" : "user.update",
                  username,
                  true,
                  "role=" + role.json() + " zones=" + String.join(",", zones));
              ApiErrors.json(
                  ctx, created ? 201 : 200, new User(username, "", role, zones).toJson());
            })
        .onFailure(e -> failed(ctx, e, "user.update", username));
  }

  /** {@code PUT}: changes the fields given, keeps the others; the user's tokens stop working. */
  private void change(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Role role;
    Set<String> zones;
    Boolean disabled;
    String password;
    List<String> changed = new ArrayList<>();
    try {
      for (String field : body.fieldNames()) {
        if (!Set.of("role", "zones", "disabled", "password", "username").contains(field)) {
          throw new InvalidFieldException(field, "is not a user field");
        }
      }
      if (body.containsKey("username") && !username.equals(body.getValue("username"))) {
        throw new InvalidFieldException("username", "must match the URL");
      }
      role = body.containsKey("role") ? role(body.getValue("role")) : null;
      zones = body.containsKey("zones") ? zones(body.getValue("zones")) : null;
      if (body.containsKey("disabled") && !(body.getValue("disabled") instanceof Boolean)) {
        throw new InvalidFieldException("disabled", "must be true or false");
      }
      disabled = body.getBoolean("disabled");
      password =
          body.containsKey("password") ? password(body.getValue("password"), "password") : null;
      for (String field : List.of("role", "zones", "disabled", "password")) {
        if (body.containsKey(field)) {
          changed.add(field);
        }
      }
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    if (changed.isEmpty()) {
      // Nothing to change: nothing to revoke either.
      get(ctx);
      return;
    }
    auth.worker()
        .executeBlocking(
            () -> {
              String hash = password == null ? null : auth.hash(password);
              return auth.users()
                  .update(
                      username,
                      u -> {
                        User next =
                            new User(
                                username,
                                hash == null ? u.passwordHash() : hash,
                                role == null ? u.role() : role,
                                zones == null
                                    ? (role == null || role == Role.ZONE_MANAGER
                                        ? u.zones()
                                        : Set.of())
                                    : zones,
                                disabled == null ? u.disabled() : disabled,
                                u.tokenVersion());
                        checkZones(next.role(), next.zones());
                        return next;
                      });
            },
            false)
        .onSuccess(
            user -> {
              if (user.isEmpty()) {
                notFound(ctx, username);
                return;
              }
              auth.revoked();
              audit.record(
                  ctx,
                  Boolean.TRUE.equals(disabled) ? "user.disable" : "user.update",
                  username,
                  true,
                  "changed=" + String.join(",", changed));
              ApiErrors.json(ctx, 200, user.get().toJson());
            })
        .onFailure(
            e ->
                failed(
                    ctx,
                    e,
                    Boolean.TRUE.equals(disabled) ? "user.disable" : "user.update",
                    username));
  }

  private void delete(RoutingContext ctx) {
    String username = ctx.pathParam("username");
    auth.worker()
        .executeBlocking(() -> auth.users().delete(username), false)
        .onSuccess(
            deleted -> {
              if (!deleted) {
                notFound(ctx, username);
                return;
              }
              auth.revoked();
              audit.record(ctx, "user.delete", username, true, null);
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> failed(ctx, e, "user.delete", username));
  }

  /** 409 {@code last_admin} (audited as refused), else the usual error answer. */
  private void failed(RoutingContext ctx, Throwable e, String action, String username) {
    if (e instanceof LastAdminException) {
      audit.record(ctx, action, username, false, "last_admin");
      ApiErrors.send(ctx, 409, "last_admin", e.getMessage(), null);
    } else {
      ApiErrors.fail(ctx, e);
    }
  }

  private static void notFound(RoutingContext ctx, String username) {
    ApiErrors.send(ctx, 404, "not_found", "no user " + username, null);
  }

  private static Role role(Object value) {
    Role role = Role.parseUserRole(value);
    if (role == null) {
      throw new InvalidFieldException("role", "must be admin, zone-manager or operator");
    }
    return role;
  }

  private Set<String> zones(Object list) {
    if (list != null && !(list instanceof JsonArray)) {
      throw new InvalidFieldException("zones", "must be an array of zone ids");
    }
    JsonArray array = list == null ? new JsonArray() : (JsonArray) list;
    Set<String> zones = new LinkedHashSet<>();
    for (int i = 0; i < array.size(); i++) {
      Object zone = array.getValue(i);
      if (!(zone instanceof String z) || !zoneExists.test(z)) {
        throw new InvalidFieldException("zones[" + i + "]", "unknown zone '" + zone + "'");
      }
      zones.add(z);
    }
    return zones;
  }

  private static void checkZones(Role role, Set<String> zones) {
    if (role == Role.ZONE_MANAGER && zones.isEmpty()) {
      throw new InvalidFieldException("zones", "a zone manager needs at least one zone");
    }
    if (role != Role.ZONE_MANAGER && !zones.isEmpty()) {
      throw new InvalidFieldException("zones", "only zone managers have zones");
    }
  }
}
