package vn.lantern.rules.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.rules.TestNode.awaitTrue;
import static vn.lantern.rules.TestNode.publish;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.rules.TestNode;
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
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
      node.device("tk-wl-1", "water_level", "tam-ky", "Tam Ky station");
      node.createRule(rule("tk-wl-1"));
      MqttClient mqtt = node.mqtt("tk-wl-1");
      publish(mqtt, "level", 2.5);
      String id = awaitOne(node, "?device=tk-wl-1&state=firing").getString("id");

      JsonObject comment = new JsonObject().put("comment", "team dispatched");
      HttpResponse<Buffer> first =
          node.call(HttpMethod.POST, "/api/v1/alerts/" + id + "/ack", node.admin(), comment);
      assertEquals(200, first.statusCode(), first.bodyAsString());
      assertEquals("acknowledged", first.bodyAsJsonObject().getString("state"));
      assertEquals("admin", first.bodyAsJsonObject().getString("ackedBy"));
      HttpResponse<Buffer> second =
          node.call(HttpMethod.POST, "/api/v1/alerts/" + id + "/ack", node.admin(), null);
      assertEquals(200, second.statusCode());
      assertEquals(
          first.bodyAsJsonObject().getLong("ackedAt"),
          second.bodyAsJsonObject().getLong("ackedAt"));
      assertEquals("team dispatched", second.bodyAsJsonObject().getString("ackComment"));

      publish(mqtt, "level", 2.0);
      awaitOne(node, "?device=tk-wl-1&state=resolved");
      HttpResponse<Buffer> late =
          node.call(HttpMethod.POST, "/api/v1/alerts/" + id + "/ack", node.admin(), null);
      assertEquals(409, late.statusCode(), late.bodyAsString());
      assertEquals(
          404,
          node.call(HttpMethod.POST, "/api/v1/alerts/nope/ack", node.admin(), null).statusCode());

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
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
      node.device("tk-wl-2", "water_level", "tam-ky", "Tam Ky station");
      node.createRule(rule("tk-wl-2"));
      MqttClient mqtt = node.mqtt("tk-wl-2");
      publish(mqtt, "level", 2.6);
      id = awaitOne(node, "?device=tk-wl-2&state=firing").getString("id");
      mqtt.disconnect();
    }
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
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
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
      node.device("tk-aq-1", "air_quality", "tam-ky", "Tam Ky centre");
      node.createRule(rule);
      MqttClient mqtt = node.mqtt("tk-aq-1");
      publish(mqtt, "pm25", 10);
      publish(mqtt, "pm25", 10);
      mqtt.disconnect();
    }
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
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
    try (TestNode node = TestNode.start(dataDir, influx, 200, 2)) {
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
      node.call(
          HttpMethod.POST,
          "/api/v1/alerts/" + acked + "/ack",
          node.admin(),
          new JsonObject().put("comment", "on it,\nteam 2"));

      HttpResponse<Buffer> all =
          TestNode.await(
              node.client
                  .request(
                      HttpMethod.GET, node.httpPort(), "127.0.0.1", "/api/v1/alerts?zone=tam-ky")
                  .bearerTokenAuthentication(node.admin())
                  .putHeader("Accept", "text/csv")
                  .send());
      assertEquals(200, all.statusCode(), all.bodyAsString());
      assertEquals("text/csv; charset=utf-8", all.getHeader("content-type"));
      assertEquals("attachment; filename=\"alerts.csv\"", all.getHeader("content-disposition"));
      String body = all.bodyAsString();
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

      HttpResponse<Buffer> firing =
          node.call(
              HttpMethod.GET,
              "/api/v1/alerts?state=firing&device=tk-wl-c2&format=csv",
              node.admin(),
              null);
      List<String> lines = firing.bodyAsString().lines().toList();
      assertEquals(2, lines.size(), firing.bodyAsString());
      assertEquals(true, lines.get(1).contains(",tk-wl-c2,"), lines.toString());
      HttpResponse<Buffer> json =
          node.call(HttpMethod.GET, "/api/v1/alerts?format=json&zone=tam-ky", node.admin(), null);
      assertEquals(2, json.bodyAsJsonObject().getJsonArray("items").size());
      one.disconnect();
      two.disconnect();
    }
  }
}
