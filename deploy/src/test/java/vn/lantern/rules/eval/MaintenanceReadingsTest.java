package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
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
 * Readings an analyser took while calibrating or in fault (status 1/2, the station's or the
 * parameter's own) are ignored by the rules: a COD spike during calibration raises nothing, the
 * same value while measuring does.
 */
@ExtendWith(InfluxDbExtension.class)
class MaintenanceReadingsTest {
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node = TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static void publish(MqttClient mqtt, long ts, JsonObject metrics) throws Exception {
    mqtt.publish(
        "telemetry",
        new JsonObject().put("ts", ts).put("m", metrics).encode().getBytes(),
        1,
        false);
  }

  @Test
  void calibrationAndFaultReadingsDoNotRaiseAlerts() throws Exception {
    node.device("ww-cal", "wastewater", "hoi-an", "Trạm xử lý nước thải");
    node.createRule(
        new JsonObject(
            "{\"name\": \"COD above column B\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
                + " \"wastewater\", \"devices\": [\"ww-cal\"]}, \"condition\": {\"type\":"
                + " \"threshold\", \"metric\": \"cod\", \"op\": \">\", \"value\": 150},"
                + " \"severity\": \"critical\"}"));
    MqttClient mqtt = node.mqtt("ww-cal");
    long t = System.currentTimeMillis() - 60_000;
    try {
      publish(mqtt, t, new JsonObject().put("cod", 400).put("status", 1));
      publish(
          mqtt, t + 1000, new JsonObject().put("cod", 420).put("status", 0).put("status_cod", 2));
      Thread.sleep(1000);
      assertTrue(node.alerts("?device=ww-cal").isEmpty(), "calibration and fault are ignored");
      publish(mqtt, t + 2000, new JsonObject().put("cod", 410).put("status", 0));
      awaitTrue(
          "a measured exceedance fires",
          Duration.ofSeconds(10),
          () -> {
            try {
              return node.alerts("?device=ww-cal").size() == 1;
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      assertEquals(410.0, node.alerts("?device=ww-cal").getJsonObject(0).getDouble("value"));
    } finally {
      mqtt.disconnect();
    }
  }
}
