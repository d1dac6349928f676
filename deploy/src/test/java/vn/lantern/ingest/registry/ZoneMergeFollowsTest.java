package vn.lantern.ingest.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mqtt.MqttServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
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
 * What follows a zone merge beyond the stored references, on a running node: the moved rules' open
 * alerts belong to the surviving zone (its manager acknowledges them, they do not fire again),
 * resolved alerts stay under the old id but are listed with the survivor's; a dry run in the
 * survivor reads the readings stored under the merged id; the zone's MQTT notification topics
 * follow; and neither a re-parent nor a merge may put a zone inside itself.
 */
@ExtendWith(InfluxDbExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZoneMergeFollowsTest {
  private static final Duration AWAIT = Duration.ofSeconds(20);
  private static final String PASSWORD = "manager-password-1";

  private record Received(String topic, JsonObject payload) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private Vertx brokerVertx;
  private TestNode node;
  private TestInflux influx;

  @BeforeAll
  void start(TestInflux testInflux, @TempDir Path dataDir) throws Exception {
    influx = testInflux;
    brokerVertx = Vertx.vertx();
    MqttServer broker =
        TestNode.await(
            MqttServer.create(brokerVertx)
                .endpointHandler(
                    endpoint -> {
                      endpoint.publishHandler(
                          message -> {
                            received.add(
                                new Received(
                                    message.topicName(),
                                    new JsonObject(message.payload().toString())));
                            if (message.qosLevel() == MqttQoS.AT_LEAST_ONCE) {
                              endpoint.publishAcknowledge(message.messageId());
                            }
                          });
                      endpoint.accept(false);
                    })
                .listen(0, "127.0.0.1"));
    node =
        TestNode.builder(dataDir, influx)
            .set("rules.seedRulePacks", false)
            .set("rules.notifications.mqttHost", "127.0.0.1")
            .set("rules.notifications.mqttPort", broker.actualPort())
            .start();
  }

  @AfterAll
  void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (brokerVertx != null) {
      brokerVertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  @Test
  void openAlertsAndNotificationTopicsFollowTheSurvivingZone() throws Exception {
    node.ward("za-old", "da-nang");
    node.ward("za-new", "da-nang");
    node.device("za-dev-1", "energy", "za-old", "Trạm 1");
    String watched =
        node.createRule(
            powerAbove("za-old", 1000)
                .put(
                    "channels",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("type", "mqtt")
                                .put("topic", "lantern/za-old/alerts"))));
    String history = node.createRule(powerAbove("za-old", 5000));
    String manager = manager("za-mgr", "za-new");

    MqttClient device = node.mqtt("za-dev-1");
    TestNode.publish(device, "power", 6000);
    TestNode.publish(device, "power", 1500); // the second rule's alert resolves: history
    String open = awaitAlert(watched, "firing");
    String resolved = awaitAlert(history, "resolved");
    TestNode.awaitTrue("fired on the old zone's topic", AWAIT, () -> sent("fired") != null);
    assertEquals("lantern/za-old/alerts", sent("fired").topic());

    Response merged = node.mergeZone("za-old", "za-new");
    assertEquals(200, merged.status(), merged.body());

    // The open alert is the survivor's; the resolved one stays as it was stored.
    assertEquals("za-new", alert(open).getString("zone"));
    assertEquals("za-old", alert(resolved).getString("zone"));
    Response listed = node.http("GET", "/api/v1/alerts?zone=za-new", null, manager);
    assertEquals(200, listed.status(), listed.body());
    assertEquals(Set.of(open, resolved), ids(listed.json().getJsonArray("items")));
    assertEquals(Set.of(resolved), ids(node.alerts("?zone=za-old")), "history under its old id");
    assertEquals(200, node.http("GET", "/api/v1/alerts/" + resolved, null, manager).status());

    // The rule's topic follows; its manager may save it as it now is.
    JsonObject rule = node.get("/api/v1/rules/" + watched).json();
    assertEquals(
        "lantern/za-new/alerts", rule.getJsonArray("channels").getJsonObject(0).getString("topic"));
    Response saved = node.http("PUT", "/api/v1/rules/" + watched, rule, manager);
    assertEquals(200, saved.status(), saved.body());

    // The survivor's manager acknowledges it; subscribers hear it on the survivor's topic.
    Response acked = node.http("POST", "/api/v1/alerts/" + open + "/ack", null, manager);
    assertEquals(200, acked.status(), acked.body());
    TestNode.awaitTrue("acknowledgement published", AWAIT, () -> sent("acknowledged") != null);
    assertEquals("lantern/za-new/alerts", sent("acknowledged").topic());
    assertEquals("za-new", sent("acknowledged").payload().getJsonObject("alert").getString("zone"));

    // Still above the limit: the same alert, not a new one; then it clears.
    TestNode.publish(device, "power", 1600);
    TestNode.publish(device, "power", 100);
    MqttTestClients.closeAll(device);
    assertEquals(open, awaitAlert(watched, "resolved"));
    assertEquals(1, node.alerts("?ruleId=" + watched).size(), "one alert for the rule");
  }

  @Test
  void aDryRunInTheSurvivorReadsTheMergedZonesReadings() throws Exception {
    node.ward("zd-old", "da-nang");
    node.ward("zd-new", "da-nang");
    node.device("zd-dev-1", "energy", "zd-old", "Trạm 1");
    long now = System.currentTimeMillis();
    MqttClient device = node.mqtt("zd-dev-1");
    TestNode.publish(device, "power", 2000, now - 1_200_000);
    TestNode.publish(device, "power", 100, now - 600_000);
    MqttTestClients.closeAll(device);
    influx.awaitRows("SELECT * FROM energy WHERE \"zone\" = 'zd-old'", 2, AWAIT);
    Response merged = node.mergeZone("zd-old", "zd-new");
    assertEquals(200, merged.status(), merged.body());

    Response dryRun =
        node.http(
            "POST",
            "/api/v1/rules/dry-run",
            new JsonObject()
                .put("rule", powerAbove("zd-new", 1000))
                .put("from", now - 3_600_000)
                .put("to", now),
            node.admin());
    assertEquals(200, dryRun.status(), dryRun.body());
    assertEquals(2, dryRun.json().getLong("readings"), dryRun.body());
    JsonArray alerts = dryRun.json().getJsonArray("alerts");
    assertEquals(1, alerts.size(), dryRun.body());
    assertEquals("zd-dev-1", alerts.getJsonObject(0).getString("device"));
  }

  @Test
  void neitherReparentingNorMergingPutsAZoneInsideItself() {
    node.ward("zl-top", "da-nang");
    node.ward("zl-mid", "zl-top");
    node.ward("zl-low", "zl-mid");

    Response loop =
        node.http(
            "PUT",
            "/api/v1/zones/zl-top",
            new JsonObject().put("name", "zl-top").put("kind", "ward").put("parent", "zl-low"),
            node.admin());
    assertEquals(409, loop.status(), loop.body());
    assertEquals("zone_loop", loop.json().getString("error"));
    assertEquals("parent", loop.json().getString("field"));

    for (String descendant : List.of("zl-mid", "zl-low")) {
      Response merge = node.mergeZone("zl-top", descendant);
      assertEquals(409, merge.status(), merge.body());
      assertEquals("zone_loop", merge.json().getString("error"));
      assertEquals("into", merge.json().getString("field"));
    }
    assertEquals("da-nang", node.get("/api/v1/zones/zl-top").json().getString("parent"));
    assertEquals("zl-top", node.get("/api/v1/zones/zl-mid").json().getString("parent"));
    assertEquals("zl-mid", node.get("/api/v1/zones/zl-low").json().getString("parent"));
    assertTrue(node.get("/api/v1/zones/zl-top").json().getJsonArray("aliases") == null);
  }

  private Received sent(String event) {
    return received.stream()
        .filter(r -> event.equals(r.payload().getString("event")))
        .findFirst()
        .orElse(null);
  }

  private String awaitAlert(String ruleId, String state) throws InterruptedException {
    String[] id = new String[1];
    TestNode.awaitTrue(
        "an alert of rule " + ruleId + " " + state,
        AWAIT,
        () -> {
          for (Object a : node.alerts("?ruleId=" + ruleId + "&state=" + state)) {
            id[0] = ((JsonObject) a).getString("id");
            return true;
          }
          return false;
        });
    return id[0];
  }

  private JsonObject alert(String id) {
    Response r = node.http("GET", "/api/v1/alerts/" + id, null, node.admin());
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static Set<String> ids(JsonArray alerts) {
    return alerts.stream().map(a -> ((JsonObject) a).getString("id")).collect(Collectors.toSet());
  }

  private static JsonObject powerAbove(String zone, double limit) {
    return new JsonObject()
        .put("name", "power above " + limit)
        .put("scope", new JsonObject().put("zone", zone).put("type", "energy"))
        .put("metric", "power")
        .put(
            "condition",
            new JsonObject()
                .put("type", "threshold")
                .put("op", ">")
                .put("value", limit)
                .put("for", "0s"))
        .put("severity", "warning")
        .put("channels", new JsonArray())
        .put("enabled", true);
  }

  private String manager(String username, String zone) {
    Response r =
        node.http(
            "POST",
            "/api/v1/users",
            new JsonObject()
                .put("username", username)
                .put("password", PASSWORD)
                .put("role", "zone-manager")
                .put("zones", new JsonArray().add(zone)),
            node.admin());
    assertEquals(201, r.status(), r.body());
    return node.login(username, PASSWORD);
  }
}
