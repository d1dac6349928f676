package vn.lantern.rules.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import vn.lantern.deploy.testing.TestNode;
import vn.lantern.testing.InfluxDbExtension;
import vn.lantern.testing.TestInflux;

/** The rules API over real HTTP: validation, tokens, roles and zone isolation. */
@ExtendWith(InfluxDbExtension.class)
class RulesApiTest {
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

  static JsonObject hoiAnRule() {
    return new JsonObject(
        """
        {"name": "Hoi An river above alarm 2",
         "scope": {"zone": "hoi-an", "type": "water_level"},
         "metric": "level",
         "condition": {"type": "threshold", "op": ">", "value": 1.5, "for": "0s", "clear": 1.4},
         "severity": "warning", "channels": [], "enabled": true}
        """);
  }

  private TestNode.Response post(String path, String token, JsonObject body) throws Exception {
    return node.http("POST", path, body, token);
  }

  private void assertBadField(JsonObject rule, String field) throws Exception {
    TestNode.Response r = post("/api/v1/rules", node.admin(), rule);
    assertEquals(400, r.status(), r.body());
    assertEquals(field, r.json().getString("field"), r.body());
    assertEquals("invalid_field", r.json().getString("error"));
  }

  @Test
  void createsAndReadsARule() throws Exception {
    TestNode.Response r = post("/api/v1/rules", node.admin(), hoiAnRule());
    assertEquals(201, r.status(), r.body());
    JsonObject created = r.json();
    assertNotNull(created.getString("id"));
    assertEquals(1, created.getInteger("version"));
    assertEquals(1.4, created.getJsonObject("condition").getDouble("clear"));
    TestNode.Response read =
        node.http("GET", "/api/v1/rules/" + created.getString("id"), null, node.admin());
    assertEquals(200, read.status());
    assertEquals("Hoi An river above alarm 2", read.json().getString("name"));
  }

  @Test
  void badRulesNameTheFieldAtFault() throws Exception {
    JsonObject unknownOp = hoiAnRule();
    unknownOp.getJsonObject("condition").put("op", "=>");
    assertBadField(unknownOp, "condition.op");

    JsonObject negativeDuration = hoiAnRule();
    negativeDuration.getJsonObject("condition").put("for", "-5m");
    assertBadField(negativeDuration, "condition.for");

    JsonObject missingScope = hoiAnRule();
    missingScope.remove("scope");
    assertBadField(missingScope, "scope");

    JsonObject unknownZone = hoiAnRule();
    unknownZone.getJsonObject("scope").put("zone", "atlantis");
    assertBadField(unknownZone, "scope.zone");

    JsonObject unknownType = hoiAnRule();
    unknownType.getJsonObject("condition").put("type", "between");
    assertBadField(unknownType, "condition.type");

    JsonObject badMetric = hoiAnRule();
    badMetric.put("metric", "Level!");
    assertBadField(badMetric, "metric");

    JsonObject nested = hoiAnRule();
    nested.put(
        "condition",
        new JsonObject()
            .put("type", "any")
            .put(
                "conditions",
                new JsonArray()
                    .add(new JsonObject().put("type", "threshold").put("op", ">").put("value", 1))
                    .add(
                        new JsonObject()
                            .put("type", "aggregate")
                            .put("function", "median")
                            .put("window", "1h")
                            .put("op", ">")
                            .put("value", 1))));
    assertBadField(nested, "condition.conditions[1].function");

    JsonObject wrongClearSide = hoiAnRule();
    wrongClearSide.getJsonObject("condition").put("clear", 1.6);
    assertBadField(wrongClearSide, "condition.clear");
  }

  @Test
  void aMalformedWebhookUrlIsRefusedWhenTheRuleIsSaved() throws Exception {
    for (String url :
        new String[] {
          "http://exa mple.com/hook", "http://", "https://[::1/hook", "http://host:99999/x"
        }) {
      JsonObject rule = hoiAnRule();
      rule.put(
          "channels", new JsonArray().add(new JsonObject().put("type", "webhook").put("url", url)));
      assertBadField(rule, "channels[0].url");
    }
  }

  @Test
  void theApiNeedsAToken() throws Exception {
    assertEquals(401, node.http("GET", "/api/v1/rules", null, null).status());
    assertEquals(401, node.http("GET", "/api/v1/rules", null, "forged").status());
    assertEquals(401, node.http("GET", "/api/v1/devices", null, null).status());
    TestNode.Response wrong =
        post(
            "/api/v1/login",
            null,
            new JsonObject().put("username", "admin").put("password", "not-the-password"));
    assertEquals(401, wrong.status());
  }

  @Test
  void repeatedFailedLoginsAreThrottledEvenWithTheRightPassword() throws Exception {
    JsonObject wrong = new JsonObject().put("username", "guessed").put("password", "wrong-guess");
    for (int i = 0; i < 5; i++) {
      assertEquals(401, post("/api/v1/login", null, wrong).status());
    }
    TestNode.Response blocked = post("/api/v1/login", null, wrong);
    assertEquals(429, blocked.status(), blocked.body());
    assertEquals("too_many_attempts", blocked.json().getString("error"));
    long retryAfter = Long.parseLong(blocked.header("Retry-After"));
    assertTrue(retryAfter > 0 && retryAfter <= 15 * 60, "Retry-After " + retryAfter);
    // Another user name from the same client is not affected.
    node.login("admin", TestNode.ADMIN_PASSWORD);
  }

  @Test
  void parallelWrongLoginsCannotPassTheThrottle() throws Exception {
    JsonObject wrong = new JsonObject().put("username", "raced").put("password", "wrong-guess");
    WebClient client = WebClient.create(node.vertx());
    List<Future<HttpResponse<Buffer>>> attempts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      attempts.add(
          client.post(node.httpPort(), "127.0.0.1", "/api/v1/login").sendJsonObject(wrong));
    }
    TestNode.await(Future.join(attempts));
    client.close();
    int verified = 0;
    for (Future<HttpResponse<Buffer>> attempt : attempts) {
      int status = attempt.result().statusCode();
      assertTrue(status == 401 || status == 429, "status " + status);
      verified += status == 401 ? 1 : 0;
    }
    assertEquals(5, verified);
  }

  @Test
  void aTokenInTheQueryIsNotAcceptedSinceUrlsEndUpInLogs() throws Exception {
    String token = node.admin();
    assertEquals(401, node.http("GET", "/api/v1/rules?access_token=" + token, null, null).status());
    assertEquals(
        401, node.http("POST", "/api/v1/rules?access_token=" + token, hoiAnRule(), null).status());
  }

  @Test
  void theServiceTokenActsAsAdminForAutomation() throws Exception {
    assertEquals(200, node.http("GET", "/api/v1/devices", null, TestNode.SERVICE_TOKEN).status());
    assertEquals(201, post("/api/v1/rules", TestNode.SERVICE_TOKEN, hoiAnRule()).status());
  }

  @Test
  void aZoneManagerOnlySeesAndChangesTheirZone() throws Exception {
    TestNode.Response user =
        post(
            "/api/v1/users",
            node.admin(),
            new JsonObject()
                .put("username", "hoian-manager")
                .put("password", "a-long-enough-password")
                .put("role", "zone-manager")
                .put("zones", new JsonArray().add("hoi-an")));
    assertEquals(201, user.status(), user.body());
    String manager = node.login("hoian-manager", "a-long-enough-password");

    JsonObject tamKy = hoiAnRule().put("name", "Tam Ky river above alarm 2");
    tamKy.getJsonObject("scope").put("zone", "tam-ky");
    String tamKyId = node.createRule(tamKy);

    assertEquals(403, node.http("GET", "/api/v1/rules/" + tamKyId, null, manager).status());
    assertEquals(403, node.http("PUT", "/api/v1/rules/" + tamKyId, hoiAnRule(), manager).status());
    assertEquals(403, node.http("DELETE", "/api/v1/rules/" + tamKyId, null, manager).status());
    assertEquals(403, post("/api/v1/rules", manager, tamKy).status());

    TestNode.Response own = post("/api/v1/rules", manager, hoiAnRule());
    assertEquals(201, own.status(), own.body());

    JsonArray visible =
        node.http("GET", "/api/v1/rules", null, manager).json().getJsonArray("items");
    assertFalse(visible.isEmpty());
    for (int i = 0; i < visible.size(); i++) {
      assertEquals("hoi-an", visible.getJsonObject(i).getJsonObject("scope").getString("zone"));
    }
    assertEquals(403, node.http("GET", "/api/v1/devices", null, manager).status());
    assertEquals(403, node.http("GET", "/api/v1/users", null, manager).status());
    assertEquals(200, node.http("GET", "/api/v1/devices", null, node.admin()).status());
  }

  @Test
  void anOperatorReadsButDoesNotWrite() throws Exception {
    assertEquals(
        201,
        post(
                "/api/v1/users",
                node.admin(),
                new JsonObject()
                    .put("username", "ioc-operator")
                    .put("password", "another-long-password")
                    .put("role", "operator"))
            .status());
    String operator = node.login("ioc-operator", "another-long-password");
    assertEquals(200, node.http("GET", "/api/v1/rules", null, operator).status());
    assertEquals(403, post("/api/v1/rules", operator, hoiAnRule()).status());
    TestNode.Response badUser =
        post(
            "/api/v1/users",
            node.admin(),
            new JsonObject()
                .put("username", "x-manager")
                .put("password", "a-long-enough-password")
                .put("role", "zone-manager")
                .put("zones", new JsonArray().add("atlantis")));
    assertEquals(400, badUser.status());
    assertEquals("zones[0]", badUser.json().getString("field"));
  }

  @Test
  void aSignedInUserRefreshesTheTokenAndTheServiceTokenCannot() throws Exception {
    String token = node.admin();
    TestNode.Response refreshed = post("/api/v1/login/refresh", token, new JsonObject());
    assertEquals(200, refreshed.status(), refreshed.body());
    String fresh = refreshed.json().getString("token");
    assertEquals(200, node.http("GET", "/api/v1/rules", null, fresh).status());
    assertEquals(401, post("/api/v1/login/refresh", "not-a-token", new JsonObject()).status());
    TestNode.Response service =
        post("/api/v1/login/refresh", TestNode.SERVICE_TOKEN, new JsonObject());
    assertEquals(400, service.status(), service.body());
    assertEquals("not_refreshable", service.json().getString("error"));
  }
}
