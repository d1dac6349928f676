package vn.lantern.gateway.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import vn.lantern.gateway.modbus.ModbusPoller;
import vn.lantern.gateway.store.ReadingQueue;
import vn.lantern.gateway.uplink.Uplink;

/**
 * {@code GET /health}: the gateway is up (200) and reports its uplink state, queue depth and age of
 * the oldest unsent reading, and each Modbus device's last success and error. An uplink outage is
 * not "unhealthy": buffering through it is the gateway's job. {@code GET /metrics}: Prometheus.
 */
public final class HealthApi {
  private final ReadingQueue queue;
  private final Uplink uplink;
  private final List<ModbusPoller> pollers;
  private final PrometheusMeterRegistry metrics;

  public HealthApi(
      ReadingQueue queue,
      Uplink uplink,
      List<ModbusPoller> pollers,
      PrometheusMeterRegistry metrics) {
    this.queue = queue;
    this.uplink = uplink;
    this.pollers = pollers;
    this.metrics = metrics;
  }

  public void mount(Router router) {
    router.get("/health").handler(ctx -> ctx.json(snapshot()));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
  }

  /** The health document. */
  public JsonObject snapshot() {
    long oldest = queue.oldestTimestampMs();
    JsonArray devices = new JsonArray();
    for (ModbusPoller p : pollers) {
      devices.add(
          new JsonObject()
              .put("id", p.deviceId())
              .put("lastSuccessMs", p.lastSuccessMs())
              .put("lastError", p.lastError()));
    }
    return new JsonObject()
        .put("status", "UP")
        .put("uplink", uplink.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("queueDepth", queue.depth())
        .put("queueDropped", queue.droppedCount())
        .put("oldestUnsentAgeMs", oldest < 0 ? 0 : Math.max(0, System.currentTimeMillis() - oldest))
        .put("devices", devices);
  }
}
