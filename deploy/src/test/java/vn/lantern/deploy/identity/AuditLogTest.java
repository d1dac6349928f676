package vn.lantern.deploy.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.deploy.testing.TestNode.Response;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/**
 * The audit log after real actions over HTTP: who, from where, what, to what, when and with which
 * outcome, read by admins newest first with filters and paging.
 */
@ExtendWith(InfluxDbExtension.class)
class AuditLogTest {
  static final String PASSWORD = "a-long-password-1";

  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start(TestInflux influx) throws Exception {
    node = TestNode.builder(dir, influx).start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  /**
   * The entries of {@code query}, waiting (bounded) until one matches {@code expected}: entries are
   * written off the request's path, just after the answer.
   */
  static JsonArray entries(String query, Predicate<JsonObject> expected) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      Response r = node.http("GET", "/api/v1/audit" + query, null);
      assertEquals(200, r.status(), r.body());
      JsonArray entries = r.json().getJsonArray("entries");
      if (entries.stream().map(JsonObject.class::cast).anyMatch(expected)
          || System.nanoTime() > deadline) {
        return entries;
      }
      Thread.sleep(50);
    }
  }

  static JsonObject entry(String query, String action, String target) throws Exception {
    Predicate<JsonObject> match =
        e -> action.equals(e.getString("action")) && target.equals(e.getString("target"));
    return entries(query, match).stream()
        .map(JsonObject.class::cast)
        .filter(match)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + action + " of " + target + " in " + query));
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void signInsUserChangesAndLogoutsAreAudited() throws Exception {
    long before = System.currentTimeMillis();
    assertEquals(
        201,
        node.http(
                "POST",
                "/api/v1/users",
                new JsonObject()
                    .put("username", "audited")
                    .put("password", PASSWORD)
                    .put("role", "operator"))
            .status());
    assertEquals(
        401,
        node.http(
                "POST",
                "/api/v1/login",
                new JsonObject().put("username", "audited").put("password", "wrong-password-9"),
                null)
            .status());
    String token =
        node.http(
                "POST",
                "/api/v1/login",
                new JsonObject().put("username", "audited").put("password", PASSWORD),
                null)
            .json()
            .getString("token");
    assertEquals(204, node.http("POST", "/api/v1/logout", null, token).status());
    assertEquals(401, node.http("GET", "/api/v1/rules", null, token).status());
    assertEquals(
        200,
        node.http("PUT", "/api/v1/users/audited", new JsonObject().put("disabled", true)).status());
    assertEquals(204, node.http("DELETE", "/api/v1/users/audited", null).status());

    JsonObject created = entry("?action=user.create", "user.create", "audited");
    assertEquals("service", created.getString("actor"));
    assertEquals("127.0.0.1", created.getString("address"));
    assertEquals("ok", created.getString("outcome"));
    long time = Instant.parse(created.getString("time")).toEpochMilli();
    assertTrue(time >= before && time <= System.currentTimeMillis() + 1000, created.encode());
    assertFalse(created.encode().contains(PASSWORD), "never a password: " + created);

    List<String> outcomes = new ArrayList<>();
    entries("?actor=audited&action=login", e -> "ok".equals(e.getString("outcome")))
        .forEach(e -> outcomes.add(((JsonObject) e).getString("outcome")));
    assertEquals(List.of("ok", "refused"), outcomes, "newest first");
    assertEquals("audited", entry("?action=logout", "logout", "audited").getString("actor"));
    JsonObject revoked = entry("?action=token.revoked", "token.revoked", "audited");
    assertEquals("refused", revoked.getString("outcome"));
    assertTrue(revoked.getString("detail").contains("logged_out"), revoked.encode());
    assertEquals(
        "service", entry("?action=user.disable", "user.disable", "audited").getString("actor"));
    entry("?action=user.delete", "user.delete", "audited");
  }

  @Test
  void deviceAndRuleChangesAreAudited() throws Exception {
    Response device =
        node.http(
            "POST",
            "/api/v1/devices",
            new JsonObject()
                .put("id", "audit-wl-01")
                .put("type", "water_level")
                .put("zone", "hoi-an")
                .put("site", "Cau An Hoi")
                .put("secret", "device-secret-123456"));
    assertEquals(201, device.status(), device.body());
    assertEquals(
        200,
        node.http(
                "PUT",
                "/api/v1/devices/audit-wl-01",
                new JsonObject()
                    .put("type", "water_level")
                    .put("zone", "hoi-an")
                    .put("site", "Cau An Hoi")
                    .put("secret", "another-secret-654321"))
            .status());
    assertEquals(204, node.http("DELETE", "/api/v1/devices/audit-wl-01", null).status());
    Response rule =
        node.http(
            "POST",
            "/api/v1/rules",
            new JsonObject(
                """
                {"name": "audited rule", "scope": {"zone": "hoi-an", "type": "water_level"},
                 "metric": "level", "condition": {"type": "threshold", "op": ">", "value": 2.5},
                 "severity": "warning", "channels": [], "enabled": true}
                """));
    assertEquals(201, rule.status(), rule.body());
    String ruleId = rule.json().getString("id");
    assertEquals(204, node.http("DELETE", "/api/v1/rules/" + ruleId, null).status());

    assertEquals(
        "service",
        entry("?action=device.create", "device.create", "audit-wl-01").getString("actor"));
    JsonObject rekeyed = entry("?action=device.update", "device.update", "audit-wl-01");
    assertTrue(rekeyed.getString("detail").contains("credentials=secret"), rekeyed.encode());
    assertFalse(rekeyed.encode().contains("another-secret"), rekeyed.encode());
    entry("?action=device.delete", "device.delete", "audit-wl-01");
    entry("?action=rule.create", "rule.create", ruleId);
    entry("?action=rule.delete", "rule.delete", ruleId);
  }

  @Test
  void alertAcknowledgementsAndResolutionsAreAudited() throws Exception {
    String secret = "alarm-device-secret-0123456789";
    assertEquals(
        201,
        node.http(
                "POST",
                "/api/v1/devices",
                new JsonObject()
                    .put("id", "audit-alarm-01")
                    .put("type", "water_level")
                    .put("zone", "tam-ky")
                    .put("site", "Tam Ky bridge")
                    .put("secret", secret))
            .status());
    Response rule =
        node.http(
            "POST",
            "/api/v1/rules",
            new JsonObject(
                """
                {"name": "audited alarm", "scope": {"zone": "tam-ky", "type": "water_level"},
                 "metric": "level", "condition": {"type": "threshold", "op": ">", "value": 1.0,
                 "for": "0s"}, "severity": "warning", "channels": [], "enabled": true}
                """));
    assertEquals(201, rule.status(), rule.body());
    MqttClient client = new MqttClient(node.mqttUri(), "audit-alarm-01", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("audit-alarm-01");
    options.setPassword(secret.toCharArray());
    client.connect(options);
    try {
      client.publish(
          "telemetry", "{\"m\":{\"level\":2.0}}".getBytes(StandardCharsets.UTF_8), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    String ruleId = rule.json().getString("id");
    String alertId = null;
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (alertId == null && System.nanoTime() < deadline) {
      JsonArray firing =
          node.http("GET", "/api/v1/alerts?state=firing&ruleId=" + ruleId, null)
              .json()
              .getJsonArray("items");
      alertId = firing.isEmpty() ? null : firing.getJsonObject(0).getString("id");
      Thread.sleep(50);
    }
    assertTrue(alertId != null, "the reading above 1.0 m raises an alert");
    assertEquals(
        200,
        node.http(
                "POST",
                "/api/v1/alerts/" + alertId + "/ack",
                new JsonObject().put("comment", "team on the way"))
            .status());
    assertEquals(
        200,
        node.http("POST", "/api/v1/alerts/" + alertId + "/resolve", new JsonObject()).status());
    JsonObject acked = entry("?action=alert.acknowledge", "alert.acknowledge", alertId);
    assertEquals("service", acked.getString("actor"));
    assertTrue(acked.getString("detail").contains("zone=tam-ky"), acked.encode());
    entry("?action=alert.resolve", "alert.resolve", alertId);
  }

  @Test
  void theLogIsPagedNewestFirstAndFilteredByTime() throws Exception {
    for (int i = 0; i < 5; i++) {
      node.http(
          "POST",
          "/api/v1/login",
          new JsonObject().put("username", "pager-" + i).put("password", "wrong-password-" + i),
          null);
    }
    entry("?action=login&actor=pager-4", "login", "pager-4");
    List<String> actors = new ArrayList<>();
    String next = null;
    int pages = 0;
    do {
      String query = "?action=login&limit=2" + (next == null ? "" : "&cursor=" + q(next));
      Response page = node.http("GET", "/api/v1/audit" + query, null);
      assertEquals(200, page.status(), page.body());
      page.json()
          .getJsonArray("entries")
          .forEach(e -> actors.add(((JsonObject) e).getString("actor")));
      next = page.json().getString("next");
      pages++;
    } while (next != null && pages < 10);
    List<String> pagers = actors.stream().filter(a -> a.startsWith("pager-")).toList();
    assertEquals(List.of("pager-4", "pager-3", "pager-2", "pager-1", "pager-0"), pagers);
    assertTrue(pages >= 3, "pages of 2: " + pages);

    Response future =
        node.http(
            "GET", "/api/v1/audit?from=" + q(Instant.now().plusSeconds(3600).toString()), null);
    assertEquals(0, future.json().getJsonArray("entries").size(), future.body());
    assertNull(future.json().getString("next"));
    Response past = node.http("GET", "/api/v1/audit?to=1000", null);
    assertEquals(0, past.json().getJsonArray("entries").size(), past.body());
  }

  @Test
  void badQueriesNameTheParameterAndOnlyAdminsRead() throws Exception {
    for (String[] c :
        new String[][] {
          {"?limit=0", "limit"},
          {"?limit=1001", "limit"},
          {"?limit=ten", "limit"},
          {"?from=yesterday", "from"},
          {"?to=2026-13-01", "to"},
          {"?cursor=nope", "cursor"}
        }) {
      Response r = node.http("GET", "/api/v1/audit" + c[0], null);
      assertEquals(400, r.status(), c[0] + ": " + r.body());
      assertEquals(c[1], r.json().getString("field"), r.body());
    }
    node.http(
        "POST",
        "/api/v1/users",
        new JsonObject()
            .put("username", "watcher")
            .put("password", PASSWORD)
            .put("role", "operator"));
    String token =
        node.http(
                "POST",
                "/api/v1/login",
                new JsonObject().put("username", "watcher").put("password", PASSWORD),
                null)
            .json()
            .getString("token");
    assertEquals(403, node.http("GET", "/api/v1/audit", null, token).status());
  }
}
