package vn.lantern.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** Acknowledging and resolving alerts, their events in InfluxDB, and a node restart. */
@ExtendWith(InfluxDbExtension.class)
class AlertLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static JsonObject rule(String device) {
    return new JsonObject(
        "{\"name\": \"level high "
            + device
            + "\", \"scope\": {\"zone\": \"tam-ky\", \"type\": \"water_level\", \"devices\": [\""
            + device
            + "\"]}, \"metric\": \"level\", \"condition\": {\"type\": \"threshold\", \"op\":"
            + " \">\", \"value\": 2.2, \"clear\": 2.1}, \"severity\": \"warning\"}");
  }

  private static JsonObject awaitOne(TestNode node, String query) throws InterruptedException {
    JsonObject[] found = new JsonObject[1];
    awaitTrue(
        "one alert for " + query,
        WAIT,
        () -> {
          try {
            JsonArray items = node.alerts(query);
            found[0] = items.size() == 1 ? items.getJsonObject(0) : null;
            return found[0] != null;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    return found[0];
  }

  @Test
  void ackTwiceIsHarmlessAndAResolvedAlertCannotBeAcked(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      node.device("tk-wl-1", "water_level", "tam-ky", "Tam Ky station");
      node.createRule(rule("tk-wl-1"));
      MqttClient mqtt = node.mqtt("tk-wl-1");
      publish(mqtt, "level", 2.5);
      String id = awaitOne(node, "?device=tk-wl-1&state=firing").getString("id");

      JsonObject comment = new JsonObject().put("comment", "team dispatched");
      TestNode.Response first =
          node.http("POST", "/api/v1/alerts/" + id + "/ack", comment, node.admin());
      assertEquals(200, first.status(), first.body());
      assertEquals("acknowledged", first.json().getString("state"));
      assertEquals("admin", first.json().getString("ackedBy"));
      TestNode.Response second =
          node.http("POST", "/api/v1/alerts/" + id + "/ack", null, node.admin());
      assertEquals(200, second.status());
      assertEquals(first.json().getLong("ackedAt"), second.json().getLong("ackedAt"));
      assertEquals("team dispatched", second.json().getString("ackComment"));

      publish(mqtt, "level", 2.0);
      awaitOne(node, "?device=tk-wl-1&state=resolved");
      TestNode.Response late =
          node.http("POST", "/api/v1/alerts/" + id + "/ack", null, node.admin());
      assertEquals(409, late.status(), late.body());
      assertEquals(404, node.http("POST", "/api/v1/alerts/nope/ack", null, node.admin()).status());

      List<Map<String, Object>> events =
          influx.awaitRows(
              "SELECT \"transition\", \"state\", \"value\" FROM \"alert_event\" WHERE"
                  + " \"device\" = 'tk-wl-1'",
              3,
              WAIT);
      assertEquals(
          List.of("fired", "acknowledged", "resolved"),
          events.stream().map(r -> r.get("transition")).toList());
      mqtt.disconnect();
    }
  }

  @Test
  void openAlertsSurviveARestartAndStillClear(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    String id;
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      node.device("tk-wl-2", "water_level", "tam-ky", "Tam Ky station");
      node.createRule(rule("tk-wl-2"));
      MqttClient mqtt = node.mqtt("tk-wl-2");
      publish(mqtt, "level", 2.6);
      id = awaitOne(node, "?device=tk-wl-2&state=firing").getString("id");
      mqtt.disconnect();
    }
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      JsonObject restored = awaitOne(node, "?device=tk-wl-2");
      assertEquals(id, restored.getString("id"));
      assertEquals("firing", restored.getString("state"));
      MqttClient mqtt = node.mqtt("tk-wl-2");
      publish(mqtt, "level", 2.15); // inside the hysteresis band: still open
      Thread.sleep(600);
      assertEquals("firing", awaitOne(node, "?device=tk-wl-2").getString("state"));
      publish(mqtt, "level", 1.9);
      awaitOne(node, "?device=tk-wl-2&state=resolved");
      assertEquals(1, node.alerts("?device=tk-wl-2").size(), "no second alert after restart");
      mqtt.disconnect();
    }
  }

  @Test
  void slidingWindowsAreRebuiltFromInfluxAfterARestart(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    JsonObject rule =
        new JsonObject(
            "{\"name\": \"pm hourly mean\", \"scope\": {\"zone\": \"tam-ky\", \"devices\":"
                + " [\"tk-aq-1\"]}, \"metric\": \"pm25\", \"condition\": {\"type\":"
                + " \"aggregate\", \"function\": \"avg\", \"window\": \"1h\", \"op\": \">\","
                + " \"value\": 50}}");
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      node.device("tk-aq-1", "air_quality", "tam-ky", "Tam Ky centre");
      node.createRule(rule);
      MqttClient mqtt = node.mqtt("tk-aq-1");
      publish(mqtt, "pm25", 10);
      publish(mqtt, "pm25", 10);
      mqtt.disconnect();
    }
    try (TestNode node =
        TestNode.builder(dataDir, influx).set("rules.seedRulePacks", false).start()) {
      Thread.sleep(1000); // the window is read back from InfluxDB in the background
      MqttClient mqtt = node.mqtt("tk-aq-1");
      publish(mqtt, "pm25", 80); // mean (10 + 10 + 80) / 3, not 80 alone
      Thread.sleep(600);
      assertEquals(0, node.alerts("?device=tk-aq-1").size(), "the mean includes earlier readings");
      publish(mqtt, "pm25", 150); // mean 62.5
      JsonObject alert = awaitOne(node, "?device=tk-aq-1&state=firing");
      assertEquals(62.5, alert.getDouble("value"), 1e-9);
      mqtt.disconnect();
    }
  }
}
