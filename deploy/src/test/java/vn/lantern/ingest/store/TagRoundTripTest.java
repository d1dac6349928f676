package vn.lantern.ingest.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Tag values travel through line protocol to a real InfluxDB and come back exactly as registered:
 * spaces, commas, {@code =}, quotes, backslashes inside a value (also right before a space, comma
 * or {@code =}) and Vietnamese text. What line protocol cannot carry (a backslash at the end of a
 * value, line breaks) is refused at registration with the field at fault, instead of being stored
 * under the wrong tags or acknowledged and lost.
 */
@ExtendWith(InfluxDbExtension.class)
class TagRoundTripTest {
  private static final String SECRET = "s3cret-for-tests-only";
  private static final Duration AWAIT = Duration.ofSeconds(20);

  @TempDir static java.nio.file.Path dataDir;
  private static TestNode node;
  private static TestInflux influx;

  @BeforeAll
  static void startNode(TestInflux testInflux) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .start();
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void awkwardSiteNamesReadBackExactly() throws Exception {
    List<String> sites =
        List.of(
            "Nhà máy nước Cầu Đỏ",
            "khu A, lô 3",
            "tank=2",
            "say \"xin chào\"",
            "C:\\trạm\\bơm",
            "\\\\share\\vn",
            "a \\b c",
            "a \\ b, c\\,d, e\\=f",
            "'single' and, = all");
    for (int i = 0; i < sites.size(); i++) {
      String id = "tag-rt-" + i;
      node.register(id, "water_level", "hoi-an", sites.get(i), SECRET);
      publish(id, 1.0 + i);
    }
    for (int i = 0; i < sites.size(); i++) {
      String id = "tag-rt-" + i;
      List<Map<String, Object>> rows =
          influx.awaitRows(
              "SELECT * FROM water_level WHERE device = " + TestNode.influxString(id), 1, AWAIT);
      assertEquals(1, rows.size(), rows::toString);
      assertEquals(sites.get(i), rows.get(0).get("site"), "site of " + id);
      assertEquals("hoi-an", rows.get(0).get("zone"), "zone of " + id);
      assertEquals(1.0 + i, rows.get(0).get("level_m"), "level of " + id);
    }
  }

  @Test
  void aSiteEndingInABackslashIsRefusedNotStoredUnderTheWrongTags() throws Exception {
    TestNode.Response response =
        node.http(
            "POST",
            "/api/v1/devices",
            new JsonObject()
                .put("id", "tag-trailing")
                .put("type", "water_level")
                .put("zone", "hoi-an")
                .put("site", "Kho\\")
                .put("secret", SECRET));
    if (response.status() == 201) {
      publish("tag-trailing", 4.5);
      List<Map<String, Object>> rows =
          influx.awaitRows("SELECT * FROM water_level WHERE level_m = 4.5", 1, AWAIT);
      assertEquals("Kho\\", rows.get(0).get("site"), "stored as " + rows.get(0));
      assertEquals("hoi-an", rows.get(0).get("zone"), "stored as " + rows.get(0));
    }
    assertEquals(400, response.status(), response.body());
    assertEquals("site", response.json().getString("field"), response.body());
  }

  @Test
  void otherTrailingBackslashesAndLineBreaksAreRefused() {
    for (String site : List.of("Kho\\\\", "line\nbreak", "cr\rhere")) {
      TestNode.Response response =
          node.http(
              "POST",
              "/api/v1/devices",
              new JsonObject()
                  .put("id", "tag-bad")
                  .put("type", "water_level")
                  .put("zone", "hoi-an")
                  .put("site", site)
                  .put("secret", SECRET));
      assertEquals(400, response.status(), site + ": " + response.body());
      assertEquals("site", response.json().getString("field"), response.body());
    }
  }

  private static void publish(String id, double level) throws Exception {
    MqttClient client = MqttTestClients.v3(node.mqttUri(), id, SECRET);
    try {
      MqttTestClients.publish(
          client,
          "telemetry",
          MqttTestClients.lanternJson(
              System.currentTimeMillis() - 60_000, "{\"level_m\":" + level + "}"));
    } finally {
      MqttTestClients.closeAll(client);
    }
  }
}
