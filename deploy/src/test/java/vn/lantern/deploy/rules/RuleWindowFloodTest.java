package vn.lantern.deploy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.Metrics;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The reproduction against a running node: one air sensor floods a 1-hour sliding window
 * with 30,000 distinct past readings (60 messages of 500, newest first). Before, every reading cost
 * a pass over the whole window on the event loop the HTTP API shares, and the API stalled for
 * seconds. Now the window keeps its cap and counts the rest, evaluation runs on a thread of its own
 * rather than an event loop, and the API answers all along.
 */
@ExtendWith(InfluxDbExtension.class)
class RuleWindowFloodTest {
  private static final String DEVICE = "flood-aq-01";
  private static final String SECRET = "flood-aq-01-secret-0123456789";
  private static final int CAP = 1_000;

  @TempDir Path dataDir;

  @Test
  void aFloodOfPastReadingsKeepsTheWindowCapAndNeverStallsTheApi(TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .set("rules.windows.maxPointsPerWindow", CAP)
            .start()) {
      assertEquals(
          201,
          node.http(
                  "PUT",
                  "/api/v1/devices/" + DEVICE,
                  new JsonObject()
                      .put("type", "air_quality")
                      .put("zone", "hoi-an")
                      .put("site", "Old town")
                      .put("secret", SECRET))
              .status());
      TestNode.Response rule = node.http("POST", "/api/v1/rules", rule("1h"));
      assertEquals(201, rule.status(), rule.body());

      MqttClient client = new MqttClient(node.mqttUri(), DEVICE, new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setUserName(DEVICE);
      options.setPassword(SECRET.toCharArray());
      client.connect(options);
      long now = System.currentTimeMillis();
      try {
        for (int message = 0; message < 60; message++) {
          JsonArray batch = new JsonArray();
          for (int i = 0; i < 500; i++) {
            long ago = (message * 500L + i + 1) * 100;
            batch.add(
                new JsonObject().put("ts", now - ago).put("m", new JsonObject().put("pm25", 20)));
          }
          client.publish("telemetry", batch.encode().getBytes(), 1, false);
          // The API answers while the engine works through what has arrived.
          assertEquals(200, node.http("GET", "/api/v1/rules", null).status());
        }
      } finally {
        client.disconnect();
        client.close();
      }

      Metrics.await(node, "lantern_rules_readings_total", 30_000, Duration.ofSeconds(60));
      String scrape = node.http("GET", "/metrics", null).body();
      assertEquals(CAP, Metrics.value(scrape, "lantern_rules_window_points", ""), scrape);
      assertEquals(
          30_000 - CAP,
          Metrics.value(scrape, "lantern_rules_window_dropped_total", "reason=\"window_full\""));
      assertTrue(
          Thread.getAllStackTraces().keySet().stream()
              .anyMatch(t -> t.getName().startsWith("lantern-rules-engine")),
          "the engine evaluates on a thread of its own, not an event loop");
    }
  }

  @Test
  void aWindowLongerThanTheConfiguredMaximumIsRefusedNamingTheField(TestInflux influx)
      throws Exception {
    try (TestNode node = TestNode.builder(dataDir, influx).start()) {
      TestNode.Response huge = node.http("POST", "/api/v1/rules", rule("999999999d"));
      assertEquals(400, huge.status(), huge.body());
      assertEquals("condition.window", huge.json().getString("field"));
      TestNode.Response eightDays = node.http("POST", "/api/v1/rules", rule("8d"));
      assertEquals(400, eightDays.status(), eightDays.body());
      assertEquals("condition.window", eightDays.json().getString("field"));
      assertTrue(eightDays.json().getString("message").contains("7d"), eightDays.body());
      TestNode.Response sevenDays = node.http("POST", "/api/v1/rules", rule("7d"));
      assertEquals(201, sevenDays.status(), sevenDays.body());
    }
  }

  private static JsonObject rule(String window) {
    return new JsonObject(
        "{\"name\": \"flooded window\", \"scope\": {\"zone\": \"hoi-an\", \"type\":"
            + " \"air_quality\", \"devices\": [\""
            + DEVICE
            + "\"]}, \"metric\": \"pm25\", \"condition\": {\"type\": \"aggregate\","
            + " \"function\": \"avg\", \"window\": \""
            + window
            + "\", \"op\": \">\", \"value\": 1000}, \"severity\": \"warning\"}");
  }
}
