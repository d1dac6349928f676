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
 * The shipped Decision 18/2021/QĐ-TTg pack: a rain gauge's rolling 24-hour total over MQTT raises
 * ONE alert that escalates at 100 / 200 mm and falls back as the rain leaves the 24-hour window.
 */
@ExtendWith(InfluxDbExtension.class)
class RainLevelsTest {
  private static final long HOUR = 3_600_000L;
  private static final String DEVICE = "tamky-rain-24h";

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
  void oneAlertPerGaugeFollowsTheTwentyFourHourTotal() throws Exception {
    SeededRuleAlerts alerts =
        SeededRuleAlerts.of(node, "tam-ky", "decision-18-2021-disaster-risk", DEVICE);
    node.device(DEVICE, "rain_gauge", "tam-ky", "Trạm đo mưa Tam Kỳ");
    long t = System.currentTimeMillis() - 30 * HOUR;
    MqttClient mqtt = node.mqtt(DEVICE);
    try {
      publish(mqtt, "rain", 60, t);
      publish(mqtt, "rain", 50, t + HOUR); // 110 mm in 24 h: level 1, once held 10 minutes
      publish(mqtt, "rain", 100, t + 2 * HOUR); // 210 mm: level 2
      alerts.awaitTransitions(1);
      // The next reading comes 25 h on. On the way there level 2 has held its 10 minutes, and as
      // the data clock passes t + 24 h the first 60 mm leave the window at that instant: 150 mm,
      // level 1 again.
      publish(mqtt, "rain", 0, t + 25 * HOUR);
      alerts.awaitTransitions(3);
      publish(mqtt, "rain", 0, t + 26 * HOUR + 60_000); // nothing left: resolved
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
            "rain Σ 24h = 110.0: Cấp độ 1 (≥ 100 mm/24 h)",
            "rain Σ 24h = 210.0: Cấp độ 2 (≥ 200 mm/24 h)",
            "rain Σ 24h = 150.0: Cấp độ 1 (≥ 100 mm/24 h)",
            "rain Σ 24h = 0.0: dưới / below Cấp độ 1 (≥ 100 mm/24 h)"),
        SeededRuleAlerts.each(transitions, "note"));
  }
}
