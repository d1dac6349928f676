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
 * A gauge's alarm levels as one {@code levels} rule: readings over MQTT through a running node give
 * ONE alert whose severity follows the river up through BĐ1–BĐ3 and back down, each transition
 * carrying the bulletin line in the official wording.
 */
@ExtendWith(InfluxDbExtension.class)
class FloodLevelsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String HOI_AN_LEVELS =
      "{\"type\": \"levels\", \"metric\": \"level\", \"hysteresis\": 0.1,"
          + " \"station\": {\"name\": \"Hội An\", \"river\": \"Thu Bồn\"},"
          + " \"levels\": [{\"name\": \"BĐ1\", \"value\": 1.0, \"severity\": \"info\"},"
          + " {\"name\": \"BĐ2\", \"value\": 1.5, \"severity\": \"warning\"},"
          + " {\"name\": \"BĐ3\", \"value\": 2.0, \"severity\": \"critical\"}]}";

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

  private static JsonObject rule(String device, String condition) {
    return new JsonObject(
        "{\"name\": \"Hội An alarm levels "
            + device
            + "\", \"scope\": {\"zone\": \"hoi-an\", \"type\": \"water_level\", \"devices\": [\""
            + device
            + "\"]}, \"condition\": "
            + condition
            + ", \"severity\": \"info\"}");
  }

  private static JsonArray transitions(String alertId) throws Exception {
    return node.http("GET", "/api/v1/alerts/" + alertId, null, node.admin())
        .json()
        .getJsonArray("transitions");
  }

  private static void awaitTransitions(String device, int count) throws Exception {
    awaitTrue(
        device + " has one alert with " + count + " transitions",
        WAIT,
        () -> {
          try {
            JsonArray alerts = node.alerts("?device=" + device);
            return alerts.size() == 1
                && transitions(alerts.getJsonObject(0).getString("id")).size() == count;
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  @Test
  void oneAlertEscalatesThroughTheAlarmLevelsAndFallsBack() throws Exception {
    node.device("hoian-wl-lv", "water_level", "hoi-an", "Trạm Hội An");
    node.createRule(rule("hoian-wl-lv", HOI_AN_LEVELS));
    MqttClient mqtt = node.mqtt("hoian-wl-lv");
    long t = System.currentTimeMillis() - 60_000;
    try {
      publish(mqtt, "level", 0.8, t);
      publish(mqtt, "level", 1.2, t + 1000);
      awaitTransitions("hoian-wl-lv", 1);
      publish(mqtt, "level", 1.7, t + 2000);
      awaitTransitions("hoian-wl-lv", 2);
      publish(mqtt, "level", 2.18, t + 3000);
      awaitTransitions("hoian-wl-lv", 3);
      publish(mqtt, "level", 1.95, t + 4000); // within the hysteresis: still BĐ3
      publish(mqtt, "level", 1.45, t + 5000); // below BĐ3 − 0.1, not below BĐ2 − 0.1
      awaitTransitions("hoian-wl-lv", 4);
      publish(mqtt, "level", 0.85, t + 6000);
      awaitTransitions("hoian-wl-lv", 5);
    } finally {
      mqtt.disconnect();
    }
    JsonObject alert = node.alerts("?device=hoian-wl-lv").getJsonObject(0);
    assertEquals("resolved", alert.getString("state"));
    JsonArray transitions = transitions(alert.getString("id"));
    assertEquals(
        List.of("fired", "escalated", "escalated", "deescalated", "resolved"),
        transitions.stream().map(o -> ((JsonObject) o).getString("transition")).toList());
    assertEquals(
        List.of("info", "warning", "critical", "warning", "warning"),
        transitions.stream().map(o -> ((JsonObject) o).getString("severity")).toList());
    assertEquals(
        List.of(
            "Mực nước sông Thu Bồn tại Hội An: 1,20 m, trên BĐ1 0,20 m",
            "Mực nước sông Thu Bồn tại Hội An: 1,70 m, trên BĐ2 0,20 m",
            "Mực nước sông Thu Bồn tại Hội An: 2,18 m, trên BĐ3 0,18 m",
            "Mực nước sông Thu Bồn tại Hội An: 1,45 m, trên BĐ1 0,45 m",
            "Mực nước sông Thu Bồn tại Hội An: 0,85 m, dưới BĐ1 0,15 m"),
        transitions.stream().map(o -> ((JsonObject) o).getString("note")).toList());
  }

  @Test
  void levelsAreValidatedWithTheFieldAtFault() throws Exception {
    String descending =
        "{\"type\": \"levels\", \"metric\": \"level\", \"levels\": ["
            + "{\"name\": \"BĐ1\", \"value\": 2.0, \"severity\": \"info\"},"
            + "{\"name\": \"BĐ2\", \"value\": 1.5, \"severity\": \"warning\"}]}";
    var response = node.http("POST", "/api/v1/rules", rule("x", descending), node.admin());
    assertEquals(400, response.status());
    assertEquals("condition.levels[1].value", response.json().getString("field"));
  }
}
