package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
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
 * The shipped {@code vn-aqi} pack alerts on the computed hourly VN_AQI: PM2.5 readings over MQTT
 * through a running node give ONE alert per station whose severity follows the AQI band up and back
 * down, each transition naming the band and the dominant pollutant. Values are worked by hand in
 * {@code AqiNodeTest}; readings lie a few hours back so the hours are complete.
 */
@ExtendWith(InfluxDbExtension.class)
class AqiAlertsTest {
  private static final long MIN = 60_000;
  private static final long HOUR = 60 * MIN;
  private static final String DEVICE = "hoian-aq-aqi";

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

  @Test
  void oneAlertPerStationFollowsTheAqiBands() throws Exception {
    SeededRuleAlerts alerts = SeededRuleAlerts.of(node, "hoi-an", "vn-aqi", DEVICE);
    assertEquals("aqi", alerts.rule().getJsonObject("condition").getString("type"));
    node.device(DEVICE, "air_quality", "hoi-an", "Trạm quan trắc Hội An");
    long now = System.currentTimeMillis();
    long h0 = now - Math.floorMod(now, HOUR) - 5 * HOUR;
    MqttClient mqtt = node.mqtt(DEVICE);
    try {
      publish(mqtt, "pm25", 60, h0 + 30 * MIN);
      // Hours 60, 60 → AQI 117 (poor), held 10 minutes by the next reading → info.
      publish(mqtt, "pm25", 60, h0 + HOUR + 5 * MIN);
      // The hour's mean 130 → AQI 169 (bad), held 10 minutes by the next reading → warning.
      publish(mqtt, "pm25", 200, h0 + HOUR + 20 * MIN);
      alerts.awaitTransitions(1);
      // Next hour 20 → AQI 112 (poor again) → info.
      publish(mqtt, "pm25", 20, h0 + 2 * HOUR + 5 * MIN);
      alerts.awaitTransitions(3);
      // Then 5 → AQI 59 → resolved.
      publish(mqtt, "pm25", 5, h0 + 3 * HOUR + 5 * MIN);
      alerts.awaitTransitions(4);
    } finally {
      mqtt.disconnect();
      mqtt.close();
    }
    JsonObject alert = alerts.alert();
    assertNotNull(alert);
    assertEquals("resolved", alert.getString("state"));
    JsonArray transitions = alerts.transitions(alert.getString("id"));
    assertEquals(
        List.of("fired", "escalated", "deescalated", "resolved"),
        SeededRuleAlerts.each(transitions, "transition"));
    assertEquals(
        List.of("info", "warning", "info", "info"), SeededRuleAlerts.each(transitions, "severity"));
    assertEquals(
        List.of(
            "VN_AQI 117: Kém / Poor; chất ô nhiễm chính / dominant pollutant: PM2.5",
            "VN_AQI 169: Xấu / Bad; chất ô nhiễm chính / dominant pollutant: PM2.5",
            "VN_AQI 112: Kém / Poor; chất ô nhiễm chính / dominant pollutant: PM2.5",
            "VN_AQI 59: Trung bình / Moderate; chất ô nhiễm chính / dominant pollutant: PM2.5"),
        SeededRuleAlerts.each(transitions, "note"));
  }
}
