package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lantern.deploy.testing.TestNode.devicePath;
import static vn.lantern.deploy.testing.TestNode.influxString;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The registry's HTTP API on a real node: awkward but legal tag values travel unchanged from
 * registration through MQTT into InfluxDB; control characters, unknown zones and duplicates are
 * refused with the API's JSON error; devices and zones follow the documented verbs.
 */
@ExtendWith(InfluxDbExtension.class)
class RegistryApiTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String SECRET = "s3cret-for-tests-only";

  @TempDir static Path dataDir;
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
  void awkwardTagValuesAreStoredAndReadBackExactly() throws Exception {
    String id = "a,b=c\"d\\e";
    String site = "Điện Bàn, \"khu A\" = lô 3 \\ cổng 'B'";
    String vietnameseId = "đèn-Điện-Bàn-01";
    assertEquals(id, node.register(id, "street_light", "dien-ban", site, SECRET).getString("id"));
    node.register(vietnameseId, "street_light", "dien-ban", "Điện Bàn", SECRET);
    assertEquals(site, node.get(devicePath(id)).json().getString("site"));

    long ts = System.currentTimeMillis() - 40_000;
    for (String device : List.of(id, vietnameseId)) {
      MqttClient client = MqttTestClients.v3(node.mqttUri(), device, SECRET);
      try {
        MqttTestClients.publish(
            client, "telemetry", MqttTestClients.lanternJson(ts, "{\"power_w\":120}"));
      } finally {
        MqttTestClients.closeAll(client);
      }
    }

    List<Map<String, Object>> rows =
        influx.awaitRows(
            "SELECT * FROM street_light WHERE device = "
                + influxString(id)
                + " AND site = "
                + influxString(site),
            1,
            AWAIT);
    assertEquals(id, rows.get(0).get("device"));
    assertEquals(site, rows.get(0).get("site"));
    assertEquals("dien-ban", rows.get(0).get("zone"));
    assertEquals(120.0, rows.get(0).get("power_w"));

    rows =
        influx.awaitRows(
            "SELECT * FROM street_light WHERE site = " + influxString("Điện Bàn"), 1, AWAIT);
    assertEquals(vietnameseId, rows.get(0).get("device"));
    assertEquals(
        Set.of(id, vietnameseId),
        influx.query("SELECT * FROM street_light").stream()
            .map(row -> row.get("device"))
            .collect(Collectors.toSet()));
  }

  @Test
  void controlCharactersAreRefusedNamingTheField() {
    assertInvalid("POST", "/api/v1/devices", device("bad\u0007id", "tam-ky", "Tam Kỳ"), 400, "id");
    assertInvalid("POST", "/api/v1/devices", device("ok-id-1", "tam-ky", "Tam\nKỳ"), 400, "site");
    assertInvalid(
        "POST", "/api/v1/devices", device("ok-id-2", "tam-ky", "Tam Kỳ\u0000"), 400, "site");
    assertInvalid(
        "POST",
        "/api/v1/zones",
        new JsonObject().put("id", "phuong-1").put("name", "Phường\t1").put("kind", "ward"),
        400,
        "name");
    assertEquals(404, node.get(devicePath("ok-id-1")).status());
  }

  @Test
  void unknownZoneIsRefused() {
    assertInvalid(
        "POST", "/api/v1/devices", device("nowhere-1", "atlantis", "Atlantis"), 400, "zone");
  }

  @Test
  void postOfAnExistingIdConflicts() {
    JsonObject body = device("dup-1", "hoi-an", "Hội An");
    assertEquals(201, node.http("POST", "/api/v1/devices", body).status());
    assertInvalid("POST", "/api/v1/devices", body, 409, "id");
  }

  @Test
  void putIsIdempotent() {
    JsonObject body = device("put-1", "tam-ky", "Tam Kỳ").put("lat", 15.57).put("lon", 108.47);
    Response first = node.http("PUT", devicePath("put-1"), body);
    assertEquals(201, first.status(), first.body());
    Response second = node.http("PUT", devicePath("put-1"), body);
    assertEquals(200, second.status(), second.body());
    assertEquals(first.json(), second.json());
    Response stored = node.get(devicePath("put-1"));
    assertEquals(first.json(), stored.json());
    assertEquals(true, stored.json().getBoolean("hasSecret"));
    assertEquals(false, stored.json().containsKey("secret"));
  }

  @Test
  void deleteAnswers204Then404() {
    node.register(device("del-1", "hoi-an", "Hội An"));
    assertEquals(204, node.http("DELETE", devicePath("del-1"), null).status());
    assertEquals(404, node.get(devicePath("del-1")).status());
    assertEquals(404, node.http("DELETE", devicePath("del-1"), null).status());
  }

  @Test
  void zonesListTheSeededCatalogue() {
    Response response = node.get("/api/v1/zones");
    assertEquals(200, response.status());
    Set<String> ids = ids(response.json().getJsonArray("items"));
    assertTrue(
        ids.containsAll(
            Set.of(
                "tam-ky",
                "hoi-an",
                "dien-ban",
                "kcn-dien-nam-dien-ngoc",
                "kcn-thuan-yen",
                "kcn-tam-thang",
                "kcn-bac-chu-lai",
                "kcn-tam-hiep")),
        ids::toString);
    JsonObject park = node.get("/api/v1/zones/kcn-dien-nam-dien-ngoc").json();
    assertEquals("industrial_park", park.getString("kind"));
    assertEquals("dien-ban", park.getString("parent"));
  }

  @Test
  void zonesCanBeCreatedAndReplaced() {
    JsonObject ward =
        new JsonObject()
            .put("id", "minh-an")
            .put("name", "Phường Minh An")
            .put("kind", "ward")
            .put("parent", "hoi-an")
            .put("lat", 15.877)
            .put("lon", 108.328);
    Response created = node.http("POST", "/api/v1/zones", ward);
    assertEquals(201, created.status(), created.body());
    assertInvalid("POST", "/api/v1/zones", ward, 409, "id");

    Response replaced =
        node.http("PUT", "/api/v1/zones/minh-an", ward.copy().put("name", "Minh An, Hội An"));
    assertEquals(200, replaced.status(), replaced.body());
    assertEquals("Minh An, Hội An", node.get("/api/v1/zones/minh-an").json().getString("name"));

    node.register(device("in-minh-an", "minh-an", "Chợ Hội An"));
    assertInvalid(
        "PUT", "/api/v1/zones/minh-an", ward.copy().put("parent", "no-such-zone"), 400, "parent");
  }

  private static JsonObject device(String id, String zone, String site) {
    return new JsonObject()
        .put("id", id)
        .put("type", "air_quality")
        .put("zone", zone)
        .put("site", site)
        .put("secret", SECRET);
  }

  private static void assertInvalid(
      String method, String path, JsonObject body, int status, String field) {
    Response response = node.http(method, path, body);
    assertEquals(status, response.status(), response.body());
    assertTrue(response.contentType().startsWith("application/json"), response.contentType());
    JsonObject error = response.json();
    assertEquals(field, error.getString("field"), response.body());
    assertTrue(
        error.getString("error") != null && error.getString("message") != null, response.body());
  }

  private static Set<String> ids(JsonArray items) {
    return items.stream()
        .map(item -> ((JsonObject) item).getString("id"))
        .collect(Collectors.toSet());
  }
}
