package vn.lantern.ingest.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import vn.lantern.common.build.BuildInfo;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * {@code /health}: liveness ({@code /health/live}: the process answers) and readiness ({@code
 * /health} and {@code /health/ready}: InfluxDB reachable and taking writes), with the build's
 * version and commit and each component's details. Other parts of the node add their own entries
 * with {@link #component}.
 */
public final class HealthApi {
  private final Vertx vertx;
  private final TelemetryStore store;
  private final Map<String, Supplier<JsonObject>> components = new ConcurrentHashMap<>();
  private final BuildInfo build = BuildInfo.current();

  public HealthApi(Vertx vertx, TelemetryStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /** Adds a component (e.g. an endpoint with its port) to the health report. */
  public void component(String name, Supplier<JsonObject> details) {
    components.put(name, details);
  }

  public void mount(Router router) {
    router
        .get("/health/live")
        .handler(ctx -> ApiErrors.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::health);
    router.get("/health").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    vertx
        .executeBlocking(store::ping, false)
        .onComplete(
            ping -> {
              // InfluxDB may answer its ping and still refuse writes, e.g. after a password change.
              String writeFailure = store.writeFailure();
              boolean influxUp = ping.succeeded() && ping.result() && writeFailure == null;
              JsonObject influx =
                  new JsonObject().put("status", influxUp ? "UP" : "DOWN").put("url", store.url());
              if (writeFailure != null) {
                influx.put("error", writeFailure);
              }
              JsonObject checks = new JsonObject();
              checks.put("influxdb", influx);
              components.forEach(
                  (name, details) -> checks.put(name, details.get().put("status", "UP")));
              JsonObject body =
                  new JsonObject()
                      .put("status", influxUp ? "UP" : "DOWN")
                      .put("version", build.version())
                      .put("commit", build.commit())
                      .put("checks", checks);
              ApiErrors.json(ctx, influxUp ? 200 : 503, body);
            });
  }
}
