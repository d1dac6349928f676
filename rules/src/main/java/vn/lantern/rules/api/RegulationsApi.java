package vn.lantern.rules.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.rules.regulation.RegulationPack;
import vn.lantern.rules.regulation.Regulations;

/**
 * {@code /api/v1/regulations}: the regulation packs in force on this node, with their versions,
 * effective dates, thresholds, stations and citations. Read-only; any signed-in user (the law is
 * public). A pack changes by replacing its file in the data directory and restarting.
 */
public final class RegulationsApi {
  private final Regulations regulations;

  public RegulationsApi(Regulations regulations) {
    this.regulations = regulations;
  }

  /** Mounts the routes. */
  public void mount(ApiRoutes api) {
    api.get("/api/v1/regulations", Access.signedIn(), this::list);
    api.get("/api/v1/regulations/:id", Access.signedIn(), this::get);
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    regulations.packs().forEach(pack -> items.add(pack.toJson()));
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    regulations
        .pack(id)
        .map(RegulationPack::toJson)
        .ifPresentOrElse(
            json -> ApiErrors.json(ctx, 200, json),
            () -> ApiErrors.send(ctx, 404, "not_found", "no regulation pack " + id, "id"));
  }
}
