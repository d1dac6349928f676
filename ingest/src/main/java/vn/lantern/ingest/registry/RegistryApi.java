package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;
import vn.lantern.auth.Access;
import vn.lantern.auth.ApiRoutes;
import vn.lantern.auth.Role;
import vn.lantern.auth.audit.AuditLog;
import vn.lantern.common.http.ApiErrors;

/**
 * HTTP API of the device registry: {@code /api/v1/devices} and {@code /api/v1/zones}.
 *
 * <p>{@code POST /devices} creates (409 if the id exists); {@code PUT /devices/{id}} creates or
 * replaces, which makes provisioning idempotent. A device body may carry a {@code secret} (MQTT and
 * plain CoAP credentials) and a {@code psk} (CoAP over DTLS); neither is ever returned, only {@code
 * hasSecret} and {@code hasPsk}.
 *
 * <p>Zones are renamed and re-parented with {@code PUT /zones/{id}} (the id never changes) and
 * merged with {@code POST /zones/{id}/merge} (everything referring to the zone follows, in one
 * transaction, audited in it; the old id stays an alias).
 */
public final class RegistryApi {
  /** Device fields whose change replaces a credential (audited by name, never by value). */
  private static final List<String> CREDENTIALS = List.of("secret", "psk", "certSha256");

  private final DeviceRegistry registry;
  private final AuditLog audit;

  /**
   * @param audit records device registrations, changes and deletions
   */
  public RegistryApi(DeviceRegistry registry, AuditLog audit) {
    this.registry = registry;
    this.audit = audit;
  }

  /**
   * Mounts the routes; the router must already parse bodies. Devices are for admins; any signed-in
   * user may read zones.
   */
  public void mount(ApiRoutes api) {
    Access admin = Access.role(Role.ADMIN);
    api.get("/api/v1/devices", admin, this::listDevices);
    api.post("/api/v1/devices", admin, this::createDevice);
    api.get("/api/v1/devices/:id", admin, this::getDevice);
    api.put("/api/v1/devices/:id", admin, this::putDevice);
    api.delete("/api/v1/devices/:id", admin, this::deleteDevice);
    api.get("/api/v1/zones", Access.signedIn(), this::listZones);
    api.post("/api/v1/zones", admin, ctx -> putZone(ctx, null));
    // Before /zones/:id, which would take "geojson" for a zone id (an id it refuses).
    api.get("/api/v1/zones/geojson", Access.signedIn(), this::zonesGeoJson);
    api.put("/api/v1/zones/geojson", admin, this::putZonesGeoJson);
    api.get("/api/v1/zones/:id", Access.signedIn(), this::getZone);
    api.put("/api/v1/zones/:id", admin, ctx -> putZone(ctx, ctx.pathParam("id")));
    api.post("/api/v1/zones/:id/merge", admin, this::mergeZone);
  }

  private void listDevices(RoutingContext ctx) {
    // a merge under way answers once memory shows it, never the list the store has left behind
    registry
        .mergesFollowed()
        .onComplete(
            merged -> {
              JsonArray items = new JsonArray();
              String zone = ctx.queryParams().get("zone");
              registry.devices().stream()
                  .filter(d -> zone == null || zone.equals(d.zone()))
                  .forEach(d -> items.add(d.toJson()));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            });
  }

  private void getDevice(RoutingContext ctx) {
    registry
        .device(ctx.pathParam("id"))
        .ifPresentOrElse(d -> ApiErrors.json(ctx, 200, d.toJson()), () -> notFound(ctx, "device"));
  }

  private void createDevice(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object id = body.getValue("id");
    if (id instanceof String existing && registry.device(existing).isPresent()) {
      ApiErrors.send(ctx, 409, "conflict", "device " + existing + " exists; PUT replaces it", "id");
      return;
    }
    saveDevice(ctx, body);
  }

  private void putDevice(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    Object id = body.getValue("id");
    if (id != null && !ctx.pathParam("id").equals(id)) {
      ApiErrors.send(ctx, 400, "invalid_field", "id must match the URL", "id");
      return;
    }
    saveDevice(ctx, body.copy().put("id", ctx.pathParam("id")));
  }

  private void saveDevice(RoutingContext ctx, JsonObject body) {
    registry
        .putDevice(body)
        .onSuccess(
            created -> {
              Device device = registry.device(body.getString("id")).orElseThrow();
              List<String> credentials = CREDENTIALS.stream().filter(body::containsKey).toList();
              audit.record(
                  ctx,
                  created ? "device.create" : "device.update",
                  device.id(),
                  true,
                  "zone="
                      + device.zone()
                      + (device.disabled() ? " disabled" : "")
                      + (credentials.isEmpty()
                          ? ""
                          : " credentials=" + String.join(",", credentials)));
              ApiErrors.json(ctx, created ? 201 : 200, device.toJson());
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void deleteDevice(RoutingContext ctx) {
    registry
        .deleteDevice(ctx.pathParam("id"))
        .onSuccess(
            deleted -> {
              if (deleted) {
                audit.record(ctx, "device.delete", ctx.pathParam("id"), true, null);
                ctx.response().setStatusCode(204).end();
              } else {
                notFound(ctx, "device");
              }
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void listZones(RoutingContext ctx) {
    registry
        .mergesFollowed()
        .onComplete(
            merged -> {
              JsonArray items = new JsonArray();
              registry.zones().forEach(z -> items.add(zoneJson(z)));
              ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
            });
  }

  /** A zone as the API shows it: with the ids merged into it, so old data can be found. */
  private JsonObject zoneJson(Zone zone) {
    JsonObject json = zone.toJson();
    List<String> aliases = registry.aliasesOf(zone.id());
    if (!aliases.isEmpty()) {
      json.put("aliases", new JsonArray(aliases));
    }
    return json;
  }

  private void getZone(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    Optional<Zone> zone = registry.zone(id);
    if (zone.isEmpty() && registry.aliases().containsKey(id)) {
      // A merged-away id answers with the zone it now belongs to.
      zone = registry.zone(registry.aliases().get(id));
    }
    zone.ifPresentOrElse(z -> ApiErrors.json(ctx, 200, zoneJson(z)), () -> notFound(ctx, "zone"));
  }

  private void zonesGeoJson(RoutingContext ctx) {
    registry
        .zonesGeoJson()
        .onSuccess(
            collection -> {
              ctx.response().putHeader("Content-Type", "application/geo+json; charset=utf-8");
              ctx.response().end(collection.encode());
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void putZonesGeoJson(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    int features = body.getValue("features") instanceof JsonArray a ? a.size() : 0;
    registry
        .putZonesGeoJson(
            body, audit.inTransaction(ctx, "zone.boundaries", "geojson", "features=" + features))
        .compose(stored -> registry.zonesGeoJson())
        .onSuccess(
            collection -> {
              ctx.response().putHeader("Content-Type", "application/geo+json; charset=utf-8");
              ctx.response().end(collection.encode());
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void mergeZone(RoutingContext ctx) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    String from = ctx.pathParam("id");
    if (registry.zone(from).isEmpty()) {
      notFound(ctx, "zone");
      return;
    }
    String into = body.getValue("into") instanceof String s ? s : null;
    registry
        .mergeZone(from, into, audit.inTransaction(ctx, "zone.merge", from, "into=" + into))
        .onSuccess(
            moved -> {
              JsonObject answer = zoneJson(registry.zone(into).orElseThrow());
              ApiErrors.json(ctx, 200, answer.put("movedDevices", new JsonArray(moved)));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private void putZone(RoutingContext ctx, String pathId) {
    JsonObject body = ApiErrors.jsonBody(ctx);
    if (body == null) {
      return;
    }
    if (pathId == null
        && body.getValue("id") instanceof String id
        && registry.zone(id).isPresent()) {
      ApiErrors.send(ctx, 409, "conflict", "zone " + id + " exists; PUT replaces it", "id");
      return;
    }
    registry
        .putZone(pathId, body)
        .onSuccess(
            created -> {
              String id = pathId != null ? pathId : body.getString("id");
              Zone zone = registry.zone(id).orElseThrow();
              audit.record(
                  ctx,
                  created ? "zone.create" : "zone.update",
                  id,
                  true,
                  "name=" + zone.name() + " parent=" + zone.parent());
              ApiErrors.json(ctx, created ? 201 : 200, zoneJson(zone));
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private static void notFound(RoutingContext ctx, String what) {
    ApiErrors.send(
        ctx, 404, "not_found", what + " " + ctx.pathParam("id") + " is not registered", null);
  }
}
