package vn.lantern.ingest.registry;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
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
    api.get("/api/v1/zones/:id", Access.signedIn(), this::getZone);
    api.put("/api/v1/zones/:id", admin, ctx -> putZone(ctx, ctx.pathParam("id")));
  }

  private void listDevices(RoutingContext ctx) {
    JsonArray items = new JsonArray();
    String zone = ctx.queryParams().get("zone");
    registry.devices().stream()
        .filter(d -> zone == null || zone.equals(d.zone()))
        .forEach(d -> items.add(d.toJson()));
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
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
    JsonArray items = new JsonArray();
    registry.zones().forEach(z -> items.add(z.toJson()));
    ApiErrors.json(ctx, 200, new JsonObject().put("items", items));
  }

  private void getZone(RoutingContext ctx) {
    registry
        .zone(ctx.pathParam("id"))
        .ifPresentOrElse(z -> ApiErrors.json(ctx, 200, z.toJson()), () -> notFound(ctx, "zone"));
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
              ApiErrors.json(ctx, created ? 201 : 200, registry.zone(id).orElseThrow().toJson());
            })
        .onFailure(e -> ApiErrors.fail(ctx, e));
  }

  private static void notFound(RoutingContext ctx, String what) {
    ApiErrors.send(
        ctx, 404, "not_found", what + " " + ctx.pathParam("id") + " is not registered", null);
  }
}
