package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The shipped {@code vn-aqi} pack's zone-wide rule: two stations of Hội An report PM2.5 over MQTT
 * through a running node; the zone gets ONE alert on its worst station's hourly VN_AQI, naming that
 * station and the dominant pollutant, resolved when the zone is back below the bad band. AQI values
 * as worked by hand in {@code AqiNodeTest} and {@code AqiAlertsTest}.
 */
@ExtendWith(InfluxDbExtension.class)
class ZoneAqiAlertsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;
  private static final String ZONE_DEVICE = "zone:hoi-an";

  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node = TestNode.builder(dataDir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static JsonArray zoneAlerts() {
    return node.alerts("?zone=hoi-an&device=" + ZONE_DEVICE);
  }

  private static JsonArray transitions(JsonObject alert) {
    return node.http("GET", "/api/v1/alerts/" + alert.getString("id"), null, node.admin())
        .json()
        .getJsonArray("transitions");
  }

  private static void awaitTransitions(int count) throws InterruptedException {
    awaitTrue(
        "the zone's AQI alert has " + count + " transitions",
        WAIT,
        () -> {
          JsonArray alerts = zoneAlerts();
          return alerts.size() == 1 && transitions(alerts.getJsonObject(0)).size() == count;
        });
  }

  @Test
  void oneAlertPerZoneNamesTheWorstStation() throws Exception {
    node.device("hoian-aq-z1", "air_quality", "hoi-an", "Trạm Hội An 1");
    node.device("hoian-aq-z2", "air_quality", "hoi-an", "Trạm Hội An 2");
    long now = System.currentTimeMillis();
    long h0 = now - Math.floorMod(now, HOUR) - 5 * HOUR;
    MqttClient clean = node.mqtt("hoian-aq-z1");
    MqttClient dirty = node.mqtt("hoian-aq-z2");
    try {
      publish(clean, "pm25", 30, h0 + 30 * MIN);
      publish(clean, "pm25", 30, h0 + HOUR + 5 * MIN); // AQI about 60: moderate
      publish(dirty, "pm25", 60, h0 + 30 * MIN);
      publish(dirty, "pm25", 60, h0 + HOUR + 5 * MIN); // AQI 117: poor, below the zone's bands
      publish(dirty, "pm25", 200, h0 + HOUR + 20 * MIN); // the hour's mean 130: AQI 169, bad
      // the next hour's 20 → AQI 112: the bad band, held 10 minutes at h0 + 1h30m, is left
      publish(dirty, "pm25", 20, h0 + 2 * HOUR + 5 * MIN);
      awaitTransitions(2);
    } finally {
      for (MqttClient mqtt : List.of(clean, dirty)) {
        mqtt.disconnect();
        mqtt.close();
      }
    }
    JsonObject alert = zoneAlerts().getJsonObject(0);
    assertEquals("resolved", alert.getString("state"));
    assertEquals(
        "Zone air quality by the worst station's VN_AQI (bad > 150, very bad > 200, hazardous >"
            + " 300)",
        alert.getString("ruleName"));
    JsonArray transitions = transitions(alert);
    assertEquals(
        List.of("fired", "resolved"),
        transitions.stream().map(o -> ((JsonObject) o).getString("transition")).toList());
    assertEquals("warning", transitions.getJsonObject(0).getString("severity"));
    assertEquals(
        List.of(
            "VN_AQI 169: Xấu / Bad; trạm / station: Trạm Hội An 2; chất ô nhiễm chính / dominant"
                + " pollutant: PM2.5",
            "VN_AQI 112: Kém / Poor; trạm / station: Trạm Hội An 2; chất ô nhiễm chính / dominant"
                + " pollutant: PM2.5"),
        transitions.stream().map(o -> ((JsonObject) o).getString("note")).toList());
  }
}
