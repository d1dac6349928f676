package vn.lantern.auth.display;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.auth.Role;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.common.http.InvalidFieldException;
import vn.lantern.common.store.RelationalStore;

/**
 * The admins' {@code /api/v1/display-tokens}: {@code POST} creates a wall screen's read-only token
 * (shown once), {@code GET} lists them without tokens, {@code DELETE /{id}} revokes one at once.
 */
public final class DisplayTokensApi {
  private static final int MAX_DAYS = 3650;
  private static final int DEFAULT_DAYS = 365;
  private static final long DAY_MS = 86_400_000L;

  private final AuthService auth;
  private final DisplayTokenStore store;
  private final WorkerExecutor worker;
  private final AuditLog audit;
  private final Predicate<String> zoneExists;

  public DisplayTokensApi(
      AuthService auth,
      RelationalStore store,
      WorkerExecutor worker,
      AuditLog audit,
      Predicate<String> zoneExists) {
    this.auth = auth;
    this.store = new DisplayTokenStore(store);
    this.worker = worker;
    this.audit = audit;
    this.zoneExists = zoneExists;
  }

  public void mount(ApiRoutes api) {
    Access admin = Access.role(Role.ADMIN);
    api.post("/api/v1/display-tokens", admin, this::create);
    api.get("/api/v1/display-tokens", admin, this::list);
    api.delete("/api/v1/display-tokens/:id", admin, this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    DisplayToken token;
    try {
      token = parse(body, ctx.<Caller>get(AuthService.CALLER).username());
    } catch (InvalidFieldException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    worker
        .executeBlocking(
            () -> {
              store.add(token);
              return auth.displayToken(token);
            },
            false)
        .onSuccess(
            jwt -> {
              audit.record(ctx, "display_token.create", token.id(), true, "name=" + token.name());
              ApiErrors.json(ctx, 201, token.toJson().put("token", jwt));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private DisplayToken parse(JsonObject body, String createdBy) {
    if (!(body.getValue("name") instanceof String name) || name.isBlank() || name.length() > 200) {
      throw new InvalidFieldException("name", "is required, at most 200 characters");
    }
    Object list = body.getValue("zones");
    if (list != null && !(list instanceof JsonArray)) {
      throw new InvalidFieldException("zones", "must be an array of zone ids (empty: every zone)");
    }
    Set<String> zones = new LinkedHashSet<>();
    JsonArray array = list == null ? new JsonArray() : (JsonArray) list;
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String zone) || !zoneExists.test(zone)) {
        throw new InvalidFieldException(
            "zones[" + i + "]", "unknown zone '" + array.getValue(i) + "'");
      }
      zones.add(zone);
    }
    Object daysValue = body.containsKey("days") ? body.getValue("days") : DEFAULT_DAYS;
    long days =
        daysValue instanceof Integer || daysValue instanceof Long
            ? ((Number) daysValue).longValue()
            : -1;
    if (days < 1 || days > MAX_DAYS) {
      throw new InvalidFieldException("days", "must be a whole number from 1 to " + MAX_DAYS);
    }
    long now = System.currentTimeMillis();
    return new DisplayToken(
        UUID.randomUUID().toString(), name.strip(), zones, createdBy, now, now + days * DAY_MS);
  }

  private void list(RoutingContext ctx) {
    worker
        .executeBlocking(store::all, false)
        .onSuccess(
            tokens -> {
              JsonArray items = new JsonArray();
              tokens.forEach(t -> items.add(t.toJson()));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    worker
        .executeBlocking(() -> store.delete(id), false)
        .onSuccess(
            deleted -> {
              if (!deleted) {
                ApiErrors.send(ctx, 404, "not_found", "no display token " + id, null);
                return;
              }
              auth.revoked();
              audit.record(ctx, "display_token.delete", id, true, null);
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }
}
