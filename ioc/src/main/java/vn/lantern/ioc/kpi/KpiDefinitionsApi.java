package vn.lantern.ioc.kpi;

import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Consumer;
import java.util.function.Predicate;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.AuthService;
import vn.lantern.auth.Caller;
import vn.lantern.auth.Role;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.rules.rule.InvalidRuleException;

/**
 * {@code /api/v1/kpis/definitions}: custom KPIs. Everyone lists those of the zones they may see;
 * admins define KPIs for every zone, zone managers for their own zones. A saved definition is
 * computed from the next refresh on, without a restart.
 */
public final class KpiDefinitionsApi {
  private final KpiDefinitionStore store;
  private final KpiEngine engine;
  private final WorkerExecutor worker;
  private final Predicate<String> zoneExists;
  private final Consumer<String> changed;

  /**
   * @param changed told the zone of each definition saved or deleted (null: of none), once stored
   */
  public KpiDefinitionsApi(
      KpiDefinitionStore store,
      KpiEngine engine,
      WorkerExecutor worker,
      Predicate<String> zoneExists,
      Consumer<String> changed) {
    this.store = store;
    this.engine = engine;
    this.worker = worker;
    this.zoneExists = zoneExists;
    this.changed = changed;
  }

  /** Mounts the routes: any signed-in user; zones are checked per definition by the handlers. */
  public void mount(ApiRoutes api) {
    Access signedIn = Access.signedIn();
    api.get("/api/v1/kpis/definitions", signedIn, this::list);
    api.put("/api/v1/kpis/definitions/:name", signedIn, this::put);
    api.delete("/api/v1/kpis/definitions/:name", signedIn, this::delete);
  }

  private static Caller caller(RoutingContext ctx) {
    return ctx.get(AuthService.CALLER);
  }

  private void list(RoutingContext ctx) {
    Caller caller = caller(ctx);
    JsonArray items = new JsonArray();
    for (KpiDefinition d : engine.definitions()) {
      if (d.zone() == null || caller == null || caller.canSee(d.zone())) {
        items.add(d.toJson());
      }
    }
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
  }

  private boolean mayChange(RoutingContext ctx, String zone) {
    Caller caller = caller(ctx);
    boolean allowed =
        caller == null || caller.role() == Role.ADMIN || (zone != null && caller.canManage(zone));
    if (!allowed) {
      ApiErrors.send(ctx, 403, "forbidden", "you may not define KPIs for this scope", "scope.zone");
    }
    return allowed;
  }

  private void put(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    KpiDefinition definition;
    try {
      definition = KpiDefinition.parse(body.copy().put("name", ctx.pathParam("name")));
      if (definition.zone() != null && !zoneExists.test(definition.zone())) {
        throw new InvalidRuleException("scope.zone", "unknown zone '" + definition.zone() + "'");
      }
    } catch (InvalidRuleException e) {
      ApiErrors.fail(ctx, e);
      return;
    }
    KpiDefinition existing = find(definition.name());
    if (!mayChange(ctx, definition.zone())
        || (existing != null && !mayChange(ctx, existing.zone()))) {
      return;
    }
    worker
        .executeBlocking(() -> store.save(definition), true)
        .onSuccess(
            created -> {
              engine.define(definition);
              changed.accept(definition.zone());
              ApiErrors.json(ctx, created ? 201 : 200, definition.toJson());
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void delete(RoutingContext ctx) {
    KpiDefinition existing = find(ctx.pathParam("name"));
    if (existing == null) {
      ApiErrors.send(ctx, 404, "not_found", "no such KPI definition", null);
      return;
    }
    if (!mayChange(ctx, existing.zone())) {
      return;
    }
    worker
        .executeBlocking(() -> store.delete(existing.name()), true)
        .onSuccess(
            deleted -> {
              engine.undefine(existing.name());
              changed.accept(existing.zone());
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private KpiDefinition find(String name) {
    return engine.definitions().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElse(null);
  }
}
