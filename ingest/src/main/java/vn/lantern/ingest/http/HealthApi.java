package vn.lantern.ingest.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import vn.lantern.common.build.BuildInfo;
import vn.lantern.common.http.ApiErrors;
import vn.lantern.ingest.store.TelemetryStore;

/**
 * {@code /health}: liveness ({@code /health/live}: the process answers) and readiness ({@code
 * /health} and {@code /health/ready}: InfluxDB reachable and taking writes), with the build's
 * version and commit and each component's details. Other parts of the node add their own entries
 * with {@link #component}; a component reporting a {@code status} other than {@code UP} makes the
 * node not ready, unless it was declared {@linkplain #informational informational}: then it is
 * reported with {@code "affectsReadiness": false} and never fails the check.
 *
 * <p>The endpoint needs no credentials (load balancers and orchestrators call it), so it shows no
 * addresses, and however often it is called it runs one InfluxDB ping at a time, on a thread of its
 * own (requests that arrive meanwhile share it): a flood of health checks can neither flood
 * InfluxDB nor hold up device authentication.
 */
public final class HealthApi implements AutoCloseable {
  private final TelemetryStore store;
  private final WorkerExecutor pinger;

  /** The name of InfluxDB's check. */
  public static final String INFLUXDB = "influxdb";

  private final Map<String, Supplier<JsonObject>> components = new ConcurrentHashMap<>();
  private final Set<String> informational = ConcurrentHashMap.newKeySet();
  private Future<Boolean> lastPing;
  private final BuildInfo build = BuildInfo.current();

  public HealthApi(Vertx vertx, TelemetryStore store) {
    this.store = store;
    this.pinger = vertx.createSharedWorkerExecutor("lantern-health", 1);
  }

  /**
   * Adds a component (e.g. an endpoint with its port) to the health report; its details may carry a
   * {@code status} ({@code UP} when absent).
   */
  public void component(String name, Supplier<JsonObject> details) {
    components.put(name, details);
  }

  /**
   * Reports {@code name} ({@code influxdb} or a component's name) without letting its status make
   * the node unready: e.g. InfluxDB on a node that acknowledges once Kafka holds the readings,
   * whose writes are a writer group's business.
   */
  public void informational(String name) {
    informational.add(name);
  }

  public void mount(Router router) {
    router
        .get("/health/live")
        .handler(ctx -> ApiErrors.json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/health/ready").handler(this::health);
    router.get("/health").handler(this::health);
  }

  /** The ping in flight, shared by every request that arrives while it runs. */
  private synchronized Future<Boolean> ping() {
    if (lastPing == null || lastPing.isComplete()) {
      lastPing = pinger.executeBlocking(store::ping, false);
    }
    return lastPing;
  }

  private void health(RoutingContext ctx) {
    ping()
        .onComplete(
            ping -> {
              // InfluxDB may answer its ping and still refuse writes, e.g. after a password change.
              String writeFailure = store.writeFailure();
              boolean influxUp = ping.succeeded() && ping.result() && writeFailure == null;
              JsonObject influx = new JsonObject().put("status", influxUp ? "UP" : "DOWN");
              if (writeFailure != null) {
                influx.put("error", writeFailure);
              }
              JsonObject checks = new JsonObject();
              boolean up = check(checks, INFLUXDB, influx);
              for (Map.Entry<String, Supplier<JsonObject>> component : components.entrySet()) {
                JsonObject details = component.getValue().get();
                if (!details.containsKey("status")) {
                  details.put("status", "UP");
                }
                up &= check(checks, component.getKey(), details);
              }
              JsonObject body =
                  new JsonObject()
                      .put("status", up ? "UP" : "DOWN")
                      .put("version", build.version())
                      .put("commit", build.commit())
                      .put("checks", checks);
              ApiErrors.json(ctx, up ? 200 : 503, body);
            });
  }

  /**
   * Adds one check to the report.
   *
   * @return whether it leaves the node ready
   */
  private boolean check(JsonObject checks, String name, JsonObject details) {
    checks.put(name, details);
    if (informational.contains(name)) {
      details.put("affectsReadiness", false);
      return true;
    }
    return "UP".equals(details.getString("status"));
  }

  @Override
  public void close() {
    pinger.close();
  }
}
