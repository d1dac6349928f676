package vn.lantern.rules.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Collection;
import java.util.function.Supplier;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.rules.regulation.RegulationPack;
import vn.lantern.rules.regulation.Regulations;
import vn.lantern.rules.rule.Rule;

/**
 * {@code /api/v1/regulations}: the regulation packs in force on this node, with their versions,
 * effective dates, thresholds, stations and citations. Read-only; any signed-in user (the law is
 * public). A pack changes by replacing its file in the data directory and restarting. Each pack
 * lists its {@code divergedRules}: rules seeded from an older version that an operator edited, so
 * the restart left them as they were.
 */
public final class RegulationsApi {
  private final Regulations regulations;
  private final Supplier<Collection<Rule>> rules;

  public RegulationsApi(Regulations regulations, Supplier<Collection<Rule>> rules) {
    this.regulations = regulations;
    this.rules = rules;
  }

  /** Mounts the routes. */
  public void mount(ApiRoutes api) {
    api.get("/api/v1/regulations", Access.signedIn(), this::list);
    api.get("/api/v1/regulations/:id", Access.signedIn(), this::get);
  }

  private void list(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    regulations.packs().forEach(pack -> items.add(withDiverged(pack)));
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
  }

  private void get(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    regulations
        .pack(id)
        .map(this::withDiverged)
        .ifPresentOrElse(
            json -> ApiErrors.json(ctx, 200, json),
            () -> ApiErrors.send(ctx, 404, "not_found", "no regulation pack " + id, "id"));
  }

  private JsonObject withDiverged(RegulationPack pack) {
    JsonArray diverged = new JsonArray();
    for (Rule rule : rules.get()) {
      if (rule.source() != null
          && rule.source().pack().equals(pack.id())
          && rule.source().version() < pack.version()) {
        diverged.add(
            new JsonObject()
                .put("id", rule.id())
                .put("name", rule.name())
                .put("zone", rule.scope().zone())
                .put("packVersion", rule.source().version()));
      }
    }
    return pack.toJson().put("divergedRules", diverged);
  }
}
