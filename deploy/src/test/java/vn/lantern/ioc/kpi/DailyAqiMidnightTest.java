package vn.lantern.ioc.kpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The daily AQI across local midnight on a running node: provisional with its hour count while the
 * day is in progress, then the window ending at midnight carries the finished day's final value,
 * pushed and stored once, so it stays queryable after the day changed. "Today" is counted in a time
 * zone whose midnight falls a few seconds after the node started.
 */
@ExtendWith(InfluxDbExtension.class)
class DailyAqiMidnightTest {
  private static final long WINDOW_MS = 2000;
  private static final long HOUR = 3_600_000L;
  private static final String ZONE = "hoi-an";
  private static final String SITE = "Công viên";

  @TempDir Path dataDir;

  @Test
  void theFinishedDaysFinalValueIsPublishedAtMidnightAndStaysQueryable(TestInflux influx)
      throws Exception {
    long now = System.currentTimeMillis();
    long midnight = now - Math.floorMod(now, WINDOW_MS) + 60_000;
    int offset = (int) Math.floorMod(-midnight / 1000, 86_400L);
    ZoneOffset zone = ZoneOffset.ofTotalSeconds(offset > 43_200 ? offset - 86_400 : offset);
    Map<Long, KpiSnapshot> windows = new ConcurrentHashMap<>();
    CompletableFuture<KpiSnapshot> atMidnight = new CompletableFuture<>();
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .fastKpis(WINDOW_MS)
            .set("kpis.timeZone", zone.getId())
            .start()) {
      node.node()
          .kpis()
          .engine()
          .onWindow(
              s -> {
                windows.put(s.windowEnd(), s);
                if (s.windowEnd() == midnight) {
                  atMidnight.complete(s);
                }
              });
      node.device("air-1", "air_quality", ZONE, SITE);
      MqttClient air = node.mqtt("air-1");
      try {
        // PM2.5 40 µg/m³ in the hour before and in this one: the day's mean 40 → AQI 80, 2 hours.
        long hour = now - Math.floorMod(now, HOUR);
        TestNode.publish(air, "pm25", 40, hour - HOUR + 60_000);
        TestNode.publish(air, "pm25", 40, System.currentTimeMillis());
      } finally {
        air.disconnect();
      }
      assertTrue(System.currentTimeMillis() < midnight - 3 * WINDOW_MS, "set up before midnight");

      KpiSnapshot last = atMidnight.get(90, TimeUnit.SECONDS);
      KpiValue dayBefore = daily(windows.get(midnight - WINDOW_MS), SITE);
      assertEquals(80, dayBefore.value());
      assertEquals(true, dayBefore.attributes().get("provisional"), "the day is in progress");
      assertEquals(2, dayBefore.attributes().get("hours"));

      for (String site : new String[] {SITE, null}) {
        KpiValue finalValue = daily(last, site);
        assertEquals(80, finalValue.value());
        assertEquals(false, finalValue.attributes().get("provisional"), "the day is over");
        assertEquals(2, finalValue.attributes().get("hours"));
      }

      // The IOC push's body carries both fields.
      JsonObject pushed =
          last.toJson().getJsonArray("items").stream()
              .map(JsonObject.class::cast)
              .filter(i -> i.getString("kpi").equals("aqi_daily") && !i.containsKey("site"))
              .findFirst()
              .orElseThrow();
      assertEquals(false, pushed.getBoolean("provisional"), pushed.encode());
      assertEquals(2, pushed.getInteger("hours"), pushed.encode());

      // Stored at midnight as final, and in the history after the day changed.
      List<Map<String, Object>> stored =
          influx.awaitRows(
              "SELECT \"value\", \"provisional\", \"hours\" FROM kpi WHERE kpi = 'aqi_daily'"
                  + " AND site = '"
                  + SITE
                  + "' AND time = "
                  + midnight
                  + "ms",
              1,
              Duration.ofSeconds(10));
      assertEquals(80.0, ((Number) stored.get(0).get("value")).doubleValue());
      assertEquals(false, stored.get(0).get("provisional"));
      assertEquals(2.0, ((Number) stored.get(0).get("hours")).doubleValue());
      TestNode.Response history =
          node.http(
              "GET",
              "/api/v1/kpis/history?zone="
                  + ZONE
                  + "&kpi=aqi_daily&from="
                  + midnight
                  + "&to="
                  + (midnight + WINDOW_MS)
                  + "&resolution=2s",
              null,
              node.admin());
      assertEquals(200, history.status(), history.body());
      JsonArray points = history.json().getJsonArray("points");
      assertEquals(1, points.size(), points.encodePrettily());
      JsonObject point = points.getJsonObject(0);
      assertEquals(midnight, point.getLong("ts"));
      assertEquals(80.0, point.getDouble("value"));
    }
  }

  private static KpiValue daily(KpiSnapshot snapshot, String site) {
    assertTrue(snapshot != null, "no window snapshot");
    return snapshot.values().stream()
        .filter(v -> v.kpi().equals(KpiNames.AQI_DAILY) && java.util.Objects.equals(v.site(), site))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no aqi_daily of " + site + ": " + snapshot));
  }
}
