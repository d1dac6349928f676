package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.ingest.MqttTestClients;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * Renaming, re-parenting and merging zones through the API of a running node: admin only; a merge
 * moves devices, child zones, rules, KPI definitions and users in one go, audited; the old id stays
 * an alias whose data still answers and is part of the surviving zone's history; the old zone's
 * manager keeps access, with the token from before the merge and after signing in again. Zone
 * boundaries are served as GeoJSON and replaced by an admin. On the embedded H2 file here and on
 * PostgreSQL in {@link ZonesApiPostgresTest}.
 */
@ExtendWith(InfluxDbExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZonesApiTest {
  private final Duration AWAIT = Duration.ofSeconds(20);
  private final String PASSWORD = "manager-password-1";

  private TestNode node;
  private TestInflux influx;

  /** The relational store's settings: the embedded H2 file here, PostgreSQL in the subclass. */
  Map<String, Object> database() {
    return Map.of();
  }

  @BeforeAll
  void startNode(TestInflux testInflux, @TempDir Path dataDir) throws Exception {
    influx = testInflux;
    node =
        TestNode.builder(dataDir, influx.url(), influx.database())
            .set("rules.seedRulePacks", false)
            .setAll(database())
            .start();
  }

  @AfterAll
  void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void renameKeepsTheIdAndAParentLoopIsRefused() throws Exception {
    createZone("rn-ward", "Phuong Cu", "da-nang");
    createZone("rn-park", "KCN Moi", "rn-ward");
    Response renamed =
        node.http("PUT", "/api/v1/zones/rn-ward", zone("rn-ward", "Phường Mới", "hoi-an"), admin());
    assertEquals(200, renamed.status(), renamed.body());
    assertEquals("rn-ward", renamed.json().getString("id"));
    assertEquals("Phường Mới", renamed.json().getString("name"));
    assertEquals("hoi-an", renamed.json().getString("parent"), "re-parented");

    Response loop =
        node.http(
            "PUT", "/api/v1/zones/rn-ward", zone("rn-ward", "Phường Mới", "rn-park"), admin());
    assertEquals(409, loop.status(), loop.body());
    assertEquals("parent", loop.json().getString("field"));
    assertEquals("hoi-an", node.get("/api/v1/zones/rn-ward").json().getString("parent"));

    Response byManager =
        node.http(
            "PUT", "/api/v1/zones/rn-ward", zone("rn-ward", "X", "da-nang"), manager("rn-mgr"));
    assertEquals(403, byManager.status());
    TestNode.awaitTrue("the rename is audited", AWAIT, () -> audited("zone.update", "rn-ward"));
  }

  @Test
  void mergeMovesEverythingAndKeepsOldDataFindable() throws Exception {
    createZone("zm-old", "Phường Cũ", "da-nang");
    createZone("zm-new", "Phường Mới", "da-nang");
    createZone("zm-child", "KCN Con", "zm-old");
    node.register("zm-dev-1", "energy", "zm-old", "Trạm 1", TestNode.secret("zm-dev-1"));
    String ruleId =
        node.createRule(
            new JsonObject()
                .put("name", "High power in the old ward")
                .put("scope", new JsonObject().put("zone", "zm-old").put("type", "energy"))
                .put("metric", "power")
                .put(
                    "condition",
                    new JsonObject()
                        .put("type", "threshold")
                        .put("op", ">")
                        .put("value", 1000)
                        .put("for", "0s"))
                .put("severity", "warning")
                .put("channels", new JsonArray())
                .put("enabled", true));
    Response definition =
        node.http(
            "PUT",
            "/api/v1/kpis/definitions/zm_power_max",
            new JsonObject()
                .put("name", "zm_power_max")
                .put("metric", "power")
                .put("aggregation", "max")
                .put("window", "1h")
                .put("scope", new JsonObject().put("type", "energy").put("zone", "zm-old")),
            admin());
    assertTrue(definition.status() == 200 || definition.status() == 201, definition.body());
    String managerToken = manager("zm-mgr", "zm-old");

    // Old data: a reading and a stored KPI value tagged with the old id.
    // The device stays connected across the merge.
    MqttClient device = node.mqtt("zm-dev-1");
    TestNode.publish(device, "power", 42.0);
    influx.awaitRows("SELECT * FROM energy WHERE \"zone\" = 'zm-old'", 1, AWAIT);
    long past = System.currentTimeMillis() - 3_600_000L;
    influx
        .client()
        .write(
            influx.database(),
            "autogen",
            Point.measurement("kpi")
                .time(past, TimeUnit.MILLISECONDS)
                .tag("zone", "zm-old")
                .tag("kpi", "energy_kwh_today")
                .addField("value", 321.0)
                .build());

    Response refused = merge("zm-old", "zm-new", managerToken);
    assertEquals(403, refused.status());
    assertEquals(400, merge("zm-old", "zm-old", admin()).status());
    assertEquals("into", merge("zm-old", "atlantis", admin()).json().getString("field"));
    assertEquals(404, merge("atlantis", "zm-new", admin()).status());

    Response merged = merge("zm-old", "zm-new", admin());
    assertEquals(200, merged.status(), merged.body());
    assertEquals("zm-new", merged.json().getString("id"));
    assertEquals(List.of("zm-old"), merged.json().getJsonArray("aliases").getList());
    assertEquals(List.of("zm-dev-1"), merged.json().getJsonArray("movedDevices").getList());

    // Everything that referred to the old zone follows.
    assertEquals("zm-new", node.get(TestNode.devicePath("zm-dev-1")).json().getString("zone"));
    assertEquals("zm-new", node.get("/api/v1/zones/zm-child").json().getString("parent"));
    assertEquals("zm-new", node.get("/api/v1/zones/zm-old").json().getString("id"));
    assertFalse(
        node.get("/api/v1/zones").json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .anyMatch(z -> z.getString("id").equals("zm-old")));
    JsonObject rule = node.get("/api/v1/rules/" + ruleId).json();
    assertEquals("zm-new", rule.getJsonObject("scope").getString("zone"));
    JsonObject movedDefinition =
        node.get("/api/v1/kpis/definitions").json().getJsonArray("items").stream()
            .map(JsonObject.class::cast)
            .filter(d -> d.getString("name").equals("zm_power_max"))
            .findFirst()
            .orElseThrow();
    assertEquals("zm-new", movedDefinition.getJsonObject("scope").getString("zone"));
    assertEquals(
        List.of("zm-new"), node.get("/api/v1/users/zm-mgr").json().getJsonArray("zones").getList());
    assertTrue(audited("zone.merge", "zm-old"));

    // New readings carry the surviving id, also over the session opened before the merge.
    TestNode.publish(device, "power", 43.0);
    MqttTestClients.closeAll(device);
    influx.awaitRows("SELECT * FROM energy WHERE \"zone\" = 'zm-new'", 1, AWAIT);

    // Old data (an hour old; the last half hour, which the engine may be writing, is left out)
    // answers under the old id and is part of the surviving zone's history.
    assertEquals(1, history("zm-old", admin()).size());
    assertEquals(1, history("zm-new", admin()).size());
    assertEquals(321.0, history("zm-new", admin()).getJsonObject(0).getDouble("value"));

    // The old zone's manager keeps access: with the token from before, and after signing in.
    assertEquals(1, history("zm-old", managerToken).size());
    assertEquals(1, history("zm-new", managerToken).size());
    String fresh = node.login("zm-mgr", PASSWORD);
    assertEquals(1, history("zm-old", fresh).size());
    assertEquals(
        200,
        node.http("GET", "/api/v1/rules?zone=zm-new", null, fresh).status(),
        "the manager sees the moved rule's zone");
    assertEquals(
        403, node.http("GET", "/api/v1/kpis?zone=hoi-an", null, fresh).status(), "no more");

    // The merged-away id stays reserved.
    Response reuse = node.http("POST", "/api/v1/zones", zone("zm-old", "Lại", "da-nang"), admin());
    assertEquals(400, reuse.status(), reuse.body());
    assertEquals("id", reuse.json().getString("field"));
  }

  @Test
  void boundariesAreServedAsGeoJsonAndReplacedByAnAdmin() {
    Response served = node.get("/api/v1/zones/geojson");
    assertEquals(200, served.status(), served.body());
    assertTrue(served.contentType().startsWith("application/geo+json"), served.contentType());
    JsonObject city = feature(served.json(), "da-nang");
    assertEquals("Polygon", city.getJsonObject("geometry").getString("type"));
    assertEquals(true, city.getJsonObject("properties").getBoolean("approximate"));
    assertEquals("Thành phố Đà Nẵng", city.getJsonObject("properties").getString("name"));
    assertEquals("48", city.getJsonObject("properties").getString("code"));
    assertEquals(
        "Polygon", feature(served.json(), "hoi-an").getJsonObject("geometry").getString("type"));

    JsonArray triangle = new JsonArray("[[[108.0,15.5],[108.5,15.5],[108.25,16.0],[108.0,15.5]]]");
    JsonObject collection =
        new JsonObject()
            .put("type", "FeatureCollection")
            .put(
                "features",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("type", "Feature")
                            .put("properties", new JsonObject().put("id", "da-nang"))
                            .put(
                                "geometry",
                                new JsonObject()
                                    .put("type", "Polygon")
                                    .put("coordinates", triangle))));
    JsonObject unclosed =
        new JsonObject(collection.encode().replace("[108.0,15.5]]]", "[108.1,15.9]]]"));
    Response open = node.http("PUT", "/api/v1/zones/geojson", unclosed, admin());
    assertEquals(400, open.status(), "a ring must close");
    assertTrue(open.json().getString("field").startsWith("features[0].geometry"), open.body());
    assertEquals(
        403, node.http("PUT", "/api/v1/zones/geojson", collection, manager("geo-mgr")).status());

    Response replaced = node.http("PUT", "/api/v1/zones/geojson", collection, admin());
    assertEquals(200, replaced.status(), replaced.body());
    JsonObject after = feature(node.get("/api/v1/zones/geojson").json(), "da-nang");
    assertEquals(triangle, after.getJsonObject("geometry").getJsonArray("coordinates"));
    assertEquals(false, after.getJsonObject("properties").getBoolean("approximate"));
    assertEquals(
        "Point",
        feature(node.get("/api/v1/zones/geojson").json(), "hoi-an")
            .getJsonObject("geometry")
            .getString("type"),
        "a zone without a boundary is its marker");
    assertTrue(audited("zone.boundaries", "geojson"));
  }

  private JsonObject feature(JsonObject collection, String zone) {
    return collection.getJsonArray("features").stream()
        .map(JsonObject.class::cast)
        .filter(f -> zone.equals(f.getString("id")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no feature " + zone));
  }

  private JsonArray history(String zone, String token) {
    long now = System.currentTimeMillis();
    Response r =
        node.http(
            "GET",
            "/api/v1/kpis/history?zone="
                + zone
                + "&kpi=energy_kwh_today&from="
                + (now - 2 * 3_600_000L)
                + "&to="
                + (now - 1_800_000L)
                + "&resolution=1h",
            null,
            token);
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("points");
  }

  private Response merge(String from, String into, String token) {
    return node.http(
        "POST", "/api/v1/zones/" + from + "/merge", new JsonObject().put("into", into), token);
  }

  private boolean audited(String action, String target) {
    Response r = node.http("GET", "/api/v1/audit?action=" + action, null, admin());
    assertEquals(200, r.status(), r.body());
    return r.json().getJsonArray("entries").stream()
        .map(JsonObject.class::cast)
        .anyMatch(e -> target.equals(e.getString("target")));
  }

  private void createZone(String id, String name, String parent) {
    Response r = node.http("POST", "/api/v1/zones", zone(id, name, parent), admin());
    assertEquals(201, r.status(), r.body());
  }

  private JsonObject zone(String id, String name, String parent) {
    return new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("kind", "ward")
        .put("parent", parent);
  }

  private String manager(String username, String... zones) {
    Response r =
        node.http(
            "POST",
            "/api/v1/users",
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("role", "zone-manager")
                .put("zones", new JsonArray(List.of(zones.length == 0 ? "hoi-an" : zones[0]))),
            admin());
    assertEquals(201, r.status(), r.body());
    return node.login(username, PASSWORD);
  }

  private String admin() {
    return node.admin();
  }
}
