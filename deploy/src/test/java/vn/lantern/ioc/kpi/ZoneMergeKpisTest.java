package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * After a zone merge on a running node, without a restart, the surviving zone's KPIs cover the
 * merged zone's devices, its open alerts and its custom KPI definitions.
 */
@ExtendWith(InfluxDbExtension.class)
class ZoneMergeKpisTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void theSurvivorsKpisCoverTheMergedZone(TestInflux influx) throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(1000)
            .start()) {
      for (String zone : new String[] {"km-old", "km-new"}) {
        TestNode.Response r =
            node.http(
                "POST",
                "/api/v1/zones",
                new JsonObject()
                    .put("id", zone)
                    .put("name", zone)
                    .put("kind", "ward")
                    .put("parent", "da-nang"),
                node.admin());
        assertEquals(201, r.status(), r.body());
      }
      node.device("km-old-meter", "energy", "km-old", "Trạm cũ");
      node.device("km-new-meter", "energy", "km-new", "Trạm mới");
      node.createRule(
          new JsonObject()
              .put("name", "meter draws too much")
              .put("scope", new JsonObject().put("zone", "km-old").put("type", "energy"))
              .put("metric", "power")
              .put(
                  "condition",
                  new JsonObject()
                      .put("type", "threshold")
                      .put("op", ">")
                      .put("value", 500)
                      .put("for", "0s"))
              .put("severity", "critical")
              .put("channels", new JsonArray())
              .put("enabled", true));
      TestNode.Response definition =
          node.http(
              "PUT",
              "/api/v1/kpis/definitions/km_power_max",
              new JsonObject()
                  .put("name", "km_power_max")
                  .put("metric", "power")
                  .put("aggregation", "max")
                  .put("window", "1h")
                  .put("scope", new JsonObject().put("type", "energy").put("zone", "km-old")),
              node.admin());
      assertTrue(definition.status() == 200 || definition.status() == 201, definition.body());

      MqttClient oldMeter = node.mqtt("km-old-meter");
      MqttClient newMeter = node.mqtt("km-new-meter");
      publishUntil(
          node,
          oldMeter,
          newMeter,
          () ->
              value(node, "km-old", "alerts_open_critical").orElse(0.0) == 1
                  && kpi(node, "km-old", "devices_online_pct", v -> v.getInteger("online") == 1));

      TestNode.Response merged =
          node.http(
              "POST",
              "/api/v1/zones/km-old/merge",
              new JsonObject().put("into", "km-new"),
              node.admin());
      assertEquals(200, merged.status(), merged.body());

      publishUntil(
          node,
          oldMeter,
          newMeter,
          () ->
              kpi(node, "km-new", "devices_online_pct", v -> v.getInteger("online") == 2)
                  && value(node, "km-new", "alerts_open_critical").orElse(0.0) == 1
                  && value(node, "km-new", "km_power_max").orElse(0.0) == 800);
      MqttTestClients.closeAll(oldMeter, newMeter);

      JsonObject online = item(node, "km-new", "devices_online_pct").orElseThrow();
      assertEquals(2, online.getInteger("devices"), online.encode());
      assertEquals(100.0, online.getDouble("value"));
      assertEquals(1, value(node, "km-new", "alerts_open_critical").orElseThrow());
      assertEquals(800, value(node, "km-new", "power_peak_kw").orElseThrow());
      assertEquals(800, value(node, "km-new", "km_power_max").orElseThrow());
    }
  }

  /** Both meters report (the old zone's above the rule's limit) until {@code done} holds. */
  private static void publishUntil(
      TestNode node,
      MqttClient oldMeter,
      MqttClient newMeter,
      java.util.function.BooleanSupplier done)
      throws Exception {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    double kwh = 1000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError(
            "timed out after " + WAIT + "; km-new: " + node.get("/api/v1/kpis?zone=km-new").body());
      }
      kwh += 1;
      TestNode.publish(
          oldMeter,
          System.currentTimeMillis(),
          new JsonObject().put("power", 800).put("energy", kwh));
      TestNode.publish(
          newMeter,
          System.currentTimeMillis(),
          new JsonObject().put("power", 20).put("energy", 50));
      Thread.sleep(300);
    }
  }

  private static boolean kpi(
      TestNode node, String zone, String kpi, Predicate<JsonObject> condition) {
    return item(node, zone, kpi).filter(condition).isPresent();
  }

  private static Optional<Double> value(TestNode node, String zone, String kpi) {
    return item(node, zone, kpi).map(i -> i.getDouble("value"));
  }

  private static Optional<JsonObject> item(TestNode node, String zone, String kpi) {
    TestNode.Response r =
        node.http("GET", "/api/v1/kpis?zone=" + zone + "&kpi=" + kpi, null, node.admin());
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("items").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getString("site") == null)
        .findFirst();
  }
}
