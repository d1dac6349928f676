package vn.lantern.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

  @Test
  void alertsExportAsCsvWithTheFiltersOfTheList(@TempDir Path dataDir, TestInflux influx)
      throws Exception {
    try (TestNode node =
        TestNode.builder(dataDir, influx)
            .set("rules.notifications.maxAttempts", 2)
            .set("rules.seedRulePacks", false)
            .start()) {
      node.device("tk-wl-c1", "water_level", "tam-ky", "Trạm \"Tam Kỳ\", bờ bắc");
      node.device("tk-wl-c2", "water_level", "tam-ky", "Tam Ky south");
      node.createRule(
          rule("tk-wl-c1")
              .put("name", "=level, \"high\"")
              .put("scope", new JsonObject().put("zone", "tam-ky").put("type", "water_level")));
      MqttClient one = node.mqtt("tk-wl-c1");
      MqttClient two = node.mqtt("tk-wl-c2");
      publish(one, "level", 2.5);
      Thread.sleep(5); // a later reading: a later alert
      publish(two, "level", 2.75);
      String acked = awaitOne(node, "?device=tk-wl-c1&state=firing").getString("id");
      awaitOne(node, "?device=tk-wl-c2&state=firing");
      node.http(
          "POST",
          "/api/v1/alerts/" + acked + "/ack",
          new JsonObject().put("comment", "on it,\nteam 2"),
          node.admin());

      TestNode.Response all =
          node.http(
              "GET",
              "/api/v1/alerts?zone=tam-ky",
              null,
              node.admin(),
              Map.of("Accept", "text/csv"));
      assertEquals(200, all.status(), all.body());
      assertEquals("text/csv; charset=utf-8", all.header("content-type"));
      assertEquals("attachment; filename=\"alerts.csv\"", all.header("content-disposition"));
      String body = all.body();
      assertEquals(
          "id,ruleId,ruleName,zone,site,device,metric,severity,state,since,value,ackedBy,ackedAt,"
              + "ackComment,resolvedAt,resolvedBy,late,flaps",
          body.substring(0, body.indexOf('\n')));
      // Text a spreadsheet would run as a formula is defused; commas, quotes, line breaks quoted.
      String ackedRow = body.substring(body.indexOf("\n" + acked + ",") + 1);
      assertTrue(
          ackedRow.contains(
              ",\"'=level, \"\"high\"\"\",tam-ky,\"Trạm \"\"Tam Kỳ\"\", bờ bắc\",tk-wl-c1,level,"
                  + "warning,acknowledged,"),
          body);
      assertTrue(ackedRow.contains(",2.5,admin,"), body);
      assertTrue(ackedRow.contains(",\"on it,\nteam 2\",,,false,0\n"), body);
      assertTrue(body.contains(",tk-wl-c2,level,warning,firing,"), body);
      // Newest first: the second reading's alert comes before the first's.
      assertTrue(body.indexOf(",tk-wl-c2,") < body.indexOf(",tk-wl-c1,"), body);

      TestNode.Response firing =
          node.http(
              "GET", "/api/v1/alerts?state=firing&device=tk-wl-c2&format=csv", null, node.admin());
      List<String> lines = firing.body().lines().toList();
      assertEquals(2, lines.size(), firing.body());
      assertEquals(true, lines.get(1).contains(",tk-wl-c2,"), lines.toString());
      TestNode.Response json =
          node.http("GET", "/api/v1/alerts?format=json&zone=tam-ky", null, node.admin());
      assertEquals(2, json.json().getJsonArray("items").size());
      one.disconnect();
      two.disconnect();
    }
  }
}
