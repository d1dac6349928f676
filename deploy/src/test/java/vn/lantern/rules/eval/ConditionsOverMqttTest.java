package vn.lantern.rules.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.awaitTrue;
import static vn.lantern.deploy.testing.TestNode.publish;

import io.vertx.core.json.JsonArray;
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
 * Every condition type end to end: readings published over MQTT into a running node, through the
 * ingest pipeline and InfluxDB, onto the bus, into the engine, out as alerts in the API.
 */
@ExtendWith(InfluxDbExtension.class)
class ConditionsOverMqttTest {
  private static final long TICK_MS = 200;
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir static Path dataDir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.tickMs", TICK_MS)
            .set("rules.seedRulePacks", false)
            .start();
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
  }

  private static JsonObject rule(String device, String type, String condition, String extra) {
    return new JsonObject(
        "{\"name\": \"test "
            + device
            + "\", \"scope\": {\"zone\": \"hoi-an\", \"type\": \""
            + type
            + "\", \"devices\": [\""
            + device
            + "\"]}, \"condition\": "
            + condition
            + ", \"severity\": \"warning\""
            + extra
            + "}");
  }

  private static JsonArray alerts(String device) throws Exception {
    return node.alerts("?device=" + device);
  }

  private static JsonObject only(String device) throws Exception {
    JsonArray list = alerts(device);
    assertEquals(1, list.size(), list.encodePrettily());
    return list.getJsonObject(0);
  }

  private static void awaitState(String device, String state) throws InterruptedException {
    awaitTrue(
        device + " has one alert in state " + state,
        WAIT,
        () -> {
          try {
            JsonArray list = alerts(device);
            return list.size() == 1 && state.equals(list.getJsonObject(0).getString("state"));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }

  /** Waits long enough for a published reading to have been evaluated (it was stored already). */
  private static void settle() throws InterruptedException {
    Thread.sleep(3 * TICK_MS);
  }

  @Test
  void thresholdBoundaryAndHysteresis() throws Exception {
    node.device("wl-hys", "water_level", "hoi-an", "Hoi An station");
    node.createRule(
        rule(
            "wl-hys",
            "water_level",
            "{\"type\": \"threshold\", \"metric\": \"level\", \"op\": \">\", \"value\": 1.5,"
                + " \"clear\": 1.4}",
            ""));
    MqttClient mqtt = node.mqtt("wl-hys");
    try {
      publish(mqtt, "level", 1.5);
      settle();
      assertTrue(alerts("wl-hys").isEmpty(), "exactly at the limit does not fire for >");
      publish(mqtt, "level", 1.51);
      awaitState("wl-hys", "firing");
      assertEquals(1.51, only("wl-hys").getDouble("value"));
      publish(mqtt, "level", 1.45);
      settle();
      assertEquals("firing", only("wl-hys").getString("state"), "inside the hysteresis band");
      publish(mqtt, "level", 1.4);
      awaitState("wl-hys", "resolved");
      assertEquals("system", only("wl-hys").getString("resolvedBy"));
    } finally {
      mqtt.disconnect();
    }
  }

  @Test
  void thresholdMustHoldForItsDuration() throws Exception {
    node.device("wl-for", "water_level", "hoi-an", "Hoi An station");
    node.createRule(
        rule(
            "wl-for",
            "water_level",
            "{\"type\": \"threshold\", \"metric\": \"level\", \"op\": \">=\", \"value\": 2.0,"
                + " \"for\": \"2s\"}",
            ""));
    MqttClient mqtt = node.mqtt("wl-for");
    try {
      long sent = System.currentTimeMillis();
      publish(mqtt, "level", 2.0);
      settle();
      assertTrue(alerts("wl-for").isEmpty(), "not before its 'for' duration");
      awaitState("wl-for", "firing");
      long since = only("wl-for").getLong("since");
      assertTrue(since - sent >= 1900, "fired after " + (since - sent) + " ms");
      publish(mqtt, "level", 1.0);
      awaitState("wl-for", "resolved");
    } finally {
      mqtt.disconnect();
    }
  }

  @Test
  void rateOfChange() throws Exception {
    node.device("wl-rate", "water_level", "hoi-an", "Hoi An station");
    node.createRule(
        rule(
            "wl-rate",
            "water_level",
            "{\"type\": \"rate\", \"metric\": \"level\", \"op\": \">\", \"value\": 0.5,"
                + " \"per\": \"1m\"}",
            ""));
    MqttClient mqtt = node.mqtt("wl-rate");
    try {
      long t = System.currentTimeMillis() - 120_000;
      publish(mqtt, "level", 1.0, t);
      publish(mqtt, "level", 1.2, t + 30_000); // 0.4 per minute
      settle();
      assertTrue(alerts("wl-rate").isEmpty());
      publish(mqtt, "level", 2.0, t + 60_000); // 1.6 per minute
      awaitState("wl-rate", "firing");
      publish(mqtt, "level", 2.0, t + 90_000); // steady
      awaitState("wl-rate", "resolved");
    } finally {
      mqtt.disconnect();
    }
  }

  @Test
  void slidingAverageClearsWhenTheWindowEmpties() throws Exception {
    node.device("aq-avg", "air_quality", "hoi-an", "Old town");
    node.createRule(
        rule(
            "aq-avg",
            "air_quality",
            "{\"type\": \"aggregate\", \"metric\": \"pm25\", \"function\": \"avg\","
                + " \"window\": \"2s\", \"op\": \">\", \"value\": 50}",
            ""));
    MqttClient mqtt = node.mqtt("aq-avg");
    try {
      publish(mqtt, "pm25", 30);
      settle();
      assertTrue(alerts("aq-avg").isEmpty());
      publish(mqtt, "pm25", 80); // mean 55
      awaitState("aq-avg", "firing");
      assertEquals(55.0, only("aq-avg").getDouble("value"), 1e-9);
      awaitState("aq-avg", "resolved"); // nothing new: the window empties on the tick
    } finally {
      mqtt.disconnect();
    }
  }

  @Test
  void allAndAnyCombineConditions() throws Exception {
    node.device("we-all", "weather", "hoi-an", "Old town");
    node.createRule(
        rule(
            "we-all",
            "weather",
            "{\"type\": \"all\", \"conditions\": ["
                + "{\"type\": \"threshold\", \"metric\": \"temperature\", \"op\": \">\","
                + " \"value\": 30},"
                + "{\"type\": \"threshold\", \"metric\": \"humidity\", \"op\": \">\","
                + " \"value\": 80}]}",
            ""));
    node.device("ww-any", "wastewater", "hoi-an", "Outlet 1");
    node.createRule(
        rule(
            "ww-any",
            "wastewater",
            "{\"type\": \"any\", \"conditions\": ["
                + "{\"type\": \"threshold\", \"metric\": \"cod\", \"op\": \">\", \"value\": 150},"
                + "{\"type\": \"threshold\", \"metric\": \"ph\", \"op\": \"outside\","
                + " \"value\": [5.5, 9]}]}",
            ""));
    MqttClient weather = node.mqtt("we-all");
    MqttClient outlet = node.mqtt("ww-any");
    try {
      publish(weather, "temperature", 31);
      publish(outlet, "cod", 120);
      publish(outlet, "ph", 7);
      settle();
      assertTrue(alerts("we-all").isEmpty(), "one of two is not all");
      assertTrue(alerts("ww-any").isEmpty(), "none of two is not any");
      publish(weather, "humidity", 85);
      publish(outlet, "ph", 5.4);
      awaitState("we-all", "firing");
      awaitState("ww-any", "firing");
      publish(weather, "humidity", 70);
      publish(outlet, "ph", 6.0);
      awaitState("we-all", "resolved");
      awaitState("ww-any", "resolved");
    } finally {
      weather.disconnect();
      outlet.disconnect();
    }
  }

  @Test
  void escalationAndRenotifyWhileUnacknowledged() throws Exception {
    node.device("wl-esc", "water_level", "hoi-an", "Hoi An station");
    node.createRule(
        rule(
            "wl-esc",
            "water_level",
            "{\"type\": \"threshold\", \"metric\": \"level\", \"op\": \">\", \"value\": 3}",
            ", \"escalation\": [{\"after\": \"1s\", \"severity\": \"critical\"}],"
                + " \"renotify\": \"1s\""));
    MqttClient mqtt = node.mqtt("wl-esc");
    try {
      publish(mqtt, "level", 3.2);
      awaitState("wl-esc", "firing");
      assertEquals("warning", only("wl-esc").getString("severity"));
      awaitTrue(
          "escalated to critical",
          WAIT,
          () -> {
            try {
              return "critical".equals(only("wl-esc").getString("severity"));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
      String id = only("wl-esc").getString("id");
      JsonArray transitions =
          node.http("GET", "/api/v1/alerts/" + id, null, node.admin())
              .json()
              .getJsonArray("transitions");
      assertEquals("fired", transitions.getJsonObject(0).getString("transition"));
      assertEquals("escalated", transitions.getJsonObject(1).getString("transition"));
      awaitTrue(
          "renotified while unacknowledged",
          WAIT,
          () -> {
            try {
              return node
                  .http("GET", "/api/v1/alerts/" + id, null, node.admin())
                  .json()
                  .getJsonArray("transitions")
                  .stream()
                  .anyMatch(t -> "renotified".equals(((JsonObject) t).getString("transition")));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          });
    } finally {
      mqtt.disconnect();
    }
  }

  @Test
  void absenceFiresOnTimeWithNoTrafficAndClearsOnTheNextReading() throws Exception {
    node.device("aq-silent", "air_quality", "hoi-an", "Old town");
    long before = System.currentTimeMillis();
    node.createRule(
        rule("aq-silent", "air_quality", "{\"type\": \"absence\", \"for\": \"2s\"}", ""));
    long after = System.currentTimeMillis();
    awaitState("aq-silent", "firing");
    long since = only("aq-silent").getLong("since");
    assertTrue(since >= before + 2000, "not before its deadline: " + (since - before));
    // Within one tick of the deadline (plus scheduling slack on a loaded machine).
    assertTrue(since <= after + 2000 + TICK_MS + 300, "late by " + (since - after - 2000) + " ms");
    MqttClient mqtt = node.mqtt("aq-silent");
    try {
      publish(mqtt, "pm25", 10);
      awaitState("aq-silent", "resolved");
    } finally {
      mqtt.disconnect();
    }
  }
}
