package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Readings that arrive after their window closed (a gateway draining its queue) still get KPI
 * history: the window they belong to is recomputed and stored when the next window closes.
 */
@ExtendWith(InfluxDbExtension.class)
class KpiBackfillTest {
  private static final long WINDOW_MS = 2000;
  private static final long HOUR = 3_600_000L;

  @Test
  void aBackfilledReadingGetsItsWindowsKpi(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(WINDOW_MS)
            .start()) {
      node.device("wl-late", "water_level", "hoi-an", "Trạm Hội An");
      MqttClient gauge = node.mqtt("wl-late");
      long measured = System.currentTimeMillis() - 2 * HOUR;
      try {
        TestNode.publish(gauge, measured, new JsonObject().put("level", 1.65));
      } finally {
        gauge.disconnect();
        gauge.close();
      }
      String query =
          "/api/v1/kpis/history?zone=hoi-an&kpi=river_level_max&from="
              + (measured - HOUR)
              + "&to="
              + (measured + HOUR);
      TestNode.awaitTrue(
          "the backfilled window's KPI is stored",
          Duration.ofSeconds(20),
          () -> {
            try {
              return !node.http("GET", query, null, node.admin())
                  .json()
                  .getJsonArray("points")
                  .isEmpty();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      JsonArray points = node.http("GET", query, null, node.admin()).json().getJsonArray("points");
      assertEquals(1.65, points.getJsonObject(0).getDouble("value"), 1e-9);
    }
  }
}
